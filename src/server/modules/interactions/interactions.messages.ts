// Messages of the interactions module (対応履歴, AC履歴, templates, lists), merged in platform/i18n/messages.ts.
export const ja = {
  'interactions.kind_not_found': '区分が見つかりません。',
  'interactions.kind_inactive': 'この区分は使用停止中です。',
  'interactions.kind_name_taken': '同じ名前の区分が既にあります。',
  'interactions.kind_in_use':
    'この区分は対応履歴またはテンプレートで使われているため削除できません。使用停止にしてください。',
  'interactions.user_not_found': 'ユーザーが見つかりません。',
  'interactions.at_in_future': '対応日時に未来の時刻は指定できません。',
  'interactions.template_name_taken': '同じ名前のテンプレートが既にあります。',
  'object.interaction': '対応履歴',
  'object.interaction_kind': '対応区分',
  'object.customer_action': 'アクション',
  'object.reply_template': 'テンプレート',
} as const;

export const en: Record<keyof typeof ja, string> = {
  'interactions.kind_not_found': 'No such interaction kind.',
  'interactions.kind_inactive': 'This interaction kind is no longer in use.',
  'interactions.kind_name_taken': 'An interaction kind of this name exists already.',
  'interactions.kind_in_use':
    'This kind is used by interactions or templates and cannot be deleted. Deactivate it instead.',
  'interactions.user_not_found': 'No such user.',
  'interactions.at_in_future': 'The time of the contact cannot be in the future.',
  'interactions.template_name_taken': 'A template of this name exists already.',
  'object.interaction': 'interaction',
  'object.interaction_kind': 'interaction kind',
  'object.customer_action': 'action',
  'object.reply_template': 'template',
};
