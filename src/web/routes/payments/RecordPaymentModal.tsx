import { Group, Modal, NativeSelect, NumberInput, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ordersKey } from '../../api/orders';
import {
  findOrderByNumber,
  PAYMENT_METHODS,
  type PaymentMethodKind,
  paymentsKey,
  recordPayment,
} from '../../api/payments';
import { FormAlert } from '../../components/FormAlert';
import { FnButton } from '../../components/fkeys';
import { todayInTokyo } from '../../lib/datetime';
import { notifySuccess } from '../../lib/notify';
import { yen } from '../masters/common';

/** The order a payment is for, when the caller knows it (the unpaid list, the order detail). */
export interface PaymentTarget {
  orderId: string;
  orderNumber: number | string;
  customerName?: string | null;
  balance?: number;
  method?: PaymentMethodKind;
}

/** crypto.randomUUID needs a secure context; getRandomValues does not. */
function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * 入金登録 by hand: a receipt (or a refund paid back) against an order, found by its number when
 * not given. One Idempotency-Key per opening: a double F1 records one payment.
 */
export function RecordPaymentModal({
  opened,
  target,
  onClose,
  defaultKind = 'receipt',
}: {
  opened: boolean;
  target: PaymentTarget | null;
  onClose: () => void;
  defaultKind?: 'receipt' | 'refund';
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [orderNumber, setOrderNumber] = useState('');
  const [kind, setKind] = useState<'receipt' | 'refund'>(defaultKind);
  const [amount, setAmount] = useState<number | string>('');
  const [method, setMethod] = useState<PaymentMethodKind>('bank_transfer');
  const [paidOn, setPaidOn] = useState(todayInTokyo());
  const [payerName, setPayerName] = useState('');
  const [reference, setReference] = useState('');
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const key = useRef(newKey());
  // What the form starts from is read when it opens: a refetch behind it never clears what is typed.
  const start = useRef({ target, defaultKind });
  start.current = { target, defaultKind };

  useEffect(() => {
    if (!opened) return;
    const { target, defaultKind } = start.current;
    key.current = newKey();
    setOrderNumber(target ? String(target.orderNumber) : '');
    setKind(defaultKind);
    setAmount(target?.balance && target.balance > 0 ? target.balance : '');
    setMethod(target?.method ?? 'bank_transfer');
    setPaidOn(todayInTokyo());
    setPayerName('');
    setReference('');
    setNote('');
    setProblem(null);
  }, [opened]);

  const save = async () => {
    setBusy(true);
    setProblem(null);
    try {
      let orderId = target?.orderId;
      if (!orderId) {
        const order = await findOrderByNumber(orderNumber);
        if (!order) {
          setProblem(new Error(t('payments.orderNotFound', { number: orderNumber })));
          return;
        }
        orderId = order.id;
      }
      const paid = await recordPayment(
        {
          orderId,
          kind,
          amount: Number(amount),
          method,
          paidOn,
          payerName: payerName.trim() || undefined,
          reference: reference.trim() || undefined,
          note: note.trim() || undefined,
        },
        key.current,
      );
      await queryClient.invalidateQueries({ queryKey: paymentsKey });
      await queryClient.invalidateQueries({ queryKey: ordersKey });
      notifySuccess(t('payments.recorded', { number: paid.orderNumber ?? '', amount: yen(paid.amount) }));
      onClose();
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={target ? t('payments.recordFor', { number: target.orderNumber }) : t('payments.record')}
    >
      <Stack gap={6} data-testid="payment-form">
        <FormAlert error={problem} testid="payment-error" />
        {target ? (
          <Text size="xs">
            {target.customerName ?? ''}
            {target.balance !== undefined ? ` / ${t('payments.balance')} ${yen(target.balance)}` : ''}
          </Text>
        ) : (
          <TextInput
            label={t('payments.orderNumber')}
            value={orderNumber}
            onChange={(e) => setOrderNumber(e.currentTarget.value)}
            inputMode="numeric"
            data-autofocus
            data-testid="payment-order-number"
          />
        )}
        <SegmentedControl
          size="xs"
          value={kind}
          onChange={(v) => setKind(v as 'receipt' | 'refund')}
          data={[
            { value: 'receipt', label: t('payments.kinds.receipt') },
            { value: 'refund', label: t('payments.kinds.refund') },
          ]}
          data-testid="payment-kind"
        />
        <Group grow gap={6}>
          <NumberInput
            label={t('payments.amount')}
            value={amount}
            onChange={setAmount}
            min={1}
            max={100_000_000}
            thousandSeparator=","
            prefix="¥"
            hideControls
            data-autofocus={target ? true : undefined}
            data-testid="payment-amount"
          />
          <TextInput
            type="date"
            label={t('payments.paidOn')}
            value={paidOn}
            onChange={(e) => setPaidOn(e.currentTarget.value)}
            data-testid="payment-paid-on"
          />
        </Group>
        <NativeSelect
          label={t('payments.method')}
          value={method}
          onChange={(e) => setMethod(e.currentTarget.value as PaymentMethodKind)}
          data={PAYMENT_METHODS.map((m) => ({ value: m, label: t(`payments.methods.${m}`) }))}
          data-testid="payment-method"
        />
        <Group grow gap={6}>
          <TextInput
            label={t('payments.payer')}
            value={payerName}
            maxLength={100}
            onChange={(e) => setPayerName(e.currentTarget.value)}
          />
          <TextInput
            label={t('payments.reference')}
            value={reference}
            maxLength={200}
            onChange={(e) => setReference(e.currentTarget.value)}
          />
        </Group>
        <TextInput
          label={t('payments.note')}
          value={note}
          maxLength={1000}
          onChange={(e) => setNote(e.currentTarget.value)}
        />
        <Group justify="flex-end" gap={6}>
          <FnButton fkey="F3" variant="default" onClick={onClose} testid="payment-cancel">
            {t('common.cancel')}
          </FnButton>
          <FnButton
            fkey="F1"
            onClick={() => void save()}
            loading={busy}
            disabled={!amount || (!target && !orderNumber.trim())}
            testid="payment-save"
          >
            {t('common.save')}
          </FnButton>
        </Group>
      </Stack>
    </Modal>
  );
}
