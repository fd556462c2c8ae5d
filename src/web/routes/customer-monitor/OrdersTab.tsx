import { Button, Group, Paper, Text, Title } from '@mantine/core';
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
import { OrderTable } from '../orders/OrderTable';

interface Props {
  customerId: string;
  /** The order just registered: shown highlighted. */
  highlightId: string | null;
  /** 再注文 confirmed: the order form opens filled with this order. */
  onReorder: (order: Order) => Promise<void>;
}

/** 購入履歴: the customer's orders, newest first, as seed 004 lists them; 再注文 from any row. */
export function OrdersTab({ customerId, highlightId, onReorder }: Props) {
  const { t } = useTranslation();
  const list = useInfiniteQuery(ordersPaged({ customerId }, 30));
  const items = allItems(list.data?.pages);
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
        <OrderTable
          orders={items}
          columns={[
            'number',
            'kind',
            'orderDate',
            'shipDate',
            'deliveryDate',
            'destination',
            'adMedium',
            'channel',
            'carrier',
            { id: 'goods', miw: 200 },
            'quantity',
            'amount',
            'paid',
            'status',
          ]}
          minWidth={1000}
          testid="order-history"
          rowTestid="history-row"
          linkTestid="history-open"
          empty={t('orderDesk.noOrders')}
          highlightId={highlightId}
          actions={(o) => (
            <Button
              size="compact-xs"
              variant="light"
              leftSection={<IconRepeat size={12} />}
              onClick={() => setPicked(o)}
              data-testid={`history-reorder-${o.id}`}
            >
              {t('orderDesk.reorder')}
            </Button>
          )}
        />
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
