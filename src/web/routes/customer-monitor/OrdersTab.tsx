import { Button, Group, Paper, Table, Text, Title } from '@mantine/core';
import { IconRepeat } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Order, ordersPaged } from '../../api/orders';
import { allItems } from '../../api/paged';
import { ConfirmModal } from '../../components/ConfirmModal';
import { MoreButton } from '../../components/MoreButton';
import { QueryState } from '../../components/QueryState';
import { OrderStatusBadge, shortDate, useAdMediumName } from '../orders/orderFormat';
import { yen } from './ProductCodeInput';

interface Props {
  customerId: string;
  /** The order just registered: shown highlighted. */
  highlightId: string | null;
  /** 再注文 confirmed: the order form opens filled with this order. */
  onReorder: (order: Order) => Promise<void>;
}

/** Goods of an order in one cell: the first product and how many more. */
export function goodsOf(order: Pick<Order, 'lines'>, more: (n: number) => string): { name: string; quantity: number } {
  const items = (order.lines ?? []).filter((l) => (l.kind ?? 'item') === 'item');
  const first = items[0];
  const quantity = items.reduce((n, l) => n + l.quantity, 0);
  if (!first) return { name: '', quantity };
  return {
    name: `${first.productName ?? first.productCode ?? ''}${items.length > 1 ? ` ${more(items.length - 1)}` : ''}`,
    quantity,
  };
}

/** 購入履歴: the customer's orders, newest first, as seed 004 lists them; 再注文 from any row. */
export function OrdersTab({ customerId, highlightId, onReorder }: Props) {
  const { t } = useTranslation();
  const list = useInfiniteQuery(ordersPaged({ customerId }, 30));
  const items = allItems(list.data?.pages);
  const adName = useAdMediumName();
  const [picked, setPicked] = useState<Order | null>(null);

  return (
    <Paper withBorder p="xs">
      <Group justify="space-between" mb={6}>
        <Title order={3}>{t('orderDesk.historyTitle')}</Title>
        <Group gap={8}>
          <Text size="xs" c="dimmed">
            {t('orderDesk.historyHint')}
          </Text>
          <Button
            renderRoot={(props) => <Link to="/orders" search={{ customerId }} {...props} />}
            variant="default"
            data-testid="history-open-list"
          >
            {t('orderList.title')}
          </Button>
        </Group>
      </Group>
      {list.data ? (
        <Table.ScrollContainer minWidth={1000}>
          <Table data-testid="order-history">
            <Table.Thead className="nowrap">
              <Table.Tr>
                <Table.Th w={70}>{t('orderList.number')}</Table.Th>
                <Table.Th w={50}>{t('orderDesk.kind')}</Table.Th>
                <Table.Th w={86}>{t('orderDesk.orderDate')}</Table.Th>
                <Table.Th w={86}>{t('orderDesk.shipDate')}</Table.Th>
                <Table.Th w={86}>{t('orderDesk.deliveryDate')}</Table.Th>
                <Table.Th w={70}>{t('orderDesk.destinationShort')}</Table.Th>
                <Table.Th miw={120}>{t('orderDesk.adMedium')}</Table.Th>
                <Table.Th w={50}>{t('orderDesk.channel')}</Table.Th>
                <Table.Th w={60}>{t('orderDesk.carrier')}</Table.Th>
                <Table.Th miw={200}>{t('orderDesk.productName')}</Table.Th>
                <Table.Th w={40} className="num">
                  {t('orderDesk.quantityShort')}
                </Table.Th>
                <Table.Th w={80} className="num">
                  {t('orderDesk.amount')}
                </Table.Th>
                <Table.Th w={40}>{t('orderDesk.paid')}</Table.Th>
                <Table.Th w={70}>{t('orderList.status')}</Table.Th>
                <Table.Th w={80} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={15}>
                    <Text size="xs" c="dimmed" ta="center">
                      {t('orderDesk.noOrders')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : null}
              {items.map((o) => {
                const goods = goodsOf(o, (n) => t('orderDesk.andMore', { count: n }));
                const paid = o.paidAmount !== undefined && o.paidAmount >= o.total && o.total > 0;
                return (
                  <Table.Tr
                    key={o.id}
                    data-testid={`history-row-${o.id}`}
                    data-number={o.number}
                    bg={o.id === highlightId ? 'yellow.0' : undefined}
                  >
                    <Table.Td className="mono">
                      <Link to="/orders/$orderId" params={{ orderId: o.id }} data-testid={`history-open-${o.id}`}>
                        {o.number}
                      </Link>
                    </Table.Td>
                    <Table.Td className="nowrap">{t(`orderDesk.kinds.${o.kind ?? 'normal'}`)}</Table.Td>
                    <Table.Td className="nowrap">{shortDate(o.orderDate ?? o.orderedAt?.slice(0, 10))}</Table.Td>
                    <Table.Td className="nowrap">{shortDate(o.shipDate)}</Table.Td>
                    <Table.Td className="nowrap">{shortDate(o.deliveryDate)}</Table.Td>
                    <Table.Td className="nowrap">{o.shipTo?.prefecture ?? ''}</Table.Td>
                    <Table.Td>{adName(o.adMediumId)}</Table.Td>
                    <Table.Td className="nowrap">{o.channel ? t(`orderDesk.channels.${o.channel}`) : ''}</Table.Td>
                    <Table.Td className="nowrap">{o.carrier ? t(`orderDesk.carriers.${o.carrier}`) : ''}</Table.Td>
                    <Table.Td>{goods.name}</Table.Td>
                    <Table.Td className="num">{goods.quantity || ''}</Table.Td>
                    <Table.Td className="num">{yen(o.total)}</Table.Td>
                    <Table.Td>
                      {o.paidAmount === undefined ? '' : paid ? t('orderDesk.paidYes') : t('orderDesk.paidNo')}
                    </Table.Td>
                    <Table.Td>
                      <OrderStatusBadge status={o.status} />
                    </Table.Td>
                    <Table.Td>
                      <Button
                        size="compact-xs"
                        variant="light"
                        leftSection={<IconRepeat size={12} />}
                        onClick={() => setPicked(o)}
                        data-testid={`history-reorder-${o.id}`}
                      >
                        {t('orderDesk.reorder')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : (
        <QueryState error={list.error} onRetry={() => void list.refetch()} />
      )}
      {list.data ? (
        <MoreButton
          hasMore={list.hasNextPage}
          loading={list.isFetchingNextPage}
          shown={items.length}
          onMore={() => void list.fetchNextPage()}
          testid="history-more"
        />
      ) : null}
      <ConfirmModal
        opened={picked !== null}
        title={t('orderDesk.reorderTitle')}
        message={t('orderDesk.reorderQuestion', { number: picked?.number ?? '' })}
        confirmLabel={t('orderDesk.yes')}
        color="indigo"
        onClose={() => setPicked(null)}
        onConfirm={async () => {
          if (picked) await onReorder(picked);
        }}
      />
    </Paper>
  );
}
