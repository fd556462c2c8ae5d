import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { deskPaymentMethodsQuery, fetchReorder, type Order } from '../../api/orders';
import { i18n } from '../../i18n';
import { notifyWarning } from '../../lib/notify';
import { draftFromReorder, type OrderDraft } from './orderFormModel';

/**
 * 再注文 between 購入履歴 and 受注入力: GET /orders/{id}/reorder becomes the form's draft; the
 * order registered last is remembered to highlight it in the history.
 */
export function useReorder(customerId: string) {
  const queryClient = useQueryClient();
  const [preset, setPreset] = useState<{
    customerId: string;
    seq: number;
    make: (base: OrderDraft) => OrderDraft;
  } | null>(null);
  const [last, setLast] = useState<{ customerId: string; orderId: string } | null>(null);

  const load = async (order: Pick<Order, 'id' | 'lines'>) => {
    const [source, methods] = await Promise.all([
      fetchReorder(order.id),
      queryClient.ensureQueryData(deskPaymentMethodsQuery),
    ]);
    if (source.unavailable?.length)
      notifyWarning(
        i18n.t('orderDesk.unavailable', { names: source.unavailable.map((u) => u.productName).join('、') }),
      );
    setPreset((p) => ({
      customerId,
      seq: (p?.seq ?? 0) + 1,
      make: (base) => draftFromReorder(source, base, methods, order.lines),
    }));
  };

  return {
    preset: preset?.customerId === customerId ? preset : null,
    load,
    lastOrderId: last?.customerId === customerId ? last.orderId : null,
    registered: (order: Order) => setLast({ customerId, orderId: order.id }),
  };
}
