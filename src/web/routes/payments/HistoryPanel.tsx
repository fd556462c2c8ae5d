import { Badge, Button, Group, NativeSelect, Stack, Table, Text, TextInput } from '@mantine/core';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/auth';
import { ordersKey } from '../../api/orders';
import { allItems, pagedQuery } from '../../api/paged';
import { cancelPayment, PAYMENT_METHODS, type Payment, paymentsKey } from '../../api/payments';
import type { Page } from '../../api/types';
import { ConfirmModal } from '../../components/ConfirmModal';
import { MoreButton } from '../../components/MoreButton';
import { QueryState } from '../../components/QueryState';
import { notifySuccess } from '../../lib/notify';
import { yen } from '../masters/common';

/** Payments as a table: kind, source, order, and 取消 (a reversal row) for admin and supervisor. */
export function PaymentsTable({
  items,
  testid,
  onCancelled,
  compact = false,
}: {
  items: Payment[];
  testid: string;
  onCancelled?: () => void;
  /** Within one order (its detail): no order and customer columns. */
  compact?: boolean;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const me = useMe();
  const canCancel = me.role === 'admin' || me.role === 'supervisor';
  const [cancelling, setCancelling] = useState<Payment | null>(null);
  const confirm = async () => {
    if (!cancelling) return;
    await cancelPayment(cancelling.id);
    await queryClient.invalidateQueries({ queryKey: paymentsKey });
    await queryClient.invalidateQueries({ queryKey: ordersKey });
    notifySuccess(t('payments.history.cancelled'));
    onCancelled?.();
  };
  return (
    <>
      <Table data-testid={testid}>
        <Table.Thead className="nowrap">
          <Table.Tr>
            <Table.Th w={100}>{t('payments.paidOn')}</Table.Th>
            <Table.Th w={80}>{t('payments.kind')}</Table.Th>
            {compact ? null : <Table.Th w={90}>{t('payments.orderNumber')}</Table.Th>}
            {compact ? null : <Table.Th>{t('payments.customer')}</Table.Th>}
            <Table.Th w={100} className="num">
              {t('payments.amount')}
            </Table.Th>
            <Table.Th w={110}>{t('payments.method')}</Table.Th>
            <Table.Th>{t('payments.payer')}</Table.Th>
            <Table.Th w={80}>{t('payments.history.source')}</Table.Th>
            <Table.Th w={60} />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.length === 0 ? (
            <Table.Tr>
              <Table.Td colSpan={compact ? 7 : 9}>
                <Text size="xs" c="dimmed" ta="center">
                  {t('common.noData')}
                </Text>
              </Table.Td>
            </Table.Tr>
          ) : null}
          {items.map((p) => (
            <Table.Tr
              key={p.id}
              data-testid={`${testid}-row-${p.id}`}
              data-kind={p.kind}
              c={p.reversedById || p.kind === 'reversal' ? 'dimmed' : undefined}
            >
              <Table.Td className="nowrap">{p.paidOn}</Table.Td>
              <Table.Td className="nowrap">
                <Badge miw={44} color={p.kind === 'receipt' ? 'teal' : p.kind === 'refund' ? 'orange' : 'gray'}>
                  {t(`payments.kinds.${p.kind}`)}
                </Badge>
              </Table.Td>
              {compact ? null : (
                <Table.Td className="mono">
                  {p.orderId ? (
                    <Link to="/orders/$orderId" params={{ orderId: p.orderId }}>
                      {p.orderNumber}
                    </Link>
                  ) : (
                    t('payments.history.credit')
                  )}
                </Table.Td>
              )}
              {compact ? null : <Table.Td>{p.customerName}</Table.Td>}
              <Table.Td className="num">{yen(p.amount)}</Table.Td>
              <Table.Td className="nowrap">{t(`payments.methods.${p.method}`)}</Table.Td>
              <Table.Td>
                {p.payerName ?? ''}
                {p.reference || p.note ? (
                  <Text size="xs" c="dimmed">
                    {[p.reference, p.note].filter(Boolean).join(' / ')}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>{t(`payments.sources.${p.source}`)}</Table.Td>
              <Table.Td>
                {canCancel && p.kind !== 'reversal' && !p.reversedById ? (
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    color="red"
                    onClick={() => setCancelling(p)}
                    data-testid={`${testid}-cancel-${p.id}`}
                  >
                    {t('payments.history.cancel')}
                  </Button>
                ) : p.reversedById ? (
                  <Text size="xs">{t('payments.history.reversed')}</Text>
                ) : null}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <ConfirmModal
        opened={cancelling !== null}
        onClose={() => setCancelling(null)}
        onConfirm={confirm}
        confirmLabel={t('payments.history.cancel')}
        title={t('payments.history.cancelTitle')}
        message={
          cancelling
            ? t('payments.history.cancelMessage', { amount: yen(cancelling.amount), date: cancelling.paidOn })
            : ''
        }
      />
    </>
  );
}

/** 入金履歴: every payment, newest first, by method and dates. */
export function HistoryPanel() {
  const { t } = useTranslation();
  const [method, setMethod] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const list = useInfiniteQuery(
    pagedQuery<Page<Payment>>(
      [...paymentsKey, 'list'],
      '/payments',
      { method: method || undefined, from: from || undefined, to: to || undefined },
      100,
    ),
  );
  const items = allItems(list.data?.pages);
  return (
    <Stack gap={6}>
      <Group gap={6} align="flex-end">
        <NativeSelect
          label={t('payments.method')}
          value={method}
          onChange={(e) => setMethod(e.currentTarget.value)}
          data={[
            { value: '', label: t('payments.history.allMethods') },
            ...PAYMENT_METHODS.map((m) => ({ value: m, label: t(`payments.methods.${m}`) })),
          ]}
          w={160}
        />
        <TextInput
          type="date"
          label={t('payments.history.from')}
          value={from}
          onChange={(e) => setFrom(e.currentTarget.value)}
        />
        <TextInput
          type="date"
          label={t('payments.history.to')}
          value={to}
          onChange={(e) => setTo(e.currentTarget.value)}
        />
      </Group>
      {list.data ? (
        <PaymentsTable items={items} testid="payments-history" />
      ) : (
        <QueryState error={list.error} onRetry={() => void list.refetch()} />
      )}
      {list.data ? (
        <MoreButton
          hasMore={list.hasNextPage}
          loading={list.isFetchingNextPage}
          shown={items.length}
          onMore={() => void list.fetchNextPage()}
          testid="payments-history-more"
        />
      ) : null}
    </Stack>
  );
}
