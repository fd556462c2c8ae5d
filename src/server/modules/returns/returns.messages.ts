// Messages of the returns module (返品入力), merged in platform/i18n/messages.ts.
export const ja = {
  'returns.not_shipped': '出荷前の受注は返品できません (状態: {status})。キャンセルしてください。',
  'returns.unknown_line': '受注に行 {lineNo} はありません。',
  'returns.too_many': '返品できる数量は {max} までです (出荷 {shipped}、返品済 {returned})。',
  'returns.duplicate_line': '同じ行が複数回指定されています。',
  'returns.reason_not_found': '返品理由が見つかりません。',
  'returns.refund_too_high': '返金額は {max} 円までです。',
  'returns.exchange_lines_required': '交換の場合は交換品を指定してください。',
  'object.return': '返品',
} as const;

export const en: Record<keyof typeof ja, string> = {
  'returns.not_shipped': 'An order not yet shipped cannot be returned (status: {status}); cancel it instead.',
  'returns.unknown_line': 'The order has no line {lineNo}.',
  'returns.too_many': 'At most {max} can be returned (shipped {shipped}, returned {returned}).',
  'returns.duplicate_line': 'The same line is given twice.',
  'returns.reason_not_found': 'No such return reason.',
  'returns.refund_too_high': 'The refund can be at most ¥{max}.',
  'returns.exchange_lines_required': 'An exchange needs the goods to send instead.',
  'object.return': 'return',
};
