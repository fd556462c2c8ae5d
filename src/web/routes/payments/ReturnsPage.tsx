import { Badge, Group, Table, Text, TextInput } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { allItems, pagedQuery } from '../../api/paged';
import { type ReturnRecord, returnsKey } from '../../api/payments';
import type { Page } from '../../api/types';
import { FnButton } from '../../components/fkeys';
import { MoreButton } from '../../components/MoreButton';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { yen } from '../masters/common';

/** 返品一覧: returns, newest received first, with their reason, items, restock and refund or exchange. 返品入力 is on the order. */
export function ReturnsPage() {
  const { t } = useTranslation();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const list = useInfiniteQuery(
    pagedQuery<Page<ReturnRecord>>(
      [...returnsKey, 'list'],
      '/returns',
      { from: from || undefined, to: to || undefined },
      100,
    ),
  );
  const items = allItems(list.data?.pages);
  return (
    <>
      <PageHeader title={t('returns.title')}>
        <FnButton fkey="F5" variant="default" onClick={() => void list.refetch()} testid="returns-refresh">
          {t('common.refresh')}
        </FnButton>
      </PageHeader>
      <Text size="xs" c="dimmed" mb={4}>
        {t('returns.lead')}
      </Text>
      <Group gap={6} mb="xs">
        <TextInput
          type="date"
          label={t('returns.from')}
          value={from}
          onChange={(e) => setFrom(e.currentTarget.value)}
          data-testid="returns-from"
        />
        <TextInput
          type="date"
          label={t('returns.to')}
          value={to}
          onChange={(e) => setTo(e.currentTarget.value)}
          data-testid="returns-to"
        />
      </Group>
      {list.data ? (
        <Table data-testid="returns-table">
          <Table.Thead className="nowrap">
            <Table.Tr>
              <Table.Th w={100}>{t('returns.receivedOn')}</Table.Th>
              <Table.Th w={90}>{t('payments.orderNumber')}</Table.Th>
              <Table.Th>{t('payments.customer')}</Table.Th>
              <Table.Th>{t('returns.items')}</Table.Th>
              <Table.Th w={150}>{t('returns.reason')}</Table.Th>
              <Table.Th w={90}>{t('returns.resolution')}</Table.Th>
              <Table.Th w={90} className="num">
                {t('returns.refund')}
              </Table.Th>
              <Table.Th w={70}>{t('returns.restocked')}</Table.Th>
              <Table.Th>{t('returns.note')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={9}>
                  <Text size="xs" c="dimmed" ta="center">
                    {t('common.noData')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ) : null}
            {items.map((r) => (
              <Table.Tr key={r.id} data-testid={`returns-row-${r.orderNumber}`}>
                <Table.Td>{r.receivedOn}</Table.Td>
                <Table.Td className="mono">
                  <Link to="/orders/$orderId" params={{ orderId: r.orderId }}>
                    {r.orderNumber}
                  </Link>
                </Table.Td>
                <Table.Td>{r.customerName}</Table.Td>
                <Table.Td>{r.lines.map((l) => `${l.productName}×${l.quantity}`).join('、')}</Table.Td>
                <Table.Td>{r.reasonName}</Table.Td>
                <Table.Td>
                  <Badge color={r.resolution === 'refund' ? 'orange' : 'blue'}>
                    {t(`returns.resolutions.${r.resolution}`)}
                  </Badge>
                  {r.exchangeOrderId ? (
                    <Link to="/orders/$orderId" params={{ orderId: r.exchangeOrderId }}>
                      <Text span size="xs" ml={4}>
                        {t('returns.exchangeOrder')}
                      </Text>
                    </Link>
                  ) : null}
                </Table.Td>
                <Table.Td className="num">{yen(r.refundAmount)}</Table.Td>
                <Table.Td>{r.restock ? '✓' : ''}</Table.Td>
                <Table.Td>{r.note ?? ''}</Table.Td>
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
