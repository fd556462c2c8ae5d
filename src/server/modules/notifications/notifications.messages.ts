// Messages of the notifications module, merged in platform/i18n/messages.ts.
export const ja = {
  'object.notification': 'お知らせ',
} as const;

export const en: Record<keyof typeof ja, string> = {
  'object.notification': 'notification',
};
