import { Badge, Button, Checkbox, Group, Select, Table, Text, TextInput } from '@mantine/core';
import { IconFileTypePdf, IconPrinter } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { allItems, pagedQuery } from '../../api/paged';
import { downloadInvoices, type ShippedOrder } from '../../api/shipping';
import type { Page } from '../../api/types';
import { FormAlert } from '../../components/FormAlert';
import { FnButton } from '../../components/fkeys';
import { MoreButton } from '../../components/MoreButton';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { todayInTokyo } from '../../lib/datetime';
import { yen } from '../masters/common';
import classes from './ShippingList.module.css';

const STATUS_COLORS: Record<string, string> = {
  received: 'gray',
  instructed: 'indigo',
  shipped: 'teal',
  completed: 'green',
  cancelled: 'red',
  returned: 'orange',
};

/** 出荷確認一覧表: the parcels of a ship date, to check before they leave; printable; 納品書/請求書 PDF. */
export function ShippingListPage() {
  const { t } = useTranslation();
  const [shipDate, setShipDate] = useState(todayInTokyo());
  const [status, setStatus] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [pdfBusy, setPdfBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const filters = { shipDate, status: status ?? undefined };
  const list = useInfiniteQuery(pagedQuery<Page<ShippedOrder>>(['orders', 'shipping-list'], '/orders', filters, 200));
  const items = allItems(list.data?.pages).filter((o) => o.status !== 'cancelled' || status === 'cancelled');
  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const pdf = async () => {
    setPdfBusy(true);
    setProblem(null);
    try {
      await downloadInvoices(selected.size ? [...selected] : items.map((o) => o.id));
    } catch (error) {
      setProblem(error);
    } finally {
      setPdfBusy(false);
    }
  };

  return (
    <>
      <PageHeader title={t('shipping.listTitle')}>
        <Button
          variant="default"
          leftSection={<IconFileTypePdf size={14} />}
          onClick={() => void pdf()}
          loading={pdfBusy}
          disabled={items.length === 0}
          data-testid="shipping-list-pdf"
        >
          {selected.size ? t('shipping.invoicesSelected', { count: selected.size }) : t('shipping.invoicesAll')}
        </Button>
        <FnButton
          fkey="F9"
          variant="default"
          leftSection={<IconPrinter size={14} />}
          onClick={() => window.print()}
          testid="shipping-list-print"
        >
          {t('shipping.print')}
        </FnButton>
        <FnButton fkey="F5" variant="default" onClick={() => void list.refetch()} testid="shipping-list-refresh">
          {t('common.refresh')}
        </FnButton>
      </PageHeader>
      <Group gap={6} mb="xs" align="flex-end" className={classes.noPrint}>
        <TextInput
          type="date"
          label={t('shipping.shipDate')}
          value={shipDate}
          onChange={(e) => setShipDate(e.currentTarget.value)}
          w={160}
          data-testid="shipping-list-date"
        />
        <Select
          label={t('shipping.status')}
          placeholder={t('shipping.allStatuses')}
          data={['received', 'instructed', 'shipped', 'completed', 'cancelled', 'returned'].map((s) => ({
            value: s,
            label: t(`shipping.statuses.${s}` as 'shipping.statuses.received'),
          }))}
          value={status}
          onChange={setStatus}
          clearable
          allowDeselect
          w={160}
        />
      </Group>
      <FormAlert error={problem} />
      {list.data ? (
        <div className={classes.printable}>
          <div className={classes.printTitle}>
            {t('shipping.listTitle')} {shipDate}（{t('shipping.parcels', { count: items.length })}）
          </div>
          <Table.ScrollContainer minWidth={900}>
            <Table data-testid="shipping-list-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={30} className={classes.noPrint} />
                  <Table.Th w={130}>{t('shipping.orderNumber')}</Table.Th>
                  <Table.Th>{t('shipping.customer')}</Table.Th>
                  <Table.Th w={80}>{t('masters.common.prefecture')}</Table.Th>
                  <Table.Th>{t('shipping.items')}</Table.Th>
                  <Table.Th w={90} ta="right">
                    {t('shipping.total')}
                  </Table.Th>
                  <Table.Th w={90}>{t('shipping.status')}</Table.Th>
                  <Table.Th w={140}>{t('shipping.trackingNumber')}</Table.Th>
                  <Table.Th w={40}>{t('shipping.check')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.length === 0 ? (
                  <Table.Tr>
                    <Table.Td colSpan={9}>
                      <Text size="xs" c="dimmed" ta="center">
                        {t('shipping.nothingToShip')}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ) : null}
                {items.map((o) => (
                  <Table.Tr key={o.id} data-testid="shipping-list-row">
                    <Table.Td className={classes.noPrint}>
                      <Checkbox aria-label={o.number} checked={selected.has(o.id)} onChange={() => toggle(o.id)} />
                    </Table.Td>
                    <Table.Td className="mono">{o.number}</Table.Td>
                    <Table.Td>{o.customerName ?? ''}</Table.Td>
                    <Table.Td>{o.prefecture ?? ''}</Table.Td>
                    <Table.Td>
                      {(o.lines ?? []).map((l) => `${l.productName ?? l.productCode ?? ''}×${l.quantity}`).join('、')}
                    </Table.Td>
                    <Table.Td className="num">{yen(o.total)}</Table.Td>
                    <Table.Td>
                      <Badge color={STATUS_COLORS[o.status] ?? 'gray'}>
                        {t(`shipping.statuses.${o.status}` as 'shipping.statuses.received')}
                      </Badge>
                    </Table.Td>
                    <Table.Td className="mono">{o.trackingNumber ?? ''}</Table.Td>
                    <Table.Td>□</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </div>
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
            testid="shipping-list-more"
          />
        </div>
      ) : null}
    </>
  );
}
