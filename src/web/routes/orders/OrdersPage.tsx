import { Button, Group, NativeSelect, Paper, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStaffDirectory } from '../../api/cases';
import { ORDER_CARRIERS, ORDER_STATUSES, type OrderFilters, ordersPaged } from '../../api/orders';
import { allItems } from '../../api/paged';
import { FnButton } from '../../components/fkeys';
import { MoreButton } from '../../components/MoreButton';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { todayInTokyo } from '../../lib/datetime';
import { OrdersCsvButtons } from '../order-import/OrdersCsvButtons';
import { OrderTable } from './OrderTable';

/** /orders?from=&to=&carrier=&staffId=&status=&customerId=&number= */
export type OrdersSearch = Pick<
  OrderFilters,
  'from' | 'to' | 'carrier' | 'staffId' | 'status' | 'customerId' | 'number'
>;

/** 受注一覧: the day's orders by default (受付日), filtered by carrier, staff, status, customer, number. */
export function OrdersPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const search: OrdersSearch = useSearch({ strict: false });
  const today = todayInTokyo();
  // The day's orders by default; one customer's orders over any dates.
  const byDay = !search.customerId && !search.number;
  const filters: OrderFilters = {
    ...search,
    from: search.from ?? (byDay ? today : undefined),
    to: search.to ?? (byDay ? today : undefined),
  };
  const [form, setForm] = useState<OrderFilters>(filters);
  const { staff } = useStaffDirectory();
  const list = useInfiniteQuery(ordersPaged(filters, 100));
  const items = allItems(list.data?.pages);

  const apply = (filters: OrderFilters) => {
    // 受注No. as digits (full-width typed too).
    const number = String(filters.number ?? '')
      .normalize('NFKC')
      .replace(/\D/g, '');
    const next = { ...filters, number: number || undefined };
    const clean = Object.fromEntries(Object.entries(next).filter(([, v]) => v !== '' && v !== undefined && v !== null));
    void navigate({ to: '/orders', search: clean as OrdersSearch, replace: true });
  };
  const field = (key: keyof OrdersSearch) => ({
    value: (form[key] as string | undefined) ?? '',
    onChange: (event: { currentTarget: { value: string } }) =>
      setForm((f) => ({ ...f, [key]: event.currentTarget.value })),
    'data-testid': `orders-filter-${key}`,
  });

  return (
    <>
      <PageHeader title={t('orderList.title')}>
        <OrdersCsvButtons filters={filters} />
        <FnButton fkey="F5" variant="default" onClick={() => void list.refetch()} testid="orders-refresh">
          {t('common.refresh')}
        </FnButton>
      </PageHeader>
      <Paper withBorder p={6} mb="xs">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            apply(form);
          }}
        >
          <Group gap={6} align="flex-end" wrap="wrap">
            <TextInput type="date" label={t('orderList.from')} {...field('from')} w={140} />
            <TextInput type="date" label={t('orderList.to')} {...field('to')} w={140} />
            <NativeSelect
              label={t('orderDesk.carrier')}
              {...field('carrier')}
              data={[
                { value: '', label: t('orderList.all') },
                ...ORDER_CARRIERS.map((c) => ({ value: c, label: t(`orderDesk.carriers.${c}`) })),
              ]}
            />
            <NativeSelect
              label={t('orderList.staff')}
              {...field('staffId')}
              data={[{ value: '', label: t('orderList.all') }, ...staff.map((s) => ({ value: s.id, label: s.name }))]}
            />
            <NativeSelect
              label={t('orderList.status')}
              {...field('status')}
              data={[
                { value: '', label: t('orderList.all') },
                ...ORDER_STATUSES.map((s) => ({ value: s, label: t(`orderList.statuses.${s}`) })),
              ]}
            />
            <TextInput
              label={t('orderList.number')}
              placeholder={t('orderList.numberHint')}
              {...field('number')}
              w={110}
            />
            {form.customerId ? (
              <Button
                variant="light"
                color="gray"
                onClick={() => setForm((f) => ({ ...f, customerId: undefined }))}
                data-testid="orders-filter-customer-clear"
              >
                {t('orderList.customer')} ✕
              </Button>
            ) : null}
            <Button type="submit" leftSection={<IconSearch size={14} />} data-testid="orders-search">
              {t('orderList.search')}
            </Button>
          </Group>
        </form>
      </Paper>
      {list.data ? (
        <OrderTable
          orders={items}
          columns={[
            'number',
            { id: 'status', w: undefined, miw: 84 },
            'kind',
            'channel',
            'customerCode',
            'customerName',
            'shipTo',
            'adMedium',
            { id: 'goods', label: t('orderList.goods') },
            'quantity',
            'amount',
            { id: 'carrier', w: 70 },
            'orderDate',
            'shipDate',
            'staff',
          ]}
          minWidth={1200}
          testid="orders-table"
          rowTestid="orders-row"
          channelTestid="orders-channel"
          empty={t('common.noData')}
          onRowClick={(o) => void navigate({ to: '/orders/$orderId', params: { orderId: o.id } })}
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
          testid="orders-more"
        />
      ) : null}
    </>
  );
}
