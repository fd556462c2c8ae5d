import { Button, Grid, Group, Paper, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { addressesQuery, type Customer, customersKey } from '../../api/customers';
import {
  createOrder,
  deskAdMediaQuery,
  deskCampaignsQuery,
  deskOriginsQuery,
  deskPaymentMethodsQuery,
  deskTimeSlotsQuery,
  type Order,
  ordersKey,
} from '../../api/orders';
import { FormAlert } from '../../components/FormAlert';
import { FnButton } from '../../components/fkeys';
import { todayInTokyo } from '../../lib/datetime';
import { notifySuccess } from '../../lib/notify';
import { OrderConfirmModal } from './OrderConfirmModal';
import { type FieldOptions, OrderFields } from './OrderFields';
import { OrderLines } from './OrderLines';
import { OrderTotals } from './OrderTotals';
import {
  type DraftErrors,
  type DraftField,
  emptyDraft,
  errorKey,
  filledLines,
  type OrderDraft,
  toInput,
} from './orderFormModel';
import { handOverOrder } from './subscriptionHandover';
import { type CycleDraft, emptyCycleDraft, toCycleInput } from './subscriptionModel';
import { useQuote } from './useQuote';

/** A fresh Idempotency-Key (crypto.randomUUID needs a secure context; getRandomValues does not). */
function newKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function quoteErrors(error: unknown, draft: OrderDraft): DraftErrors {
  const out: DraftErrors = {};
  if (!isApiError(error)) return out;
  for (const e of error.errors) {
    const key = errorKey(e.path, draft);
    if (key) out[key] ??= e.message;
  }
  return out;
}

/** The first empty product code of the grid (else the first one) takes the focus. */
function focusCode(container: HTMLElement | null) {
  const inputs = container?.querySelectorAll<HTMLInputElement>('input[data-testid^="order-line-code-"]');
  const empty = Array.from(inputs ?? []).find((el) => el.value === '');
  (empty ?? inputs?.[0])?.focus();
}

interface Props {
  customer: Customer;
  /** The tab is shown: its function keys are live (F1 登録). */
  active: boolean;
  /** A re-order's draft to load (changes each time one is picked in 購入履歴). */
  preset: { seq: number; make: (base: OrderDraft) => OrderDraft } | null;
  onRegistered: (order: Order) => void;
}

/**
 * 受注入力 in the customer monitor, seed 004's paper form: the product grid (code + Enter, or a
 * name search), then 伝票区分 … キャンペーン, the totals as the server quotes them while the
 * operator types, F1 登録 → 入力確認 → Enter.
 */
export function OrderForm({ customer, active, preset, onRegistered }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const today = todayInTokyo();
  const origins = useQuery(deskOriginsQuery);
  const methods = useQuery(deskPaymentMethodsQuery);
  const adMedia = useQuery(deskAdMediaQuery);
  const addresses = useQuery(addressesQuery(customer.id));
  const defaultOrigin = origins.data?.find((o) => o.isDefault) ?? origins.data?.[0];
  const base = useMemo(
    () => emptyDraft(defaultOrigin?.defaultCarrier ?? 'yamato', defaultOrigin?.id ?? ''),
    [defaultOrigin],
  );
  const [draft, setDraft] = useState<OrderDraft>(base);
  const [touched, setTouched] = useState(false);
  const [errors, setErrors] = useState<DraftErrors>({});
  const [problem, setProblem] = useState<unknown>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  /** 伝票区分 定期: the subscription's cycle (the order is its delivery 1). */
  const [cycle, setCycle] = useState<CycleDraft>(emptyCycleDraft);
  const idem = useRef<{ key: string; body: string } | null>(null);
  const fieldsRef = useRef<HTMLDivElement>(null);
  const linesRef = useRef<HTMLDivElement>(null);
  const slots = useQuery(deskTimeSlotsQuery(draft.carrier));
  const campaigns = useQuery(deskCampaignsQuery(today));

  // The masters arrive after the first render: an untouched form takes their defaults.
  useEffect(() => {
    if (!touched) setDraft(base);
  }, [base, touched]);
  useEffect(() => {
    if (touched || draft.paymentMethodId || !methods.data?.[0]) return;
    setDraft((d) => ({ ...d, paymentMethodId: methods.data?.[0]?.id ?? '' }));
  }, [methods.data, touched, draft.paymentMethodId]);
  const baseRef = useRef(base);
  baseRef.current = base;
  const appliedPreset = useRef(0);
  useEffect(() => {
    if (!preset || preset.seq === appliedPreset.current) return;
    appliedPreset.current = preset.seq;
    setDraft(preset.make(baseRef.current));
    setTouched(true);
    setErrors({});
    setProblem(null);
    setTimeout(() => focusCode(linesRef.current), 0);
  }, [preset]);

  const input = toInput(draft, customer.id);
  const { quote, error: quoteError, pending } = useQuote(input, active);
  const lines = filledLines(draft);
  // A quote's field problems (an unknown campaign code…) show on the field until the input changes.
  const shownErrors: DraftErrors = { ...quoteErrors(quoteError, draft), ...errors };

  const change = (next: (d: OrderDraft) => OrderDraft) => {
    setTouched(true);
    setDraft(next);
  };
  const clearError = (key: string) =>
    setErrors((e) => {
      if (!(key in e)) return e;
      const { [key]: _, ...rest } = e;
      return rest;
    });
  const onField = <K extends DraftField>(field: K, value: OrderDraft[K]) => {
    change((d) => ({
      ...d,
      [field]: value,
      // Another carrier has other time slots.
      ...(field === 'carrier' ? { deliveryTimeSlot: '' } : {}),
    }));
    clearError(field);
  };

  const focusLines = () => focusCode(linesRef.current);
  const focusFields = () => fieldsRef.current?.querySelector<HTMLElement>('input:checked, input, select')?.focus();

  const openConfirm = () => {
    setProblem(null);
    if (lines.length === 0) {
      setErrors((e) => ({ ...e, lines: t('orderDesk.noLines') }));
      focusLines();
      return;
    }
    if (draft.kind === 'subscription' && 'error' in toCycleInput(cycle)) {
      fieldsRef.current?.querySelector<HTMLElement>('[data-testid="order-cycle-every"]')?.focus();
      return;
    }
    setConfirming(true);
  };

  const register = async () => {
    const body = JSON.stringify(input);
    if (idem.current?.body !== body) idem.current = { key: newKey(), body };
    setBusy(true);
    setProblem(null);
    try {
      const order = await createOrder(input, idem.current.key);
      idem.current = null;
      if (input.kind === 'subscription') await handOverOrder(queryClient, order, input, cycle);
      setCycle(emptyCycleDraft());
      setConfirming(false);
      setDraft(base);
      setTouched(false);
      setErrors({});
      notifySuccess(t('orderDesk.registered', { number: order.number }));
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ordersKey }),
        queryClient.invalidateQueries({ queryKey: ['interactions'] }),
        queryClient.invalidateQueries({ queryKey: ['actions', customer.id] }),
        queryClient.invalidateQueries({ queryKey: [...customersKey, 'rank', customer.id] }),
      ]);
      onRegistered(order);
    } catch (error) {
      const placed: DraftErrors = {};
      let unplaced = !isApiError(error) || error.errors.length === 0;
      if (isApiError(error)) {
        for (const e of error.errors) {
          const key = errorKey(e.path, draft);
          if (key) placed[key] ??= e.message;
          else unplaced = true;
        }
      }
      if (Object.keys(placed).length > 0) {
        setErrors(placed);
        setConfirming(false);
        if (!unplaced) setProblem(null);
      }
      if (unplaced || Object.keys(placed).length === 0) setProblem(error);
    } finally {
      setBusy(false);
    }
  };

  const options: FieldOptions = {
    origins: origins.data ?? [],
    addresses: addresses.data?.items ?? [],
    adMedia: adMedia.data ?? [],
    slots: slots.data ?? [],
    methods: methods.data ?? [],
    campaigns: campaigns.data ?? [],
  };
  const address = options.addresses.find((a) => a.id === draft.addressId);
  const destination = address
    ? `${address.name} ${[address.prefecture, address.city, address.address1].filter(Boolean).join('')}`
    : `${customer.name} ${[customer.prefecture, customer.city, customer.address1].filter(Boolean).join('')}`;
  const payment = options.methods.find((m) => m.id === draft.paymentMethodId)?.name ?? '—';

  return (
    <Paper withBorder p="xs" data-testid="order-form">
      <Group justify="space-between" mb={4}>
        <Title order={3}>{t('orderDesk.formTitle')}</Title>
        <Group gap={6}>
          <Text size="xs" c="dimmed">
            {t('orderDesk.keysHint')}
          </Text>
          <Button
            variant="default"
            onClick={() => {
              setDraft(base);
              setTouched(false);
              setErrors({});
              setProblem(null);
              setTimeout(focusLines, 0);
            }}
            data-testid="order-clear"
          >
            {t('orderDesk.clear')}
          </Button>
          {active ? (
            <FnButton fkey="F1" onClick={openConfirm} testid="order-submit">
              {t('orderDesk.register')}
            </FnButton>
          ) : null}
        </Group>
      </Group>
      {confirming ? null : <FormAlert error={problem} testid="order-error" />}
      <Grid gap="xs">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <div ref={linesRef}>
            <OrderLines
              lines={draft.lines}
              errors={shownErrors}
              quote={quote}
              onChange={(update) => {
                change((d) => ({ ...d, lines: update(d.lines) }));
                clearError('lines');
              }}
              onClearError={clearError}
              onNotFound={(key, code) =>
                setErrors((e) => ({ ...e, [`lines.${key}.code`]: t('orderDesk.codeNotFound', { code }) }))
              }
              onDone={focusFields}
            />
          </div>
          <Group justify="flex-end" mt={4} gap={6}>
            <Text size="xs" c="dimmed">
              {t('orderDesk.goodsAmount')}
            </Text>
            <Text size="sm" fw={700} className="num" data-testid="order-goods-amount">
              {quote ? `¥${quote.subtotal.toLocaleString('ja-JP')}` : '—'}
            </Text>
          </Group>
          <Group justify="flex-end" mt={6}>
            <div style={{ width: 340 }}>
              <OrderTotals quote={quote} pending={pending} error={quoteError} />
            </div>
          </Group>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <div ref={fieldsRef}>
            <OrderFields
              customer={customer}
              draft={draft}
              errors={shownErrors}
              options={options}
              quote={quote}
              today={today}
              onField={onField}
              cycle={cycle}
              onCycle={setCycle}
            />
          </div>
        </Grid.Col>
      </Grid>
      <OrderConfirmModal
        opened={confirming}
        lines={lines}
        quote={quote}
        destination={destination}
        payment={payment}
        busy={busy}
        problem={problem}
        onClose={() => setConfirming(false)}
        onConfirm={() => void register()}
      />
    </Paper>
  );
}
