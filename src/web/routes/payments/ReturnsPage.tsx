import { Badge, Table, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { allItems, pagedQuery } from '../../api/paged';
import type { ReturnItem } from '../../api/payments';
import type { Page } from '../../api/types';
import { FnButton } from '../../components/fkeys';
import { MoreButton } from '../../components/MoreButton';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { yen } from '../masters/common';

/** 返品一覧: returns with their reason, items, restock and refund or exchange. */
export function ReturnsPage() {
  const { t } = useTranslation();
  const list = useInfiniteQuery(pagedQuery<Page<ReturnItem>>(['returns'], '/returns', {}, 100));
  const items = allItems(list.data?.pages);
  return (
    <>
      <PageHeader title={t('returns.title')}>
        <FnButton fkey="F5" variant="default" onClick={() => void list.refetch()} testid="returns-refresh">
          {t('common.refresh')}
        </FnButton>
      </PageHeader>
      {list.data ? (
        <Table data-testid="returns-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={100}>{t('returns.returnedOn')}</Table.Th>
              <Table.Th w={130}>{t('shipping.orderNumber')}</Table.Th>
              <Table.Th>{t('shipping.customer')}</Table.Th>
              <Table.Th>{t('shipping.items')}</Table.Th>
              <Table.Th w={140}>{t('returns.reason')}</Table.Th>
              <Table.Th w={110}>{t('returns.resolution')}</Table.Th>
              <Table.Th w={90} ta="right">
                {t('returns.refund')}
              </Table.Th>
              <Table.Th w={70}>{t('returns.restocked')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={8}>
                  <Text size="xs" c="dimmed" ta="center">
                    {t('common.noData')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ) : null}
            {items.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{r.returnedOn}</Table.Td>
                <Table.Td className="mono">{r.orderNumber}</Table.Td>
                <Table.Td>{r.customerName}</Table.Td>
                <Table.Td>{r.lines.map((l) => `${l.productName}×${l.quantity}`).join('、')}</Table.Td>
                <Table.Td>{r.reasonName ?? ''}</Table.Td>
                <Table.Td>
                  <Badge>{t(`returns.resolutions.${r.resolution}`)}</Badge>
                </Table.Td>
                <Table.Td className="num">{yen(r.refundAmount)}</Table.Td>
                <Table.Td>{r.restocked ? '✓' : ''}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <QueryState error={list.error} onRetry={() => void list.refetch()} />
      )}
      {list.data ? (
        <MoreButton
          hasMore={list.hasNextPage}
          loading={list.isFetchingNextPage}
          shown={items.length}
          onMore={() => void list.fetchNextPage()}
          testid="returns-more"
        />
      ) : null}
    </>
  );
}
