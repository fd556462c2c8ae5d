import {
  ActionIcon,
  Box,
  Button,
  Group,
  Modal,
  NativeSelect,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { addressesQuery, type Customer } from '../../api/customers';
import { deskPaymentMethodsQuery, deskTimeSlotsQuery, ORDER_CARRIERS } from '../../api/orders';
import {
  type CreateSubscription,
  createSubscription,
  invalidateAfterSubscriptionChange,
  type Subscription,
  subscriptionQuery,
  type UpdateSubscription,
  updateSubscription,
} from '../../api/subscriptions';
import { FormAlert } from '../../components/FormAlert';
import { FnButton } from '../../components/fkeys';
import { addDays, todayInTokyo } from '../../lib/datetime';
import { normalisePath } from '../../lib/forms';
import { notifySuccess } from '../../lib/notify';
import { type DraftLine, newLine, parseQuantity } from './orderFormModel';
import { ProductCodeInput, yen } from './ProductCodeInput';
import { SubscriptionCycleFields, SubscriptionPreview } from './SubscriptionCycleFields';
import { type CycleDraft, cycleDraftOf, emptyCycleDraft, previewDeliveries, toCycleInput } from './subscriptionModel';

type Carrier = (typeof ORDER_CARRIERS)[number];

interface Draft {
  lines: DraftLine[];
  cycle: CycleDraft;
  /** Create: the first delivery. Edit: '' keeps the schedule, a date re-bases it. */
  date: string;
  carrier: Carrier;
  timeSlot: string;
  addressId: string;
  paymentMethodId: string;
  minDeliveries: string;
  note: string;
}

function draftOf(s: Subscription | null, today: string): Draft {
  if (!s)
    return {
      lines: [newLine()],
      cycle: emptyCycleDraft(),
      date: addDays(today, 7),
      carrier: 'yamato',
      timeSlot: '',
      addressId: '',
      paymentMethodId: '',
      minDeliveries: '0',
      note: '',
    };
  return {
    lines: [
      ...s.lines.map((l) =>
        newLine(
          { id: l.productId, code: l.productCode, name: l.productName, unitPrice: l.unitPrice, taxRate: l.taxRate },
          l.quantity,
        ),
      ),
      newLine(),
    ],
    cycle: cycleDraftOf(s.cycle),
    date: '',
    carrier: (ORDER_CARRIERS as readonly string[]).includes(s.carrier) ? (s.carrier as Carrier) : 'yamato',
    timeSlot: s.timeSlot ?? '',
    addressId: s.addressId ?? '',
    paymentMethodId: s.paymentMethodId ?? '',
    minDeliveries: String(s.minDeliveries),
    note: s.note ?? '',
  };
}

const nullable = (v: string) => (v.trim() === '' ? null : v.trim());
const sameLines = (a: { productId: string; quantity: number }[], b: { productId: string; quantity: number }[]) =>
  a.length === b.length && a.every((l, i) => l.productId === b[i]?.productId && l.quantity === b[i]?.quantity);

type Errors = Record<string, string>;

function Field({ label, children, testid }: { label: string; children: ReactNode; testid?: string }) {
  return (
    <>
      <Box bg="gray.1" px={6} py={3} fz="xs" fw={600} style={{ whiteSpace: 'nowrap', alignSelf: 'stretch' }}>
        {label}
      </Box>
      <Box py={1} data-testid={testid}>
        {children}
      </Box>
    </>
  );
}

interface Props {
  customer: Customer;
  /** null: a new subscription; else 周期・商品・数量・住所・支払い変更 of this one. */
  subscription: Subscription | null;
  onClose: () => void;
  onSaved: (s: Subscription) => void;
}

/**
 * 定期の新規登録 / 内容変更: products by code and quantities, the cycle, the first delivery (or a
 * new regular date), time slot, destination, payment; F1 登録, Esc closes. A change sends only
 * what changed (PATCH with If-Match). Mounted while open (the draft starts from the props then).
 */
export function SubscriptionForm({ customer, subscription: current, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const today = todayInTokyo();
  // The subscription as it was read when the form opened: its version goes in If-Match.
  const [subscription] = useState(current);
  const [draft, setDraft] = useState<Draft>(() => draftOf(subscription, today));
  const [errors, setErrors] = useState<Errors>({});
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const methods = useQuery(deskPaymentMethodsQuery);
  const addresses = useQuery(addressesQuery(customer.id));
  const slots = useQuery(deskTimeSlotsQuery(draft.carrier));
  const qtyRefs = useRef<Record<string, HTMLInputElement | null>>({});
  const codeRefs = useRef<Record<string, HTMLInputElement | null>>({});

  // A new subscription takes the desk's first payment method (as the order form does).
  useEffect(() => {
    if (subscription || draft.paymentMethodId || !methods.data?.[0]) return;
    setDraft((d) => ({ ...d, paymentMethodId: methods.data?.[0]?.id ?? '' }));
  }, [subscription, methods.data, draft.paymentMethodId]);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value, ...(key === 'carrier' ? { timeSlot: '' } : {}) }));
    setErrors((e) => {
      const { [key]: _, ...rest } = e;
      return rest;
    });
  };
  const setLine = (key: string, patch: Partial<DraftLine>) =>
    setDraft((d) => {
      const lines = d.lines.map((l) => (l.key === key ? { ...l, ...patch } : l));
      const last = lines[lines.length - 1];
      return { ...d, lines: last?.product ? [...lines, newLine()] : lines };
    });
  const removeLine = (key: string) =>
    setDraft((d) => {
      const lines = d.lines.filter((l) => l.key !== key);
      return { ...d, lines: lines.length === 0 ? [newLine()] : lines };
    });

  const filled = draft.lines.flatMap((l) => {
    const quantity = parseQuantity(l.quantity);
    return l.product && quantity !== null && quantity <= 999 ? [{ line: l, productId: l.product.id, quantity }] : [];
  });
  const parsed = toCycleInput(draft.cycle);
  const preview =
    'cycle' in parsed
      ? previewDeliveries(
          subscription ? draft.date || (subscription.nextDeliveryDate ?? '') : draft.date,
          parsed.cycle,
          4,
        )
      : [];

  const validate = (): Errors => {
    const out: Errors = {};
    if (filled.length === 0) out.lines = t('subs.form.noLines');
    for (const l of draft.lines) {
      if (!l.product) continue;
      const q = parseQuantity(l.quantity);
      if (q === null || q > 999) out[`lines.${l.key}.quantity`] = t('subs.form.quantityInvalid');
    }
    if ('error' in parsed) out[parsed.error] = t(parsed.error === 'every' ? 'subs.everyInvalid' : 'subs.dayInvalid');
    if (!subscription && !/^\d{4}-\d{2}-\d{2}$/.test(draft.date)) out.date = t('subs.form.dateRequired');
    if ((draft.date || !subscription) && draft.date <= today) out.date = t('subs.form.dateFuture');
    const min = Number(draft.minDeliveries.normalize('NFKC'));
    if (!Number.isInteger(min) || min < 0 || min > 99) out.minDeliveries = t('subs.form.minInvalid');
    return out;
  };

  /** Server field errors next to their fields ("lines.0.productId" → that line's code). */
  const place = (error: unknown): boolean => {
    if (!isApiError(error) || error.errors.length === 0) return false;
    const out: Errors = {};
    let all = true;
    for (const e of error.errors) {
      const parts = normalisePath(e.path).split('.');
      const root = parts[0] ?? '';
      if (root === 'lines') {
        const line = filled[Number(parts[1])]?.line;
        out[line ? `lines.${line.key}.${parts[2] === 'quantity' ? 'quantity' : 'code'}` : 'lines'] = e.message;
      } else if (root === 'cycle') out.cycle = e.message;
      else if (root === 'firstDeliveryDate' || root === 'nextDeliveryDate') out.date = e.message;
      else if (['timeSlot', 'addressId', 'paymentMethodId', 'minDeliveries', 'carrier', 'note'].includes(root))
        out[root] = e.message;
      else all = false;
    }
    setErrors(out);
    return all;
  };

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    setProblem(null);
    const found = validate();
    setErrors(found);
    if (Object.keys(found).length > 0 || !('cycle' in parsed)) return;
    const lines = filled.map(({ productId, quantity }) => ({ productId, quantity }));
    setBusy(true);
    try {
      let saved: Subscription;
      if (!subscription) {
        const body: CreateSubscription = {
          customerId: customer.id,
          lines,
          cycle: parsed.cycle,
          firstDeliveryDate: draft.date,
          carrier: draft.carrier,
          timeSlot: nullable(draft.timeSlot),
          addressId: nullable(draft.addressId),
          paymentMethodId: nullable(draft.paymentMethodId),
          minDeliveries: Number(draft.minDeliveries.normalize('NFKC')),
          note: nullable(draft.note),
        };
        saved = await createSubscription(body);
        notifySuccess(t('subs.created', { number: saved.number }));
      } else {
        const s = subscription;
        const body: UpdateSubscription = {};
        if (!sameLines(lines, s.lines)) body.lines = lines;
        if (JSON.stringify(parsed.cycle) !== JSON.stringify(toCycleInputOf(s))) body.cycle = parsed.cycle;
        if (draft.date) body.nextDeliveryDate = draft.date;
        if (draft.carrier !== s.carrier) body.carrier = draft.carrier;
        if (nullable(draft.timeSlot) !== s.timeSlot) body.timeSlot = nullable(draft.timeSlot);
        if (nullable(draft.addressId) !== s.addressId) body.addressId = nullable(draft.addressId);
        if (nullable(draft.paymentMethodId) !== s.paymentMethodId)
          body.paymentMethodId = nullable(draft.paymentMethodId);
        const min = Number(draft.minDeliveries.normalize('NFKC'));
        if (min !== s.minDeliveries) body.minDeliveries = min;
        if (nullable(draft.note) !== s.note) body.note = nullable(draft.note);
        if (Object.keys(body).length === 0) {
          setProblem(null);
          setErrors({ form: t('subs.form.nothingChanged') });
          return;
        }
        saved = await updateSubscription(s, body);
        notifySuccess(t('subs.changed', { number: saved.number }));
      }
      queryClient.setQueryData(subscriptionQuery(saved.id).queryKey, saved);
      await invalidateAfterSubscriptionChange(queryClient, customer.id);
      onSaved(saved);
      onClose();
    } catch (error) {
      if (!place(error)) setProblem(error);
    } finally {
      setBusy(false);
    }
  };

  const home = [customer.prefecture, customer.city, customer.address1].filter(Boolean).join('');
  return (
    <Modal
      opened
      onClose={onClose}
      size="xl"
      title={subscription ? t('subs.form.editTitle', { number: subscription.number }) : t('subs.form.createTitle')}
    >
      <form onSubmit={(e) => void submit(e)} noValidate data-testid="sub-form">
        <Stack gap={6}>
          <FormAlert error={problem} testid="sub-form-error" />
          {errors.form ? (
            <Text size="xs" c="orange.8" data-testid="sub-form-nothing">
              {errors.form}
            </Text>
          ) : null}
          <Table withRowBorders={false} verticalSpacing={2} data-testid="sub-form-lines">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={170}>{t('orderDesk.productCode')}</Table.Th>
                <Table.Th>{t('orderDesk.productName')}</Table.Th>
                <Table.Th w={80} className="num">
                  {t('orderDesk.unitPrice')}
                </Table.Th>
                <Table.Th w={80}>{t('orderDesk.quantity')}</Table.Th>
                <Table.Th w={30} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {draft.lines.map((l, i) => (
                <Table.Tr key={l.key}>
                  <Table.Td>
                    <ProductCodeInput
                      value={l.code}
                      error={errors[`lines.${l.key}.code`]}
                      inputRef={(el) => {
                        codeRefs.current[l.key] = el;
                      }}
                      testid={`sub-form-line-code-${i}`}
                      onChange={(code) => setLine(l.key, { code, product: null })}
                      onPick={(p) => {
                        setLine(l.key, {
                          code: p.code,
                          product: { id: p.id, code: p.code, name: p.name, unitPrice: p.unitPrice, taxRate: p.taxRate },
                        });
                        setErrors((e) => {
                          const { lines: _, [`lines.${l.key}.code`]: __, ...rest } = e;
                          return rest;
                        });
                        setTimeout(() => qtyRefs.current[l.key]?.select(), 0);
                      }}
                      onEmptyEnter={() =>
                        document.querySelector<HTMLInputElement>('[data-testid="sub-form-cycle-every"]')?.focus()
                      }
                      onNotFound={(code) =>
                        setErrors((e) => ({ ...e, [`lines.${l.key}.code`]: t('orderDesk.codeNotFound', { code }) }))
                      }
                    />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{l.product?.name ?? ''}</Text>
                  </Table.Td>
                  <Table.Td className="num">{l.product ? yen(l.product.unitPrice) : ''}</Table.Td>
                  <Table.Td>
                    <TextInput
                      ref={(el) => {
                        qtyRefs.current[l.key] = el;
                      }}
                      value={l.quantity}
                      onChange={(e) => setLine(l.key, { quantity: e.currentTarget.value })}
                      onKeyDown={(e) => {
                        if (e.key !== 'Enter' || e.nativeEvent.isComposing) return;
                        e.preventDefault();
                        const next = draft.lines[i + 1];
                        if (next) codeRefs.current[next.key]?.focus();
                      }}
                      error={errors[`lines.${l.key}.quantity`]}
                      inputMode="numeric"
                      className="num"
                      aria-label={t('orderDesk.quantity')}
                      data-testid={`sub-form-line-qty-${i}`}
                    />
                  </Table.Td>
                  <Table.Td>
                    {l.product ? (
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        onClick={() => removeLine(l.key)}
                        aria-label={t('orderDesk.removeLine')}
                        data-testid={`sub-form-line-remove-${i}`}
                      >
                        <IconTrash size={14} />
                      </ActionIcon>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {errors.lines ? (
            <Text size="xs" c="red">
              {errors.lines}
            </Text>
          ) : null}
          <Box style={{ display: 'grid', gridTemplateColumns: 'auto 1fr', columnGap: 6, rowGap: 3 }}>
            <Field label={t('subs.cycle')}>
              <SubscriptionCycleFields
                value={draft.cycle}
                onChange={(cycle) => {
                  set('cycle', cycle);
                  setErrors((e) => {
                    const { every: _, dayOfMonth: __, cycle: ___, ...rest } = e;
                    return rest;
                  });
                }}
                errors={{ every: errors.every, dayOfMonth: errors.dayOfMonth, cycle: errors.cycle }}
                testid="sub-form-cycle"
              />
            </Field>
            <Field label={subscription ? t('subs.form.rebaseDate') : t('subs.firstDelivery')}>
              <TextInput
                type="date"
                w={170}
                value={draft.date}
                onChange={(e) => set('date', e.currentTarget.value)}
                error={errors.date}
                description={subscription ? t('subs.form.rebaseHint') : undefined}
                data-testid="sub-form-date"
              />
            </Field>
            <Field label={t('subs.carrier')}>
              <SegmentedControl
                size="xs"
                value={draft.carrier}
                onChange={(v) => set('carrier', v as Carrier)}
                data={ORDER_CARRIERS.map((c) => ({ value: c, label: t(`orderDesk.carriers.${c}`) }))}
                data-testid="sub-form-carrier"
              />
            </Field>
            <Field label={t('subs.timeSlot')}>
              <NativeSelect
                w={220}
                value={draft.timeSlot}
                onChange={(e) => set('timeSlot', e.currentTarget.value)}
                error={errors.timeSlot}
                data={[
                  { value: '', label: t('orderDesk.noSlot') },
                  ...(slots.data ?? []).map((s) => ({ value: s.code, label: s.label })),
                  // A slot no longer offered still shows as chosen.
                  ...(draft.timeSlot && !(slots.data ?? []).some((s) => s.code === draft.timeSlot)
                    ? [{ value: draft.timeSlot, label: draft.timeSlot }]
                    : []),
                ]}
                data-testid="sub-form-time-slot"
              />
            </Field>
            <Field label={t('subs.destination')}>
              <NativeSelect
                value={draft.addressId}
                onChange={(e) => set('addressId', e.currentTarget.value)}
                error={errors.addressId}
                data={[
                  { value: '', label: `${t('orderDesk.home')} ${home}` },
                  ...(addresses.data?.items ?? []).map((a) => ({
                    value: a.id,
                    label: `${a.label || a.name} ${[a.prefecture, a.city, a.address1].filter(Boolean).join('')}`,
                  })),
                ]}
                data-testid="sub-form-address"
              />
            </Field>
            <Field label={t('subs.payment')}>
              <NativeSelect
                w={220}
                value={draft.paymentMethodId}
                onChange={(e) => set('paymentMethodId', e.currentTarget.value)}
                error={errors.paymentMethodId}
                data={[
                  { value: '', label: t('orderDesk.unselected') },
                  ...(methods.data ?? []).map((m) => ({ value: m.id, label: m.name })),
                ]}
                data-testid="sub-form-payment"
              />
            </Field>
            <Field label={t('subs.commitment')}>
              <TextInput
                w={120}
                value={draft.minDeliveries}
                onChange={(e) => set('minDeliveries', e.currentTarget.value)}
                error={errors.minDeliveries}
                inputMode="numeric"
                className="num"
                rightSection={
                  <Text size="xs" c="dimmed">
                    {t('subs.times')}
                  </Text>
                }
                description={t('subs.form.commitmentHint')}
                data-testid="sub-form-min"
              />
            </Field>
            <Field label={t('subs.note')}>
              <TextInput
                value={draft.note}
                maxLength={1000}
                onChange={(e) => set('note', e.currentTarget.value)}
                error={errors.note}
                data-testid="sub-form-note"
              />
            </Field>
          </Box>
          <SubscriptionPreview dates={preview} label={t('subs.form.preview')} testid="sub-form-preview" />
          <Group justify="flex-end" gap={6}>
            <Button variant="default" onClick={onClose} data-testid="sub-form-cancel">
              {t('common.cancel')}
            </Button>
            <FnButton fkey="F1" type="submit" loading={busy} testid="sub-form-submit">
              {t('common.save')}
            </FnButton>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** The subscription's cycle as the API takes it (to see whether the form changed it). */
function toCycleInputOf(s: Subscription) {
  const parsed = toCycleInput(cycleDraftOf(s.cycle));
  return 'cycle' in parsed ? parsed.cycle : s.cycle;
}
