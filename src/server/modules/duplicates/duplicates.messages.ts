// Messages of the duplicates module (likely duplicates, merge), merged in platform/i18n/messages.ts.
export const ja = {
  'duplicates.same_customer': '統合先と統合元に同じ顧客は指定できません。',
  'duplicates.already_merged': 'この顧客は既に他の顧客に統合されています。',
  'object.customer_merge': '統合記録',
} as const;

export const en: Record<keyof typeof ja, string> = {
  'duplicates.same_customer': 'The customer to keep and the one to merge must differ.',
  'duplicates.already_merged': 'This customer was already merged into another.',
  'object.customer_merge': 'merge record',
};
