import { Anchor, Badge, Box, Button, Grid, Group, Paper, Table, Text, Title } from '@mantine/core';
import { IconExternalLink } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { carrierAccountsQuery } from '../../api/catalogue';
import { type Order, orderEventsQuery, orderQuery, timeSlotOf } from '../../api/orders';
import { FnButton } from '../../components/fkeys';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { i18n } from '../../i18n';
import { formatDate, formatDateTime } from '../../lib/datetime';
import { OrderTotals } from '../customer-monitor/OrderTotals';
import { yen } from '../customer-monitor/ProductCodeInput';
import { OrderMoneyPanel } from '../payments/OrderMoneyPanel';
import { OrderCancelModal, OrderEditModal } from './OrderDialogs';
import { OrderStatusBadge, useAdMediumName } from './orderFormat';

function Info({ label, children, testid }: { label: string; children: ReactNode; testid?: string }) {
  return (
    <>
      <Box bg="gray.1" px={6} py={2} fz="xs" fw={600} style={{ whiteSpace: 'nowrap' }}>
        {label}
      </Box>
      <Box px={4} py={2} fz="xs" data-testid={testid}>
        {children}
      </Box>
    </>
  );
}

/** The tracking page of a parcel: the order's own link, else the carrier's page template. */
function useTrackingUrl(order: Order): string | null {
  const accounts = useQuery({ ...carrierAccountsQuery, enabled: Boolean(order.trackingNumber && !order.trackingUrl) });
  if (!order.trackingNumber) return null;
  if (order.trackingUrl) return order.trackingUrl;
  const template = accounts.data?.items.find((a) => a.carrier === order.carrier)?.trackingUrl;
  return template ? template.replace('{number}', encodeURIComponent(order.trackingNumber)) : null;
}

const EDITABLE = new Set(['received']);
const CANCELLABLE = new Set(['received', 'instructed']);

function OrderDetail({ order }: { order: Order }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const tracking = useTrackingUrl(order);
  const adName = useAdMediumName();
  const events = useQuery(orderEventsQuery(order.id));
  const date = (d: string | null | undefined) => (d ? formatDate(d, i18n.language) : '—');
  const to = order.shipTo;
  const eventKind = (kind: string) => {
    const key = `orderList.eventKinds.${kind}`;
    return i18n.exists(key) ? t(key as 'orderList.eventKinds.created') : kind;
  };

  return (
    <>
      <PageHeader title={t('orderList.detailTitle', { number: order.number })}>
        <OrderStatusBadge status={order.status} />
        <FnButton
          fkey="F2"
          variant="default"
          disabled={!EDITABLE.has(order.status)}
          title={EDITABLE.has(order.status) ? undefined : t('orderList.editOnlyReceived')}
          onClick={() => setEditing(true)}
          testid="order-edit-open"
        >
          {t('orderList.edit')}
        </FnButton>
        <FnButton
          fkey="F4"
          color="red"
          variant="light"
          disabled={!CANCELLABLE.has(order.status)}
          onClick={() => setCancelling(true)}
          testid="order-cancel-open"
        >
          {t('orderList.cancel')}
        </FnButton>
        <Button
          variant="default"
          onClick={() =>
            void navigate({
              to: '/customers/$customerId',
              params: { customerId: order.customerId },
              search: { tab: 'orders' },
            })
          }
          data-testid="order-open-monitor"
        >
          {t('orderList.openMonitor')}
        </Button>
        <FnButton fkey="F3" variant="default" onClick={() => void navigate({ to: '/orders' })} testid="order-back">
          {t('orderList.back')}
        </FnButton>
      </PageHeader>
      <Grid gap="xs">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Paper withBorder p="xs" mb="xs">
            <Title order={3} mb={4}>
              {t('orderList.orderInfo')}
            </Title>
            <Box style={{ display: 'grid', gridTemplateColumns: 'auto 1fr auto 1fr', gap: 2 }}>
              <Info label={t('orderList.customerName')}>
                <Link to="/customers/$customerId" params={{ customerId: order.customerId }} search={{ tab: 'orders' }}>
                  {order.customerName ?? order.customerId}
                </Link>{' '}
                <Text span c="dimmed" className="mono">
                  {order.customerCode}
                </Text>
              </Info>
              <Info label={t('orderDesk.kind')}>{t(`orderDesk.kinds.${order.kind ?? 'normal'}`)}</Info>
              <Info label={t('orderDesk.orderDate')}>{date(order.orderDate)}</Info>
              <Info label={t('orderList.orderedAt')}>{formatDateTime(order.orderedAt)}</Info>
              <Info label={t('orderDesk.shipDate')} testid="order-detail-ship-date">
                {date(order.shipDate)}
              </Info>
              <Info label={t('orderDesk.desiredDate')}>{date(order.desiredDeliveryDate)}</Info>
              <Info label={t('orderDesk.timeSlot')}>{timeSlotOf(order) ?? t('orderDesk.noSlot')}</Info>
              <Info label={t('orderDesk.carrier')}>
                {order.carrier ? t(`orderDesk.carriers.${order.carrier}`) : ''}
              </Info>
              <Info label={t('orderList.tracking')} testid="order-detail-tracking">
                {order.trackingNumber ? (
                  <Group gap={4}>
                    <Text span className="mono" fz="xs">
                      {order.trackingNumber}
                    </Text>
                    {tracking ? (
                      <Anchor
                        href={tracking}
                        target="_blank"
                        rel="noreferrer"
                        fz="xs"
                        data-testid="order-tracking-link"
                      >
                        {t('orderList.trackingOpen')} <IconExternalLink size={11} />
                      </Anchor>
                    ) : null}
                  </Group>
                ) : (
                  '—'
                )}
              </Info>
              <Info label={t('orderDesk.payment')}>{order.paymentMethodName ?? order.paymentMethod ?? '—'}</Info>
              <Info label={t('orderList.paidAmount')}>
                {order.paidAmount === undefined ? '—' : `¥${yen(order.paidAmount)}`}
              </Info>
              <Info label={t('orderDesk.campaign')}>
                {order.campaigns?.length
                  ? order.campaigns.map((c) => (
                      <Badge key={c.code} color="grape" tt="none" mr={2}>
                        {c.name}
                      </Badge>
                    ))
                  : '—'}
              </Info>
              <Info label={t('orderDesk.deliveryDate')}>{date(order.deliveryDate)}</Info>
              <Info label={t('orderDesk.adMedium')}>{adName(order.adMediumId) || '—'}</Info>
              <Info label={t('orderDesk.channel')}>
                {order.channel ? t(`orderDesk.channels.${order.channel}`) : ''}
              </Info>
              <Info label={t('orderDesk.sortCode')}>{order.sortCode ?? '—'}</Info>
              <Info label={t('orderList.staffName')}>{order.staffName ?? '—'}</Info>
              <Info label={t('orderDesk.note')}>{order.note ?? ''}</Info>
            </Box>
            {to ? (
              <Text size="xs" mt={6} data-testid="order-detail-ship-to">
                <b>{t('orderList.shipTo')}</b>: {to.name}
                {to.company ? ` (${to.company})` : ''} {to.postalCode ? `〒${to.postalCode} ` : ''}
                {[to.prefecture, to.city, to.address1, to.address2].filter(Boolean).join('')} {to.phone ?? ''}
              </Text>
            ) : null}
          </Paper>
          <Paper withBorder p="xs">
            <Title order={3} mb={4}>
              {t('orderList.lines')}
            </Title>
            <Table data-testid="order-detail-lines">
              <Table.Thead className="nowrap">
                <Table.Tr>
                  <Table.Th w={30}>#</Table.Th>
                  <Table.Th w={100}>{t('orderDesk.productCode')}</Table.Th>
                  <Table.Th>{t('orderDesk.productName')}</Table.Th>
                  <Table.Th w={80} className="num">
                    {t('orderDesk.unitPrice')}
                  </Table.Th>
                  <Table.Th w={50} className="num">
                    {t('orderDesk.quantity')}
                  </Table.Th>
                  <Table.Th w={90} className="num">
                    {t('orderDesk.amount')}
                  </Table.Th>
                  <Table.Th w={50} className="num">
                    {t('orderDesk.taxRate')}
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {order.lines.map((l, i) => (
                  <Table.Tr key={l.lineNo ?? i}>
                    <Table.Td className="num">{l.lineNo ?? i + 1}</Table.Td>
                    <Table.Td className="mono">{l.productCode}</Table.Td>
                    <Table.Td>
                      {l.kind && l.kind !== 'item' ? (
                        <Badge size="xs" mr={4} color={l.kind === 'present' ? 'pink' : 'gray'}>
                          {t(`orderList.lineKinds.${l.kind}`)}
                        </Badge>
                      ) : null}
                      {l.productName}
                    </Table.Td>
                    <Table.Td className="num">{yen(l.unitPrice)}</Table.Td>
                    <Table.Td className="num">{l.quantity}</Table.Td>
                    <Table.Td className="num">{yen(l.amount)}</Table.Td>
                    <Table.Td className="num">{l.taxRate}%</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <OrderTotals quote={order} testid="order-detail-totals" />
          <OrderMoneyPanel order={order} />
          <Paper withBorder p="xs" mt="xs">
            <Title order={3} mb={4}>
              {t('orderList.events')}
            </Title>
            <Table data-testid="order-detail-events">
              <Table.Tbody>
                {(events.data?.items ?? order.events ?? []).map((e) => (
                  <Table.Tr key={e.id}>
                    <Table.Td className="nowrap" w={120}>
                      {formatDateTime(e.at)}
                    </Table.Td>
                    <Table.Td className="nowrap">{eventKind(e.kind)}</Table.Td>
                    <Table.Td>{e.userName ?? ''}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
        </Grid.Col>
      </Grid>
      <OrderEditModal order={order} opened={editing} onClose={() => setEditing(false)} />
      <OrderCancelModal order={order} opened={cancelling} onClose={() => setCancelling(false)} />
    </>
  );
}

/** /orders/$orderId: an order with its lines, taxes by rate, events and tracking; 変更 and キャンセル. */
export function OrderDetailPage() {
  const { orderId } = useParams({ strict: false }) as { orderId: string };
  const order = useQuery(orderQuery(orderId));
  return order.data ? (
    <OrderDetail order={order.data} />
  ) : (
    <QueryState error={order.error} onRetry={() => void order.refetch()} />
  );
}
