import { Badge, Box, Button, Grid, Group, Kbd, Paper, Table, Text, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Customer } from '../../api/customers';
import { addressesQuery } from '../../api/customers';
import { deskPaymentMethodsQuery } from '../../api/orders';
import { allItems } from '../../api/paged';
import {
  type Subscription,
  type SubscriptionEvent,
  type SubscriptionOrder,
  type SubscriptionSummary,
  subscriptionHistoryQuery,
  subscriptionOrdersQuery,
  subscriptionScheduleQuery,
} from '../../api/subscriptions';
import { MoreButton } from '../../components/MoreButton';
import { QueryState } from '../../components/QueryState';
import { i18n } from '../../i18n';
import { formatDate, formatDateTime } from '../../lib/datetime';
import { OrderTable } from '../orders/OrderTable';
import { shortDate } from '../orders/orderFormat';
import type { SubscriptionAction } from './SubscriptionActionModals';
import { SubscriptionStatusBadge, useCycleLabel } from './SubscriptionStatusBadge';
import { summaryChanges } from './subscriptionModel';

const shown = (d: string | null | undefined) => (d ? formatDate(d, i18n.language) : '—');

/** Which actions a status allows (the server refuses the others the same way). */
export function allowedActions(s: Pick<Subscription, 'status'>): Record<SubscriptionAction, boolean> {
  const open = s.status !== 'cancelled';
  return {
    skip: open,
    move: open,
    edit: open,
    pause: s.status === 'active',
    resume: s.status === 'paused',
    cancel: open,
  };
}

/** The action keys (F1–F12 are the monitor's: tabs, header and 登録). */
export const ACTION_KEYS: Record<SubscriptionAction, string> = {
  skip: 'S',
  move: 'D',
  edit: 'E',
  pause: 'P',
  resume: 'R',
  cancel: 'X',
};
const ACTIONS: SubscriptionAction[] = ['skip', 'move', 'edit', 'pause', 'resume', 'cancel'];
const ACTION_COLORS: Partial<Record<SubscriptionAction, string>> = { cancel: 'red', pause: 'yellow', resume: 'teal' };

function Item({ label, children, testid }: { label: string; children: ReactNode; testid?: string }) {
  return (
    <>
      <Box bg="gray.1" px={6} py={2} fz="xs" fw={600} style={{ whiteSpace: 'nowrap' }}>
        {label}
      </Box>
      <Box px={4} py={2} fz="sm" data-testid={testid}>
        {children}
      </Box>
    </>
  );
}

interface Props {
  customer: Customer;
  subscription: Subscription;
  /** Keys are live (no dialog open over the tab). */
  keysEnabled: boolean;
  onAction: (action: SubscriptionAction, following: string | null) => void;
}

/** One 定期: what it is, the actions, the next 12 deliveries, its 定期変更 history and the orders it made. */
export function SubscriptionDetail({ customer, subscription: s, keysEnabled, onAction }: Props) {
  const { t } = useTranslation();
  const schedule = useQuery(subscriptionScheduleQuery(s.id, 12));
  const history = useQuery(subscriptionHistoryQuery(s.id));
  const orders = useInfiniteQuery(subscriptionOrdersQuery(s.id));
  const methods = useQuery(deskPaymentMethodsQuery);
  const addresses = useQuery(addressesQuery(customer.id));
  const cycleLabel = useCycleLabel();
  const allowed = allowedActions(s);
  const following = schedule.data?.dates[1] ?? null;

  const run = (action: SubscriptionAction) => {
    if (keysEnabled && allowed[action]) onAction(action, following);
  };
  useHotkeys(
    ACTIONS.map((a) => [ACTION_KEYS[a].toLowerCase(), () => run(a)] as [string, () => void]),
    ['INPUT', 'TEXTAREA', 'SELECT'],
  );

  const paymentName = (id: string | null | undefined) =>
    id ? (methods.data?.find((m) => m.id === id)?.name ?? t('subs.unknown')) : t('subs.none');
  const addressName = (id: string | null | undefined) => {
    if (!id) return `${t('orderDesk.home')} ${[customer.prefecture, customer.city].filter(Boolean).join('')}`;
    const a = addresses.data?.items.find((x) => x.id === id);
    return a ? `${a.label || a.name} ${[a.prefecture, a.city].filter(Boolean).join('')}` : t('subs.unknown');
  };
  const orderItems = allItems(orders.data?.pages) as SubscriptionOrder[];

  return (
    <Paper withBorder p="xs" mt="xs" data-testid="sub-detail" data-id={s.id} data-status={s.status}>
      <Group justify="space-between" mb={6} wrap="wrap" gap={6}>
        <Group gap={8}>
          <Title order={4}>{t('subs.detailTitle', { number: s.number })}</Title>
          <SubscriptionStatusBadge status={s.status} />
        </Group>
        <Group gap={4} data-testid="sub-actions">
          {ACTIONS.map((a) => (
            <Button
              key={a}
              size="xs"
              variant={a === 'cancel' ? 'outline' : 'light'}
              color={ACTION_COLORS[a]}
              disabled={!allowed[a]}
              onClick={() => onAction(a, following)}
              aria-keyshortcuts={ACTION_KEYS[a]}
              data-testid={`sub-action-${a}`}
              leftSection={<Kbd size="xs">{ACTION_KEYS[a]}</Kbd>}
            >
              {t(`subs.actions.${a}`)}
            </Button>
          ))}
        </Group>
      </Group>

      <Box
        style={{ display: 'grid', gridTemplateColumns: 'auto 1fr auto 1fr auto 1fr', columnGap: 6, rowGap: 2 }}
        data-testid="sub-summary"
      >
        <Item label={t('subs.cycle')} testid="sub-summary-cycle">
          {cycleLabel(s)}
        </Item>
        <Item label={t('subs.nextDelivery')} testid="sub-summary-next">
          <span data-date={s.nextDeliveryDate ?? ''}>{shown(s.nextDeliveryDate)}</span>
          {s.nextDeliveryMoved ? (
            <Badge ml={4} color="orange" tt="none">
              {t('subs.moved')}
            </Badge>
          ) : null}
        </Item>
        <Item label={t('subs.firstDelivery')}>{shown(s.firstDeliveryDate)}</Item>
        <Item label={t('subs.made')} testid="sub-summary-made">
          {t('subs.timesCount', { count: s.deliveriesMade })}
        </Item>
        <Item label={t('subs.skipped')} testid="sub-summary-skipped">
          {t('subs.timesCount', { count: s.deliveriesSkipped })}
        </Item>
        <Item label={t('subs.commitment')} testid="sub-summary-commitment">
          {s.minDeliveries > 0
            ? t('subs.commitmentShort', { min: s.minDeliveries, remaining: s.remainingCommitment })
            : t('subs.none')}
        </Item>
        <Item label={t('subs.destination')}>{addressName(s.addressId)}</Item>
        <Item label={t('subs.timeSlot')}>{s.timeSlot ?? t('orderDesk.noSlot')}</Item>
        <Item label={t('subs.payment')}>{s.paymentMethodName ?? paymentName(s.paymentMethodId)}</Item>
        <Item label={t('subs.carrier')}>
          {(['yamato', 'sagawa', 'japanpost'] as const).includes(s.carrier as 'yamato')
            ? t(`orderDesk.carriers.${s.carrier as 'yamato' | 'sagawa' | 'japanpost'}`)
            : s.carrier}
        </Item>
        <Item label={t('subs.pausedUntil')} testid="sub-summary-paused">
          {s.status === 'paused' ? (s.pausedUntil ? shown(s.pausedUntil) : t('subs.untilResumed')) : '—'}
        </Item>
        <Item label={t('subs.sourceOrder')}>
          {s.sourceOrderId ? (
            <Link to="/orders/$orderId" params={{ orderId: s.sourceOrderId }} data-testid="sub-source-order">
              {t('subs.open')}
            </Link>
          ) : (
            '—'
          )}
        </Item>
      </Box>
      <Text size="sm" mt={4} data-testid="sub-summary-lines">
        {s.lines.map((l) => `${l.productCode} ${l.productName} ×${l.quantity}`).join('、')}
        {s.note ? `（${s.note}）` : ''}
      </Text>

      <Grid gap="xs" mt={6}>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Text size="xs" fw={700} mb={2}>
            {t('subs.scheduleTitle')}
          </Text>
          {schedule.data ? (
            <Table data-testid="sub-schedule">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={64} className="num nowrap">
                    {t('subs.seq')}
                  </Table.Th>
                  <Table.Th>{t('subs.deliveryDate')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {schedule.data.deliveries.length === 0 ? (
                  <Table.Tr>
                    <Table.Td colSpan={3}>
                      <Text size="xs" c="dimmed" ta="center">
                        {t('subs.noSchedule')}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ) : null}
                {schedule.data.deliveries.map((d, i) => (
                  <Table.Tr key={`${d.seq}-${d.date}`} data-testid={`sub-schedule-row-${i}`}>
                    <Table.Td className="num nowrap">{t('subs.seqN', { n: d.seq })}</Table.Td>
                    <Table.Td className="nowrap" data-testid={`sub-schedule-date-${i}`} data-date={d.date}>
                      {shown(d.date)}
                    </Table.Td>
                    <Table.Td>
                      {d.moved ? (
                        <Text size="xs" c="orange.8">
                          {t('subs.movedFrom', { date: shortDate(d.regularDate) })}
                        </Text>
                      ) : null}
                      {i === 0 && s.status === 'paused' ? (
                        <Badge color="yellow" tt="none">
                          {t('subs.statuses.paused')}
                        </Badge>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          ) : (
            <QueryState error={schedule.error} onRetry={() => void schedule.refetch()} />
          )}
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Text size="xs" fw={700} mb={2}>
            {t('subs.historyTitle')}
          </Text>
          {history.data ? (
            <Table.ScrollContainer minWidth={500} mah={360}>
              <Table data-testid="sub-history">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={130}>{t('subs.at')}</Table.Th>
                    <Table.Th w={90}>{t('subs.by')}</Table.Th>
                    <Table.Th w={90}>{t('subs.kind')}</Table.Th>
                    <Table.Th>{t('subs.change')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {history.data.items.map((e) => (
                    <HistoryRow key={e.id} event={e} payment={paymentName} address={addressName} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          ) : (
            <QueryState error={history.error} onRetry={() => void history.refetch()} />
          )}
        </Grid.Col>
      </Grid>

      <Text size="xs" fw={700} mt={8} mb={2}>
        {t('subs.ordersTitle')}
      </Text>
      {orders.data ? (
        <OrderTable
          orders={orderItems}
          columns={[
            'number',
            'kind',
            'orderDate',
            'shipDate',
            'deliveryDate',
            'destination',
            'carrier',
            'goods',
            'quantity',
            'amount',
            { id: 'status', w: 96 },
          ]}
          minWidth={800}
          testid="sub-orders"
          rowTestid="sub-order-row"
          empty={t('subs.noOrders')}
          defaultKind="subscription"
        />
      ) : (
        <QueryState error={orders.error} onRetry={() => void orders.refetch()} />
      )}
      {orders.data ? (
        <MoreButton
          hasMore={orders.hasNextPage}
          loading={orders.isFetchingNextPage}
          shown={orderItems.length}
          onMore={() => void orders.fetchNextPage()}
          testid="sub-orders-more"
        />
      ) : null}
    </Paper>
  );
}

const KINDS = ['created', 'changed', 'skipped', 'moved', 'paused', 'resumed', 'cancelled', 'generated'] as const;
type Kind = (typeof KINDS)[number];
const isKind = (k: string): k is Kind => (KINDS as readonly string[]).includes(k);

/** One 定期変更: who, when, what, and each changed field before → after. */
function HistoryRow({
  event: e,
  payment,
  address,
}: {
  event: SubscriptionEvent;
  payment: (id: string | null | undefined) => string;
  address: (id: string | null | undefined) => string;
}) {
  const { t } = useTranslation();
  const before = (e.before ?? null) as SubscriptionSummary | null;
  const after = (e.after ?? null) as SubscriptionSummary | null;
  const changes = summaryChanges(before, after, { payment, address });
  const value = (field: string, v: string) =>
    v === ''
      ? '—'
      : field === 'status' && ['active', 'paused', 'cancelled'].includes(v)
        ? t(`subs.statuses.${v as 'active'}`)
        : field === 'carrier' && ['yamato', 'sagawa', 'japanpost'].includes(v)
          ? t(`orderDesk.carriers.${v as 'yamato'}`)
          : /^\d{4}-\d{2}-\d{2}$/.test(v)
            ? shortDate(v)
            : v;
  return (
    <Table.Tr data-testid={`sub-history-row-${e.id}`} data-kind={e.kind}>
      <Table.Td className="nowrap">{formatDateTime(e.at)}</Table.Td>
      <Table.Td className="nowrap">{e.userName ?? t('subs.system')}</Table.Td>
      <Table.Td>
        <Badge variant="light" tt="none" color={e.kind === 'cancelled' ? 'red' : 'grape'}>
          {isKind(e.kind) ? t(`subs.kinds.${e.kind}`) : e.kind}
        </Badge>
      </Table.Td>
      <Table.Td>
        {e.kind === 'generated' && after?.orderNumber !== undefined ? (
          <Text size="xs" data-testid="sub-history-generated">
            {t('subs.generatedText', { seq: after.seq ?? '', number: after.orderNumber })}
          </Text>
        ) : null}
        {changes.map((c) => (
          <Text size="xs" key={c.field} data-field={c.field}>
            <b>{t(`subs.fields.${c.field}`)}</b>: {before ? `${value(c.field, c.before)} → ` : ''}
            {value(c.field, c.after)}
          </Text>
        ))}
      </Table.Td>
    </Table.Tr>
  );
}
