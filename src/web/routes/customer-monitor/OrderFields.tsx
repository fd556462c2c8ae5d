import { Alert, Badge, Box, Group, NativeSelect, SegmentedControl, Text, TextInput } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdMedium, Campaign, PaymentMethod, ShippingOrigin, TimeSlot } from '../../api/catalogue';
import type { Customer, DeliveryAddress } from '../../api/customers';
import { ORDER_CARRIERS, ORDER_CHANNELS, type Quote } from '../../api/orders';
import { i18n } from '../../i18n';
import { formatDate } from '../../lib/datetime';
import type { DraftErrors, DraftField, OrderDraft } from './orderFormModel';
import { SubscriptionCycleFields, SubscriptionPreview } from './SubscriptionCycleFields';
import { type CycleDraft, previewDeliveries, toCycleInput } from './subscriptionModel';

export interface FieldOptions {
  origins: ShippingOrigin[];
  addresses: DeliveryAddress[];
  adMedia: AdMedium[];
  slots: TimeSlot[];
  methods: PaymentMethod[];
  campaigns: Campaign[];
}

interface Props {
  customer: Customer;
  draft: OrderDraft;
  errors: DraftErrors;
  options: FieldOptions;
  quote: Quote | null;
  /** 受付日 until the quote says (the server dates the order). */
  today: string;
  onField: <K extends DraftField>(field: K, value: OrderDraft[K]) => void;
  /** 伝票区分 定期: the cycle of the subscription the order hands over to (it is delivery 1). */
  cycle?: CycleDraft;
  onCycle?: (cycle: CycleDraft) => void;
}

/** A label cell and its field, like the paper form's boxes. */
function Row({ label, children, testid }: { label: string; children: ReactNode; testid?: string }) {
  return (
    <>
      <Box
        bg="gray.1"
        px={6}
        py={3}
        style={{
          fontSize: 'var(--mantine-font-size-xs)',
          fontWeight: 600,
          whiteSpace: 'nowrap',
          alignSelf: 'stretch',
          display: 'flex',
          alignItems: 'center',
        }}
      >
        {label}
      </Box>
      <Box py={1} data-testid={testid}>
        {children}
      </Box>
    </>
  );
}

const shown = (date: string | null | undefined) => (date ? formatDate(date, i18n.language) : '—');

function cycleErrors(cycle: CycleDraft, every: string, day: string) {
  const parsed = toCycleInput(cycle);
  if (!('error' in parsed)) return {};
  return parsed.error === 'every' ? { every } : { dayOfMonth: day };
}

/** Deliveries 2, 3, 4 of the subscription (delivery 1 is this order, on its delivery date). */
function handoverPreview(cycle: CycleDraft, first: string | null | undefined): string[] {
  const parsed = toCycleInput(cycle);
  return first && 'cycle' in parsed ? previewDeliveries(first, parsed.cycle, 3, 1) : [];
}

/** 伝票区分 … キャンペーン in the order of seed 004's 受注入力 (the tab order follows it). */
export function OrderFields({ customer, draft, errors, options, quote, today, onField, cycle, onCycle }: Props) {
  const { t } = useTranslation();
  const select = (field: DraftField) => ({
    value: draft[field],
    error: errors[field],
    'data-testid': `order-${field}`,
    onChange: (event: { currentTarget: { value: string } }) =>
      onField(field, event.currentTarget.value as OrderDraft[typeof field]),
  });
  const home = [customer.prefecture, customer.city, customer.address1].filter(Boolean).join('');
  const campaign = options.campaigns.find(
    (c) => c.code.toUpperCase() === draft.campaignCode.normalize('NFKC').trim().toUpperCase(),
  );
  const applied =
    quote?.campaigns ?? (quote?.campaignCode ? [{ code: quote.campaignCode, name: quote.campaignName ?? '' }] : []);

  return (
    <Box style={{ display: 'grid', gridTemplateColumns: 'auto 1fr', columnGap: 6, rowGap: 2, alignItems: 'center' }}>
      <Row label={t('orderDesk.kind')}>
        <SegmentedControl
          fullWidth
          value={draft.kind}
          onChange={(value) => onField('kind', value as OrderDraft['kind'])}
          data={[
            { value: 'normal', label: t('orderDesk.kinds.normal') },
            { value: 'subscription', label: t('orderDesk.kinds.subscription') },
          ]}
          data-testid="order-kind"
        />
      </Row>
      {draft.kind === 'subscription' && cycle && onCycle ? (
        <Row label={t('subs.handover.title')} testid="order-subscription">
          <SubscriptionCycleFields
            value={cycle}
            onChange={onCycle}
            errors={cycleErrors(cycle, t('subs.everyInvalid'), t('subs.dayInvalid'))}
            testid="order-cycle"
          />
          <Alert p={4} mt={2} color="grape" variant="light" data-testid="order-subscription-note">
            <Text size="xs">{t('subs.handover.hint')}</Text>
            <SubscriptionPreview
              dates={handoverPreview(cycle, quote?.deliveryDate ?? draft.desiredDeliveryDate)}
              label={t('subs.handover.preview')}
              testid="order-subscription-preview"
            />
          </Alert>
        </Row>
      ) : null}
      <Row label={t('orderDesk.carrier')}>
        <SegmentedControl
          fullWidth
          value={draft.carrier}
          onChange={(value) => onField('carrier', value as OrderDraft['carrier'])}
          data={ORDER_CARRIERS.map((c) => ({ value: c, label: t(`orderDesk.carriers.${c}`) }))}
          data-testid="order-carrier"
        />
      </Row>
      <Row label={t('orderDesk.origin')}>
        <NativeSelect
          {...select('originId')}
          data={[
            { value: '', label: t('orderDesk.defaultChoice') },
            ...options.origins.map((o) => ({ value: o.id, label: `${o.code} ${o.name}（${o.prefecture}）` })),
          ]}
        />
      </Row>
      <Row label={t('orderDesk.destination')}>
        <NativeSelect
          {...select('addressId')}
          data={[
            { value: '', label: `${t('orderDesk.home')} ${customer.prefecture ?? ''} ${home ? `– ${home}` : ''}` },
            ...options.addresses.map((a) => ({
              value: a.id,
              label: `${a.label || a.name} ${a.prefecture ?? ''} ${[a.city, a.address1].filter(Boolean).join('')}`,
            })),
          ]}
        />
      </Row>
      <Row label={t('orderDesk.adMedium')}>
        <NativeSelect
          {...select('adMediumId')}
          data={[
            { value: '', label: t('orderDesk.none') },
            ...options.adMedia.map((a) => ({ value: a.id, label: `${a.code} ${a.name}` })),
          ]}
        />
      </Row>
      <Row label={t('orderDesk.channel')}>
        <NativeSelect
          {...select('channel')}
          data={ORDER_CHANNELS.map((c) => ({ value: c, label: t(`orderDesk.channels.${c}`) }))}
        />
      </Row>
      <Row label={t('orderDesk.sortCode')}>
        <TextInput {...select('sortCode')} maxLength={20} placeholder={t('orderDesk.none')} />
      </Row>
      <Row label={t('orderDesk.orderDate')} testid="order-order-date">
        <Text size="sm" px={4}>
          {shown(quote?.orderDate ?? today)}
        </Text>
      </Row>
      <Row label={t('orderDesk.shipDate')} testid="order-ship-date">
        <Text size="sm" fw={600} px={4}>
          {shown(quote?.shipDate)}
        </Text>
      </Row>
      <Row label={t('orderDesk.deliveryDate')} testid="order-delivery-date">
        <Text size="sm" fw={600} px={4}>
          {shown(quote?.deliveryDate)}
        </Text>
      </Row>
      <Row label={t('orderDesk.desiredDate')}>
        <TextInput type="date" {...select('desiredDeliveryDate')} />
      </Row>
      <Row label={t('orderDesk.timeSlot')}>
        <NativeSelect
          {...select('deliveryTimeSlot')}
          data={[
            { value: '', label: t('orderDesk.noSlot') },
            ...options.slots.map((s) => ({ value: s.code, label: s.label })),
          ]}
        />
      </Row>
      <Row label={t('orderDesk.payment')}>
        <NativeSelect
          {...select('paymentMethodId')}
          data={[
            { value: '', label: t('orderDesk.unselected') },
            ...options.methods.map((m) => ({ value: m.id, label: m.name })),
          ]}
        />
      </Row>
      <Row label={t('orderDesk.campaign')}>
        <Group gap={4} wrap="nowrap" align="flex-start">
          <TextInput
            {...select('campaignCode')}
            className="mono"
            w={150}
            list="order-campaign-codes"
            autoComplete="off"
            placeholder={t('orderDesk.campaignHint')}
          />
          <datalist id="order-campaign-codes">
            {options.campaigns.map((c) => (
              <option key={c.id} value={c.code}>
                {c.name}
              </option>
            ))}
          </datalist>
          <Group gap={2} mt={3} data-testid="order-campaign-applied">
            {applied.length > 0 ? (
              applied.map((c) => (
                <Badge key={c.code} color="grape" tt="none">
                  {c.name || c.code}
                </Badge>
              ))
            ) : campaign ? (
              <Text size="xs" c="dimmed">
                {campaign.name}
              </Text>
            ) : null}
          </Group>
        </Group>
      </Row>
      <Row label={t('orderDesk.note')}>
        <TextInput {...select('note')} maxLength={1000} />
      </Row>
    </Box>
  );
}
