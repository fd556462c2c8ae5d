// Messages of the karte module (health notes and per-user grants), merged in platform/i18n/messages.ts.
export const ja = {
  'karte.forbidden': 'カルテ(健康情報)を扱う権限がありません。管理者にカルテの閲覧権限を依頼してください。',
  'object.karte': 'カルテ',
} as const;

export const en: Record<keyof typeof ja, string> = {
  'karte.forbidden': 'You may not see or change health notes (karte). Ask an admin for karte access.',
  'object.karte': 'karte',
};
