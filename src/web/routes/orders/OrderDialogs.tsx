import { Button, Group, Modal, NativeSelect, Stack, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import {
  cancelOrder,
  cancelReasonsQuery,
  deskPaymentMethodsQuery,
  deskTimeSlotsQuery,
  etagOfOrder,
  type Order,
  type OrderInput,
  ordersKey,
  timeSlotOf,
  updateOrder,
} from '../../api/orders';
import { FormAlert } from '../../components/FormAlert';
import { FnButton } from '../../components/fkeys';
import { normalisePath } from '../../lib/forms';
import { notifySuccess } from '../../lib/notify';

/** A stale If-Match (someone saved first): 412. A 409 (the order moved on) keeps the server's own words. */
export const isConflict = (error: unknown) => isApiError(error) && error.status === 412;

interface EditValues {
  desiredDeliveryDate: string;
  deliveryTimeSlot: string;
  paymentMethodId: string;
  sortCode: string;
  note: string;
}
const EDIT_FIELDS = ['desiredDeliveryDate', 'deliveryTimeSlot', 'paymentMethodId', 'sortCode', 'note'] as const;

function valuesOf(order: Order): EditValues {
  return {
    desiredDeliveryDate: order.desiredDeliveryDate ?? '',
    deliveryTimeSlot: timeSlotOf(order) ?? '',
    paymentMethodId: order.paymentMethodId ?? '',
    sortCode: order.sortCode ?? '',
    note: order.note ?? '',
  };
}

/** 変更 while the order is 受付: with If-Match; a 409 says someone else saved first and reloads. */
export function OrderEditModal({ order, opened, onClose }: { order: Order; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const methods = useQuery(deskPaymentMethodsQuery);
  const slots = useQuery(deskTimeSlotsQuery(order.carrier ?? 'yamato'));
  const [values, setValues] = useState<EditValues>(() => valuesOf(order));
  const items = order.lines.filter((l) => (l.kind ?? 'item') === 'item');
  const [quantities, setQuantities] = useState<string[]>(() => items.map((l) => String(l.quantity)));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (opened) {
      setValues(valuesOf(order));
      setQuantities(order.lines.filter((l) => (l.kind ?? 'item') === 'item').map((l) => String(l.quantity)));
      setErrors({});
      setProblem(null);
    }
  }, [opened, order]);

  const field = (key: keyof EditValues) => ({
    value: values[key],
    error: errors[key],
    'data-testid': `order-edit-${key}`,
    onChange: (event: { currentTarget: { value: string } }) =>
      setValues((v) => ({ ...v, [key]: event.currentTarget.value })),
  });

  const save = async () => {
    setBusy(true);
    setProblem(null);
    setErrors({});
    const lines = items.map((l, i) => ({
      productId: l.productId,
      quantity: Number((quantities[i] ?? '').normalize('NFKC').trim()),
    }));
    const changed = lines.some((l, i) => l.quantity !== items[i]?.quantity);
    const body: Partial<OrderInput> = {
      ...(changed ? { lines } : {}),
      desiredDeliveryDate: values.desiredDeliveryDate || undefined,
      deliveryTimeSlot: values.deliveryTimeSlot || undefined,
      paymentMethodId: values.paymentMethodId || undefined,
      sortCode: values.sortCode.trim() || undefined,
      note: values.note.trim() || undefined,
    };
    try {
      const saved = await updateOrder(order.id, body, etagOfOrder(order));
      queryClient.setQueryData([...ordersKey, 'one', order.id], saved);
      await queryClient.invalidateQueries({ queryKey: ordersKey });
      notifySuccess(t('orderList.saved'));
      onClose();
    } catch (error) {
      if (isConflict(error)) {
        await queryClient.invalidateQueries({ queryKey: [...ordersKey, 'one', order.id] });
        setProblem(new Error(t('orderList.conflict')));
      } else if (isApiError(error) && error.errors.length > 0) {
        const placed: Record<string, string> = {};
        for (const e of error.errors) {
          const parts = normalisePath(e.path).split('.');
          const root = parts[0] === 'paymentMethod' ? 'paymentMethodId' : (parts[0] ?? '');
          if (root === 'lines' && parts[1] !== undefined) placed[`lines.${parts[1]}`] ??= e.message;
          else if ((EDIT_FIELDS as readonly string[]).includes(root)) placed[root] ??= e.message;
        }
        setErrors(placed);
        if (Object.keys(placed).length < error.errors.length) setProblem(error);
      } else setProblem(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('orderList.editTitle', { number: order.number })}>
      <Stack gap={6} data-testid="order-edit">
        <FormAlert error={problem} testid="order-edit-error" />
        {items.map((l, i) => (
          <TextInput
            key={`${l.productId}-${l.lineNo ?? i}`}
            label={`${l.productCode ?? ''} ${l.productName ?? ''}`}
            inputMode="numeric"
            value={quantities[i] ?? ''}
            error={errors[`lines.${i}`]}
            onChange={(event) => {
              const text = event.currentTarget.value;
              setQuantities((q) => q.map((x, j) => (j === i ? text : x)));
            }}
            data-testid={`order-edit-qty-${i}`}
          />
        ))}
        <TextInput type="date" label={t('orderDesk.desiredDate')} {...field('desiredDeliveryDate')} />
        <NativeSelect
          label={t('orderDesk.timeSlot')}
          {...field('deliveryTimeSlot')}
          data={[
            { value: '', label: t('orderDesk.noSlot') },
            ...(slots.data ?? []).map((s) => ({ value: s.code, label: s.label })),
          ]}
        />
        <NativeSelect
          label={t('orderDesk.payment')}
          {...field('paymentMethodId')}
          data={[
            { value: '', label: t('orderDesk.unselected') },
            ...(methods.data ?? []).map((m) => ({ value: m.id, label: m.name })),
          ]}
        />
        <TextInput label={t('orderDesk.sortCode')} maxLength={20} {...field('sortCode')} />
        <TextInput label={t('orderDesk.note')} maxLength={1000} {...field('note')} />
        <Group justify="flex-end" gap={6}>
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <FnButton fkey="F1" loading={busy} onClick={() => void save()} testid="order-edit-save">
            {t('common.save')}
          </FnButton>
        </Group>
      </Stack>
    </Modal>
  );
}

/** キャンセル with a reason from the reasons master (kind cancel). */
export function OrderCancelModal({ order, opened, onClose }: { order: Order; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const reasons = useQuery(cancelReasonsQuery);
  const [reasonId, setReasonId] = useState('');
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const firstReason = reasons.data?.[0]?.id ?? '';

  useEffect(() => {
    if (opened) {
      setReasonId(firstReason);
      setNote('');
      setProblem(null);
    }
  }, [opened, firstReason]);

  const confirm = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const saved = await cancelOrder(
        order.id,
        { reasonId: reasonId || undefined, note: note.trim() || undefined },
        etagOfOrder(order),
      );
      queryClient.setQueryData([...ordersKey, 'one', order.id], saved);
      await queryClient.invalidateQueries({ queryKey: ordersKey });
      await queryClient.invalidateQueries({ queryKey: ['interactions'] });
      notifySuccess(t('orderList.cancelled'));
      onClose();
    } catch (error) {
      if (isConflict(error)) {
        await queryClient.invalidateQueries({ queryKey: [...ordersKey, 'one', order.id] });
        setProblem(new Error(t('orderList.conflict')));
      } else setProblem(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('orderList.cancelTitle', { number: order.number })}>
      <Stack gap={6} data-testid="order-cancel">
        <FormAlert error={problem} testid="order-cancel-error" />
        <NativeSelect
          label={t('orderList.cancelReason')}
          value={reasonId}
          onChange={(event) => setReasonId(event.currentTarget.value)}
          data={[
            { value: '', label: t('orderDesk.unselected') },
            ...(reasons.data ?? []).map((r) => ({ value: r.id, label: r.name })),
          ]}
          data-testid="order-cancel-reason"
        />
        <TextInput
          label={t('orderList.cancelNote')}
          value={note}
          maxLength={1000}
          onChange={(event) => setNote(event.currentTarget.value)}
          data-testid="order-cancel-note"
        />
        <Group justify="flex-end" gap={6}>
          <Button variant="default" onClick={onClose}>
            {t('orderDesk.no')}
          </Button>
          <FnButton fkey="F1" color="red" loading={busy} onClick={() => void confirm()} testid="order-cancel-confirm">
            {t('orderList.cancelConfirm')}
          </FnButton>
        </Group>
      </Stack>
    </Modal>
  );
}
