// Messages of the ranks module (rank master, customer ranks), merged in platform/i18n/messages.ts.
export const ja = {
  'ranks.name_taken': '同じ名前のランクが既にあります。',
  'ranks.in_use': '手動で設定している顧客が {count} 人いるため削除できません。先に手動設定を解除してください。',
  'ranks.not_found': 'ランクが見つかりません。',
  'ranks.order_mismatch': 'すべてのランクを一度ずつ指定してください。',
  'object.rank': 'ランク',
} as const;

export const en: Record<keyof typeof ja, string> = {
  'ranks.name_taken': 'A rank with this name already exists.',
  'ranks.in_use': '{count} customer(s) have this rank set by hand: clear those first.',
  'ranks.not_found': 'No such rank.',
  'ranks.order_mismatch': 'Give every rank exactly once.',
  'object.rank': 'rank',
};
