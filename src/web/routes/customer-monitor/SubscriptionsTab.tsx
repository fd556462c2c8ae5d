import { Badge, Group, Paper, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { type KeyboardEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Customer } from '../../api/customers';
import { allItems } from '../../api/paged';
import { customerSubscriptionsQuery, type Subscription, subscriptionQuery } from '../../api/subscriptions';
import { FnButton } from '../../components/fkeys';
import { MoreButton } from '../../components/MoreButton';
import { QueryState } from '../../components/QueryState';
import { shortDate } from '../orders/orderFormat';
import {
  type SubscriptionAction,
  SubscriptionCancelModal,
  SubscriptionMoveModal,
  SubscriptionPauseModal,
  SubscriptionResumeModal,
  SubscriptionSkipModal,
} from './SubscriptionActionModals';
import { ACTION_KEYS, SubscriptionDetail } from './SubscriptionDetail';
import { SubscriptionForm } from './SubscriptionForm';
import { SubscriptionStatusBadge, useCycleLabel } from './SubscriptionStatusBadge';

type Dialog = { kind: 'create' } | { kind: SubscriptionAction; subscription: Subscription; following: string | null };

/**
 * 定期情報 (seed 004): the customer's subscriptions (定期申し込み状況, next delivery worked out) and,
 * for the selected one, its next 12 deliveries, its 定期変更 history and the orders it made. F1
 * 新規定期; ↑↓ pick a row; S スキップ, D お届け日変更, E 内容変更, P 休止, R 再開, X 解約.
 */
export function SubscriptionsTab({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const list = useInfiniteQuery(customerSubscriptionsQuery(customer.id, 50));
  const items = allItems(list.data?.pages);
  const [picked, setPicked] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const cycleLabel = useCycleLabel();

  // Nothing picked: the first one still running (else the newest).
  const selectedId =
    (picked && items.some((s) => s.id === picked) ? picked : null) ??
    (items.find((s) => s.status !== 'cancelled') ?? items[0])?.id ??
    null;
  const fromList = items.find((s) => s.id === selectedId);
  const one = useQuery({
    ...subscriptionQuery(selectedId ?? ''),
    enabled: selectedId !== null,
    placeholderData: fromList,
  });
  const selected = one.data && one.data.id === selectedId ? one.data : fromList;

  const onRowKey = (event: KeyboardEvent<HTMLTableRowElement>, index: number) => {
    const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = items[index + step];
    if (!next) return;
    setPicked(next.id);
    document.querySelector<HTMLElement>(`[data-testid="sub-row-${next.id}"]`)?.focus();
  };

  return (
    <Paper withBorder p="xs" data-testid="subscriptions-tab">
      <Group justify="space-between" mb={6}>
        <Title order={3}>{t('subs.title')}</Title>
        <Group gap={8}>
          <Text size="xs" c="dimmed">
            {t('subs.keysHint', {
              keys: Object.values(ACTION_KEYS).join(' '),
            })}
          </Text>
          <FnButton fkey="F1" onClick={() => setDialog({ kind: 'create' })} disabled={dialog !== null} testid="sub-new">
            {t('subs.new')}
          </FnButton>
        </Group>
      </Group>
      <Text size="xs" fw={700} mb={2}>
        {t('subs.listTitle')}
      </Text>
      {list.data ? (
        <Table.ScrollContainer minWidth={900}>
          <Table highlightOnHover data-testid="sub-list">
            <Table.Thead className="nowrap">
              <Table.Tr>
                <Table.Th w={60}>{t('subs.number')}</Table.Th>
                <Table.Th w={90}>{t('subs.status')}</Table.Th>
                <Table.Th w={80}>{t('subs.startMonth')}</Table.Th>
                <Table.Th w={150}>{t('subs.cycle')}</Table.Th>
                <Table.Th miw={200}>{t('orderDesk.productName')}</Table.Th>
                <Table.Th w={100}>{t('subs.nextDelivery')}</Table.Th>
                <Table.Th w={60} className="num">
                  {t('subs.madeShort')}
                </Table.Th>
                <Table.Th w={60} className="num">
                  {t('subs.skippedShort')}
                </Table.Th>
                <Table.Th w={80} className="num">
                  {t('subs.remainingShort')}
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.length === 0 ? (
                <Table.Tr>
                  <Table.Td colSpan={9}>
                    <Text size="xs" c="dimmed" ta="center" data-testid="sub-empty">
                      {t('subs.empty')}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ) : null}
              {items.map((s, i) => {
                const isSelected = s.id === selectedId;
                return (
                  <Table.Tr
                    key={s.id}
                    tabIndex={0}
                    onClick={() => setPicked(s.id)}
                    onFocus={() => setPicked(s.id)}
                    onKeyDown={(e) => onRowKey(e, i)}
                    aria-selected={isSelected}
                    bg={isSelected ? 'indigo.0' : undefined}
                    style={{ cursor: 'pointer' }}
                    data-testid={`sub-row-${s.id}`}
                    data-number={s.number}
                    data-status={s.status}
                    data-selected={isSelected || undefined}
                  >
                    <Table.Td className="mono">{s.number}</Table.Td>
                    <Table.Td>
                      <SubscriptionStatusBadge status={s.status} />
                    </Table.Td>
                    <Table.Td className="nowrap">{shortDate(s.firstDeliveryDate).slice(0, 7)}</Table.Td>
                    <Table.Td className="nowrap" data-testid={`sub-row-cycle-${s.id}`}>
                      {cycleLabel(s)}
                    </Table.Td>
                    <Table.Td>
                      {s.lines.map((l) => `${l.productCode} ${l.productName}×${l.quantity}`).join('、')}
                    </Table.Td>
                    <Table.Td
                      className="nowrap"
                      data-testid={`sub-row-next-${s.id}`}
                      data-date={s.nextDeliveryDate ?? ''}
                    >
                      {shortDate(s.nextDeliveryDate) || '—'}
                      {s.nextDeliveryMoved ? (
                        <Badge ml={4} size="xs" color="orange" tt="none">
                          {t('subs.moved')}
                        </Badge>
                      ) : null}
                    </Table.Td>
                    <Table.Td className="num" data-testid={`sub-row-made-${s.id}`}>
                      {s.deliveriesMade}
                    </Table.Td>
                    <Table.Td className="num" data-testid={`sub-row-skipped-${s.id}`}>
                      {s.deliveriesSkipped}
                    </Table.Td>
                    <Table.Td className="num" data-testid={`sub-row-remaining-${s.id}`}>
                      {s.minDeliveries > 0 ? s.remainingCommitment : '—'}
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
          testid="sub-more"
        />
      ) : null}

      {selected ? (
        <SubscriptionDetail
          customer={customer}
          subscription={selected}
          keysEnabled={dialog === null}
          onAction={(kind, following) => setDialog({ kind, subscription: selected, following })}
        />
      ) : null}

      {dialog?.kind === 'create' ? (
        <SubscriptionForm
          customer={customer}
          subscription={null}
          onClose={() => setDialog(null)}
          onSaved={(s) => setPicked(s.id)}
        />
      ) : null}
      {dialog?.kind === 'edit' ? (
        <SubscriptionForm
          customer={customer}
          subscription={dialog.subscription}
          onClose={() => setDialog(null)}
          onSaved={() => undefined}
        />
      ) : null}
      {dialog?.kind === 'skip' ? (
        <SubscriptionSkipModal
          subscription={dialog.subscription}
          following={dialog.following}
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog?.kind === 'move' ? (
        <SubscriptionMoveModal
          subscription={dialog.subscription}
          following={dialog.following}
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog?.kind === 'pause' ? (
        <SubscriptionPauseModal subscription={dialog.subscription} onClose={() => setDialog(null)} />
      ) : null}
      {dialog?.kind === 'resume' ? (
        <SubscriptionResumeModal subscription={dialog.subscription} onClose={() => setDialog(null)} />
      ) : null}
      {dialog?.kind === 'cancel' ? (
        <SubscriptionCancelModal subscription={dialog.subscription} onClose={() => setDialog(null)} />
      ) : null}
    </Paper>
  );
}
