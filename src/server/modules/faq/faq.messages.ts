// Messages of the FAQ module (articles, categories, the inquiry report), merged in platform/i18n/messages.ts.
export const ja = {
  'faq.category_not_found': 'カテゴリが見つかりません。',
  'faq.category_name_taken': '同じ名前のカテゴリが既にあります。',
  'faq.interaction_not_found': '対応履歴が見つかりません。',
  'faq.case_has_article': 'この案件から作成した FAQ が既にあります。',
  'faq.report_range': '期間は開始日が終了日以前で、3年以内になるよう指定してください。',
  'object.faq_article': 'FAQ',
  'object.faq_category': 'FAQカテゴリ',
} as const;

export const en: Record<keyof typeof ja, string> = {
  'faq.category_not_found': 'No such category.',
  'faq.category_name_taken': 'A category of this name exists already.',
  'faq.interaction_not_found': 'No such interaction.',
  'faq.case_has_article': 'A FAQ article was made from this case already.',
  'faq.report_range': 'Give a start on or before the end, at most three years apart.',
  'object.faq_article': 'FAQ article',
  'object.faq_category': 'FAQ category',
};
