import { Badge, Button, Group, Modal, Radio, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ordersKey } from '../../api/orders';
import { allItems, pagedQuery } from '../../api/paged';
import {
  dismissLine,
  findOrderByNumber,
  type LineStatus,
  matchLine,
  paymentsKey,
  type StatementLine,
} from '../../api/payments';
import type { Page } from '../../api/types';
import { FormAlert } from '../../components/FormAlert';
import { FnButton } from '../../components/fkeys';
import { MoreButton } from '../../components/MoreButton';
import { QueryState } from '../../components/QueryState';
import { notifySuccess } from '../../lib/notify';
import { yen } from '../masters/common';

const STATUSES: LineStatus[] = ['unmatched', 'matched', 'dismissed'];

/**
 * 照合 by hand: one of the suggested orders, or any order by its number (a credit of its
 * customer when it owes nothing); or 対象外 (not a customer payment) with a note.
 */
function MatchModal({ line, onClose }: { line: StatementLine | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [choice, setChoice] = useState('');
  const [number, setNumber] = useState('');
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setChoice(line?.candidates[0]?.orderId ?? (line ? 'number' : ''));
    setNumber('');
    setNote('');
    setProblem(null);
  }, [line]);

  if (!line) return null;
  const done = async (message: string) => {
    await queryClient.invalidateQueries({ queryKey: paymentsKey });
    await queryClient.invalidateQueries({ queryKey: ordersKey });
    notifySuccess(message);
    onClose();
  };
  const match = async () => {
    setBusy(true);
    setProblem(null);
    try {
      let orderId = choice;
      if (choice === 'number') {
        const order = await findOrderByNumber(number);
        if (!order) {
          setProblem(new Error(t('payments.orderNotFound', { number })));
          return;
        }
        orderId = order.id;
      }
      const matched = await matchLine(line.id, { orderId }, note.trim() || undefined);
      await done(t('payments.queue.matchedToast', { amount: yen(matched.amount) }));
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };
  const dismiss = async () => {
    setBusy(true);
    setProblem(null);
    try {
      await dismissLine(line.id, note.trim() || undefined);
      await done(t('payments.queue.dismissedToast'));
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={t('payments.queue.matchTitle')} size="lg">
      <Stack gap={6} data-testid="payments-match">
        <FormAlert error={problem} testid="payments-match-error" />
        <Text size="sm">
          {line.paidOn} {yen(line.amount)} {line.payerName ?? ''}
        </Text>
        {line.reference ? (
          <Text size="xs" c="dimmed">
            {line.reference}
          </Text>
        ) : null}
        <Radio.Group value={choice} onChange={setChoice} label={t('payments.queue.target')}>
          <Stack gap={4} mt={4}>
            {line.candidates.map((c) => (
              <Radio
                key={c.orderId}
                value={c.orderId}
                label={`No.${c.number} ${c.customerName} ${t('payments.balance')} ${yen(c.balance)}`}
                data-testid={`payments-match-candidate-${c.number}`}
              />
            ))}
            <Radio value="number" label={t('payments.queue.byNumber')} data-testid="payments-match-by-number" />
          </Stack>
        </Radio.Group>
        {choice === 'number' ? (
          <TextInput
            label={t('payments.orderNumber')}
            value={number}
            inputMode="numeric"
            onChange={(e) => setNumber(e.currentTarget.value)}
            data-autofocus
            data-testid="payments-match-number"
          />
        ) : null}
        <TextInput
          label={t('payments.note')}
          value={note}
          maxLength={500}
          onChange={(e) => setNote(e.currentTarget.value)}
        />
        <Group justify="flex-end" gap={6}>
          <FnButton fkey="F3" variant="default" onClick={onClose} testid="payments-match-close">
            {t('common.cancel')}
          </FnButton>
          <FnButton
            fkey="F4"
            color="red"
            variant="light"
            loading={busy}
            onClick={() => void dismiss()}
            testid="payments-match-dismiss"
          >
            {t('payments.queue.dismiss')}
          </FnButton>
          <FnButton
            fkey="F1"
            loading={busy}
            disabled={!choice || (choice === 'number' && !number.trim())}
            onClick={() => void match()}
            testid="payments-match-save"
          >
            {t('payments.queue.match')}
          </FnButton>
        </Group>
      </Stack>
    </Modal>
  );
}

/** 未照合の入金: the statement lines no rule could place, oldest first; matched and dismissed ones to look back. */
export function QueuePanel() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<LineStatus>('unmatched');
  const [open, setOpen] = useState<StatementLine | null>(null);
  const list = useInfiniteQuery(
    pagedQuery<Page<StatementLine>>([...paymentsKey, 'queue'], '/payments/unmatched', { status }, 100),
  );
  const items = allItems(list.data?.pages);

  return (
    <Stack gap={6}>
      <SegmentedControl
        size="xs"
        w={360}
        value={status}
        onChange={(v) => setStatus(v as LineStatus)}
        data={STATUSES.map((s) => ({ value: s, label: t(`payments.lineStatuses.${s}`) }))}
        data-testid="payments-queue-status"
      />
      {list.data ? (
        <Table data-testid="payments-queue">
          <Table.Thead className="nowrap">
            <Table.Tr>
              <Table.Th w={100}>{t('payments.paidOn')}</Table.Th>
              <Table.Th w={90}>{t('payments.importer.kind')}</Table.Th>
              <Table.Th w={100} className="num">
                {t('payments.amount')}
              </Table.Th>
              <Table.Th>{t('payments.payer')}</Table.Th>
              <Table.Th>{t('payments.importer.why')}</Table.Th>
              <Table.Th>{t('payments.queue.suggestions')}</Table.Th>
              <Table.Th w={80} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={7}>
                  <Text size="xs" c="dimmed" ta="center">
                    {t('payments.queue.empty')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ) : null}
            {items.map((l) => (
              <Table.Tr key={l.id} data-testid={`payments-queue-row-${l.id}`}>
                <Table.Td>{l.paidOn}</Table.Td>
                <Table.Td>{t(`payments.importer.kindsShort.${l.kind}`)}</Table.Td>
                <Table.Td className="num">{yen(l.amount)}</Table.Td>
                <Table.Td>
                  {l.payerName ?? ''}
                  <Text size="xs" c="dimmed">
                    {[l.reference, l.trackingNumber, l.orderNumber ? `No.${l.orderNumber}` : null]
                      .filter(Boolean)
                      .join(' / ')}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {l.queueReason ? (
                    <Badge color="orange">
                      {t(`payments.reasons.${l.queueReason}` as 'payments.reasons.ambiguous')}
                    </Badge>
                  ) : null}
                  {l.matchRule ? t(`payments.rules.${l.matchRule}` as 'payments.rules.reference') : ''}
                  {l.dismissNote ? <Text size="xs">{l.dismissNote}</Text> : null}
                </Table.Td>
                <Table.Td>
                  <Text size="xs">
                    {l.candidates.map((c) => `No.${c.number} ${c.customerName} ${yen(c.balance)}`).join('、')}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {l.status === 'unmatched' ? (
                    <Button size="compact-xs" onClick={() => setOpen(l)} data-testid={`payments-queue-open-${l.id}`}>
                      {t('payments.queue.match')}
                    </Button>
                  ) : null}
                </Table.Td>
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
          testid="payments-queue-more"
        />
      ) : null}
      <MatchModal line={open} onClose={() => setOpen(null)} />
    </Stack>
  );
}
