// Messages of the reports module (集計), merged in platform/i18n/messages.ts.
export const ja = {
  'reports.period_reversed': '終了日は開始日以降の日付にしてください。',
  'reports.period_too_long': '期間は2年以内で指定してください。',
  'reports.staff': '担当者',
} as const;

export const en: Record<keyof typeof ja, string> = {
  'reports.period_reversed': 'The end date must be on or after the start date.',
  'reports.period_too_long': 'The period may be at most two years.',
  'reports.staff': 'staff member',
};
