import type { QueryClient } from '@tanstack/react-query';
import { isApiError } from '../../api/client';
import type { Order, OrderInput } from '../../api/orders';
import { createSubscription, type Subscription, subscriptionsKey } from '../../api/subscriptions';
import { i18n } from '../../i18n';
import { notifyError, notifySuccess, notifyWarning } from '../../lib/notify';
import { type CycleDraft, handoverBody } from './subscriptionModel';

/**
 * Hands a registered 定期 order over to 定期情報. The order stands whatever happens here: a failure
 * says so and points to the tab, where the subscription can be registered by hand.
 */
export async function handOverOrder(
  queryClient: QueryClient,
  order: Order,
  input: OrderInput,
  cycle: CycleDraft,
): Promise<Subscription | null> {
  const body = handoverBody(order, input, cycle);
  if (!body) {
    notifyWarning(i18n.t('subs.handover.noDate'));
    return null;
  }
  try {
    const s = await createSubscription(body);
    notifySuccess(i18n.t('subs.handover.created', { number: s.number, date: s.nextDeliveryDate ?? '' }));
    return s;
  } catch (error) {
    // A replayed registration (same Idempotency-Key) answers the order handed over already.
    if (isApiError(error) && error.code === 'source_order_linked') return null;
    notifyWarning(i18n.t('subs.handover.failed', { number: order.number }));
    notifyError(error);
    return null;
  } finally {
    await queryClient.invalidateQueries({ queryKey: subscriptionsKey });
  }
}
