import { Badge, Button, Checkbox, Group, NumberInput, Stack, Table, Text } from '@mantine/core';
import { IconCash, IconFileTypePdf, IconMail } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { allItems, pagedQuery } from '../../api/paged';
import {
  downloadReminderLetters,
  PAYMENT_METHODS,
  type PaymentMethodKind,
  paymentsKey,
  sendReminderMails,
  type UnpaidOrder,
} from '../../api/payments';
import type { Page } from '../../api/types';
import { MoreButton } from '../../components/MoreButton';
import { QueryState } from '../../components/QueryState';
import { formatDateTime } from '../../lib/datetime';
import { notifyError, notifySuccess, notifyWarning } from '../../lib/notify';
import { yen } from '../masters/common';
import { type PaymentTarget, RecordPaymentModal } from './RecordPaymentModal';

const methodOf = (kind: string): PaymentMethodKind | undefined =>
  (PAYMENT_METHODS as readonly string[]).includes(kind) ? (kind as PaymentMethodKind) : undefined;

/** 未入金一覧: bank transfer and convenience orders past their due date, oldest first; 督促 by mail or letter. */
export function UnpaidPanel() {
  const { t } = useTranslation();
  const [olderThanDays, setOlderThanDays] = useState<number | string>(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [paying, setPaying] = useState<PaymentTarget | null>(null);
  const [busy, setBusy] = useState<'mail' | 'letter' | null>(null);
  const list = useInfiniteQuery(
    pagedQuery<Page<UnpaidOrder>>(
      [...paymentsKey, 'unpaid'],
      '/payments/unpaid',
      { olderThanDays: Number(olderThanDays) || undefined },
      100,
    ),
  );
  const items = allItems(list.data?.pages);
  const allSelected = items.length > 0 && items.every((o) => selected.has(o.orderId));
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const mail = async () => {
    setBusy('mail');
    try {
      const answer = await sendReminderMails([...selected]);
      notifySuccess(t('payments.unpaidList.mailed', { count: answer.sent.length }));
      if (answer.skipped.length > 0)
        notifyWarning(
          t('payments.unpaidList.mailSkipped', {
            count: answer.skipped.length,
            reasons: [...new Set(answer.skipped.map((s) => t(`payments.unpaidList.skipReasons.${s.reason}`)))].join(
              '、',
            ),
          }),
        );
      setSelected(new Set());
      await list.refetch();
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(null);
    }
  };
  const letters = async () => {
    setBusy('letter');
    try {
      await downloadReminderLetters([...selected]);
      notifySuccess(t('payments.unpaidList.lettersMade', { count: selected.size }));
      setSelected(new Set());
      await list.refetch();
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Stack gap={6}>
      <Group gap={6} align="flex-end">
        <NumberInput
          label={t('payments.unpaidList.olderThan')}
          value={olderThanDays}
          onChange={setOlderThanDays}
          min={0}
          max={3650}
          w={150}
          suffix={t('payments.unpaidList.daysSuffix')}
          data-testid="payments-unpaid-older"
        />
        <Button
          variant="default"
          leftSection={<IconMail size={14} />}
          disabled={selected.size === 0}
          loading={busy === 'mail'}
          onClick={() => void mail()}
          data-testid="payments-remind-mail"
        >
          {t('payments.unpaidList.remindMail', { count: selected.size })}
        </Button>
        <Button
          variant="default"
          leftSection={<IconFileTypePdf size={14} />}
          disabled={selected.size === 0}
          loading={busy === 'letter'}
          onClick={() => void letters()}
          data-testid="payments-remind-letter"
        >
          {t('payments.unpaidList.remindLetter', { count: selected.size })}
        </Button>
      </Group>
      {list.data ? (
        <Table data-testid="payments-unpaid">
          <Table.Thead className="nowrap">
            <Table.Tr>
              <Table.Th w={30}>
                <Checkbox
                  aria-label={t('payments.unpaidList.selectAll')}
                  checked={allSelected}
                  indeterminate={!allSelected && selected.size > 0}
                  onChange={() => setSelected(allSelected ? new Set() : new Set(items.map((o) => o.orderId)))}
                />
              </Table.Th>
              <Table.Th w={90}>{t('payments.orderNumber')}</Table.Th>
              <Table.Th>{t('payments.customer')}</Table.Th>
              <Table.Th w={90}>{t('payments.method')}</Table.Th>
              <Table.Th w={100}>{t('payments.unpaidList.orderDate')}</Table.Th>
              <Table.Th w={150}>{t('payments.unpaidList.dueDate')}</Table.Th>
              <Table.Th w={90} className="num">
                {t('payments.total')}
              </Table.Th>
              <Table.Th w={90} className="num">
                {t('payments.paid')}
              </Table.Th>
              <Table.Th w={90} className="num">
                {t('payments.balance')}
              </Table.Th>
              <Table.Th w={150}>{t('payments.unpaidList.reminders')}</Table.Th>
              <Table.Th w={70} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.length === 0 ? (
              <Table.Tr>
                <Table.Td colSpan={11}>
                  <Text size="xs" c="dimmed" ta="center">
                    {t('payments.unpaidList.empty')}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ) : null}
            {items.map((o) => (
              <Table.Tr key={o.orderId} data-testid={`payments-unpaid-row-${o.orderNumber}`}>
                <Table.Td>
                  <Checkbox
                    aria-label={String(o.orderNumber)}
                    checked={selected.has(o.orderId)}
                    onChange={() => toggle(o.orderId)}
                  />
                </Table.Td>
                <Table.Td className="mono">
                  <Link to="/orders/$orderId" params={{ orderId: o.orderId }}>
                    {o.orderNumber}
                  </Link>
                </Table.Td>
                <Table.Td>
                  {o.customerName}
                  <Text span size="xs" c="dimmed" ml={4} className="mono">
                    {o.customerCode}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {methodOf(o.paymentKind)
                    ? t(`payments.methods.${methodOf(o.paymentKind) ?? 'other'}`)
                    : o.paymentKind}
                </Table.Td>
                <Table.Td>{o.orderDate}</Table.Td>
                <Table.Td>
                  {o.dueDate}
                  <Badge color="red" ml={4}>
                    {t('payments.unpaidList.overdueDays', { count: o.daysOverdue })}
                  </Badge>
                </Table.Td>
                <Table.Td className="num">{yen(o.total)}</Table.Td>
                <Table.Td className="num">{yen(o.paidAmount)}</Table.Td>
                <Table.Td className="num">{yen(o.balance)}</Table.Td>
                <Table.Td>
                  {o.reminders > 0
                    ? t('payments.unpaidList.reminderCount', {
                        count: o.reminders,
                        at: o.lastReminderAt ? formatDateTime(o.lastReminderAt) : '',
                      })
                    : ''}
                </Table.Td>
                <Table.Td>
                  <Button
                    size="compact-xs"
                    variant="light"
                    leftSection={<IconCash size={12} />}
                    onClick={() =>
                      setPaying({
                        orderId: o.orderId,
                        orderNumber: o.orderNumber,
                        customerName: o.customerName,
                        balance: o.balance,
                        method: methodOf(o.paymentKind) ?? 'bank_transfer',
                      })
                    }
                    data-testid={`payments-unpaid-pay-${o.orderNumber}`}
                  >
                    {t('payments.recordShort')}
                  </Button>
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
          testid="payments-unpaid-more"
        />
      ) : null}
      <RecordPaymentModal opened={paying !== null} target={paying} onClose={() => setPaying(null)} />
    </Stack>
  );
}
