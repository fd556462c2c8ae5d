// Messages of the subscriptions module (定期), merged in platform/i18n/messages.ts.
export const ja = {
  'subscriptions.customer_not_found': '顧客が見つかりません。',
  'subscriptions.product_unavailable': '商品が見つからないか、販売中ではありません。',
  'subscriptions.date_in_past': '本日より後の日付を指定してください。',
  'subscriptions.date_after_following': '次の次のお届け日 ({following}) より前の日付を指定してください。',
  'subscriptions.cancelled': '解約済みの定期は変更できません。',
  'subscriptions.not_paused': 'この定期は休止中ではありません。',
  'subscriptions.already_paused': 'この定期は既に休止中です。',
  'subscriptions.commitment':
    'お約束の回数 ({min} 回) に達していません (お届け済み {made} 回、残り {remaining} 回)。解約する場合は確認のうえ再度実行してください。',
  'subscriptions.reason_not_found': '解約理由が見つかりません。',
  'subscriptions.reference_not_found': '指定されたマスタ ({field}) が見つかりません。',
  'subscriptions.cycle_invalid': '周期の指定が正しくありません。',
  'subscriptions.source_order_not_found': '引き継ぐ受注が見つかりません。',
  'subscriptions.source_order_invalid': '引き継げるのは同じ顧客の伝票区分「定期」の受注 (取消・返品以外) だけです。',
  'subscriptions.source_order_linked': 'この受注は既に定期に引き継がれています。',
  'object.subscription': '定期',
} as const;

export const en: Record<keyof typeof ja, string> = {
  'subscriptions.customer_not_found': 'Customer not found.',
  'subscriptions.product_unavailable': 'The product does not exist or is not on sale.',
  'subscriptions.date_in_past': 'Give a date after today.',
  'subscriptions.date_after_following': 'Give a date before the delivery after next ({following}).',
  'subscriptions.cancelled': 'A cancelled subscription cannot be changed.',
  'subscriptions.not_paused': 'This subscription is not paused.',
  'subscriptions.already_paused': 'This subscription is paused already.',
  'subscriptions.commitment':
    'The agreed minimum of {min} deliveries is not reached ({made} delivered, {remaining} to go). Confirm and cancel again to go ahead.',
  'subscriptions.reason_not_found': 'Cancellation reason not found.',
  'subscriptions.reference_not_found': 'The referenced master ({field}) was not found.',
  'subscriptions.cycle_invalid': 'The cycle is not valid.',
  'subscriptions.source_order_not_found': 'The order to hand over was not found.',
  'subscriptions.source_order_invalid':
    'Only an order of the same customer with order type "subscription" (not cancelled or returned) can be handed over.',
  'subscriptions.source_order_linked': 'This order has been handed over to a subscription already.',
  'object.subscription': 'Subscription',
};
