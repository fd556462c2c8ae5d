import { Badge, Grid, Group, Paper, SegmentedControl, Table, Text, TextInput, Title } from '@mantine/core';
import { IconChartBar, IconPrinter, IconRefresh, IconTruckDelivery } from '@tabler/icons-react';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/auth';
import { allItems, pagedQuery } from '../../api/paged';
import {
  generateSubscriptions,
  type ShipmentsBy,
  type ShipmentsPage,
  type SubscriptionShipment,
  shipmentsSummaryQuery,
  subscriptionShipmentsKey,
} from '../../api/subscriptionShipments';
import { ConfirmModal } from '../../components/ConfirmModal';
import { FnButton } from '../../components/fkeys';
import { MoreButton } from '../../components/MoreButton';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { todayInTokyo } from '../../lib/datetime';
import { notifyError, notifySuccess } from '../../lib/notify';
import { CsvButtons } from '../lists/CsvButtons';
import { yen } from '../masters/common';
import { OrderStatusBadge, shortDate } from '../orders/orderFormat';
import classes from './SubscriptionShipments.module.css';

const PAGE = 500;

function Goods({ lines }: { lines: SubscriptionShipment['lines'] }) {
  const { t } = useTranslation();
  return (
    <>
      {lines.map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: an order's lines never reorder, and a product may repeat
        <Text key={`${l.productId}-${i}`} size="xs" c={l.kind === 'item' ? undefined : 'dimmed'} className="nowrap">
          {l.kind === 'present' ? `【${t('subship.present')}】` : l.kind === 'component' ? `└ ` : ''}
          <span className="mono">{l.productCode}</span> {l.productName} ×{l.quantity}
        </Text>
      ))}
    </>
  );
}

/**
 * 定期発送一覧 (seed 004): the subscription orders shipping — or delivered — on a day (the next
 * business day by default), per-product totals for picking, CSV, a print stylesheet for the
 * 定期発送一覧表, the hand-over to 送り状データ出力, and "generate now" for supervisors and admins.
 */
export function SubscriptionShipmentsPage() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const staff = me.role === 'admin' || me.role === 'supervisor';
  // undefined: the server's next business day (its answer names the day).
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const [by, setBy] = useState<ShipmentsBy>('ship');
  const [confirming, setConfirming] = useState(false);
  const [printing, setPrinting] = useState(false);
  const filters = { date: chosen, by };
  const list = useInfiniteQuery(
    pagedQuery<ShipmentsPage>([...subscriptionShipmentsKey, 'list'], '/subscriptions/shipments', filters, PAGE),
  );
  const summary = useQuery(shipmentsSummaryQuery(chosen, by));
  const items = allItems(list.data?.pages);
  const date = chosen ?? list.data?.pages[0]?.date ?? summary.data?.date ?? '';
  const byLabel = by === 'ship' ? t('subship.byShip') : t('subship.byDelivery');

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: subscriptionShipmentsKey });
  };
  const print = async () => {
    setPrinting(true);
    try {
      // Paper gets every row: load the remaining pages first.
      let more = list.hasNextPage;
      while (more) more = (await list.fetchNextPage()).hasNextPage;
      window.print();
    } catch (error) {
      notifyError(error);
    } finally {
      setPrinting(false);
    }
  };
  const toShipping = () =>
    void navigate({ to: '/shipping/export', search: by === 'ship' && date ? { shipDate: date } : {} });

  return (
    <>
      <PageHeader title={t('subship.title')}>
        <FnButton
          fkey="F9"
          variant="default"
          leftSection={<IconPrinter size={14} />}
          onClick={() => void print()}
          loading={printing}
          disabled={items.length === 0}
          testid="subship-print"
        >
          {t('subship.print')}
        </FnButton>
        <FnButton
          fkey="F8"
          variant="default"
          leftSection={<IconTruckDelivery size={14} />}
          onClick={toShipping}
          disabled={!staff || by !== 'ship'}
          testid="subship-to-shipping"
        >
          {t('subship.toShipping')}
        </FnButton>
        {staff ? (
          <FnButton
            fkey="F10"
            variant="default"
            leftSection={<IconChartBar size={14} />}
            onClick={() => void navigate({ to: '/subscription-shipments/forecast' })}
            testid="subship-forecast"
          >
            {t('subship.forecastLink')}
          </FnButton>
        ) : null}
        {staff ? (
          <FnButton fkey="F6" color="orange" onClick={() => setConfirming(true)} testid="subship-generate">
            {t('subship.generate')}
          </FnButton>
        ) : null}
        <FnButton
          fkey="F5"
          variant="default"
          leftSection={<IconRefresh size={14} />}
          onClick={refresh}
          testid="subship-refresh"
        >
          {t('common.refresh')}
        </FnButton>
      </PageHeader>
      {/* The day and the CSV on a bar of their own: the header keeps the title and the F-key buttons on one line. */}
      <Group gap={6} mb="xs" wrap="wrap" className={classes.noPrint} data-testid="subship-filters">
        <TextInput
          type="date"
          aria-label={t('subship.date')}
          value={date}
          onChange={(event) => event.currentTarget.value && setChosen(event.currentTarget.value)}
          data-testid="subship-date"
        />
        <SegmentedControl
          size="xs"
          aria-label={t('subship.by')}
          value={by}
          onChange={(v) => setBy(v as ShipmentsBy)}
          data={[
            { value: 'ship', label: t('subship.byShip') },
            { value: 'delivery', label: t('subship.byDelivery') },
          ]}
          data-testid="subship-by"
        />
        <CsvButtons path="/subscriptions/shipments.csv" query={{ date: date || undefined, by }} testid="subship-csv" />
      </Group>

      <div className={classes.printable}>
        <div className={classes.printTitle}>{t('subship.printTitle', { date: shortDate(date), by: byLabel })}</div>
        <Grid gap="xs">
          <Grid.Col span={12}>
            {list.data ? (
              <Table.ScrollContainer minWidth={1100}>
                <Table data-testid="subship-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th w={70}>{t('subship.orderNumber')}</Table.Th>
                      <Table.Th w={70}>{t('subship.subscription')}</Table.Th>
                      <Table.Th w={50}>{t('subship.seq')}</Table.Th>
                      <Table.Th>{t('subship.customer')}</Table.Th>
                      <Table.Th>{t('subship.goods')}</Table.Th>
                      <Table.Th w={90}>{by === 'ship' ? t('subship.deliveryDate') : t('subship.shipDate')}</Table.Th>
                      <Table.Th w={80}>{t('subship.timeSlot')}</Table.Th>
                      <Table.Th w={70}>{t('subship.carrier')}</Table.Th>
                      <Table.Th w={70}>{t('subship.prefecture')}</Table.Th>
                      <Table.Th w={80} className="num">
                        {t('subship.amount')}
                      </Table.Th>
                      <Table.Th w={100}>{t('subship.status')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {items.length === 0 ? (
                      <Table.Tr>
                        <Table.Td colSpan={11}>
                          <Text size="xs" c="dimmed" ta="center">
                            {t('common.noData')}
                          </Text>
                        </Table.Td>
                      </Table.Tr>
                    ) : null}
                    {items.map((s) => (
                      <Table.Tr
                        key={s.orderId}
                        data-testid={`subship-row-${s.orderNumber}`}
                        style={{ verticalAlign: 'top' }}
                      >
                        <Table.Td className="mono">
                          <Link to="/orders/$orderId" params={{ orderId: s.orderId }}>
                            {s.orderNumber}
                          </Link>
                        </Table.Td>
                        <Table.Td className="mono">{s.subscriptionNumber}</Table.Td>
                        <Table.Td className="nowrap">
                          {s.deliverySeq === null ? '' : t('subship.seqValue', { seq: s.deliverySeq })}
                        </Table.Td>
                        <Table.Td className="nowrap">
                          <Link to="/customers/$customerId" params={{ customerId: s.customerId }} search={{}}>
                            {s.customerName}
                          </Link>
                          <Text span size="xs" c="dimmed" ml={4} className="mono">
                            {s.customerCode}
                          </Text>
                          {s.customerKana ? (
                            <Text size="xs" c="dimmed">
                              {s.customerKana}
                            </Text>
                          ) : null}
                        </Table.Td>
                        <Table.Td>
                          <Goods lines={s.lines} />
                        </Table.Td>
                        <Table.Td className="nowrap">
                          {shortDate(by === 'ship' ? s.deliveryDate : s.shipDate)}
                          {s.late ? (
                            <>
                              <Badge color="red" ml={4} data-testid={`subship-late-${s.orderNumber}`}>
                                {t('subship.late')}
                              </Badge>
                              <Text size="xs" c="dimmed">
                                {t('subship.scheduled', { date: shortDate(s.scheduledDate) })}
                              </Text>
                            </>
                          ) : null}
                        </Table.Td>
                        <Table.Td className="nowrap">{s.timeSlotLabel ?? s.timeSlot ?? ''}</Table.Td>
                        <Table.Td className="nowrap">{t(`orderDesk.carriers.${s.carrier}`)}</Table.Td>
                        <Table.Td className="nowrap">{s.prefecture}</Table.Td>
                        <Table.Td className="num">{yen(s.amount)}</Table.Td>
                        <Table.Td>
                          <OrderStatusBadge status={s.status} />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            ) : (
              <QueryState error={list.error} onRetry={() => void list.refetch()} />
            )}
            {list.data ? (
              <div className={classes.noPrint}>
                <MoreButton
                  hasMore={list.hasNextPage}
                  loading={list.isFetchingNextPage}
                  shown={items.length}
                  onMore={() => void list.fetchNextPage()}
                  testid="subship-more"
                />
              </div>
            ) : null}
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 6, lg: 4 }} className={classes.totals}>
            <Paper withBorder p="xs">
              <Group justify="space-between" mb={4}>
                <Title order={3}>{t('subship.totalsTitle')}</Title>
                {summary.data ? (
                  <Text size="xs" c="dimmed" data-testid="subship-order-count">
                    {t('subship.orders', { count: summary.data.orders })}
                  </Text>
                ) : null}
              </Group>
              {summary.data ? (
                <Table data-testid="subship-totals">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('subship.productName')}</Table.Th>
                      <Table.Th w={60}>{t('subship.kind')}</Table.Th>
                      <Table.Th w={50} className="num">
                        {t('subship.quantity')}
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {summary.data.items.length === 0 ? (
                      <Table.Tr>
                        <Table.Td colSpan={3}>
                          <Text size="xs" c="dimmed" ta="center">
                            {t('common.noData')}
                          </Text>
                        </Table.Td>
                      </Table.Tr>
                    ) : null}
                    {summary.data.items.map((p) => (
                      <Table.Tr key={`${p.productId}-${p.kind}`} data-testid={`subship-total-${p.productCode}`}>
                        <Table.Td>
                          <Text span size="xs" className="mono" mr={4}>
                            {p.productCode}
                          </Text>
                          {p.productName}
                        </Table.Td>
                        <Table.Td className="nowrap">{t(`subship.kinds.${p.kind}`)}</Table.Td>
                        <Table.Td className="num">{p.quantity}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              ) : (
                <QueryState error={summary.error} onRetry={() => void summary.refetch()} />
              )}
            </Paper>
          </Grid.Col>
        </Grid>
      </div>

      <ConfirmModal
        opened={confirming}
        title={t('subship.generateTitle')}
        message={t('subship.generateConfirm', { date: shortDate(todayInTokyo()) })}
        confirmLabel={t('subship.generate')}
        color="orange"
        onClose={() => setConfirming(false)}
        onConfirm={async () => {
          const r = await generateSubscriptions();
          notifySuccess(t('subship.generated', { created: r.created, late: r.late, exceptions: r.exceptions }));
          refresh();
        }}
      />
    </>
  );
}
