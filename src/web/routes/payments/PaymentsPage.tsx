import {
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  NumberInput,
  Paper,
  Select,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
} from '@mantine/core';
import { IconCash, IconFileImport, IconMail } from '@tabler/icons-react';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { allItems, pagedQuery } from '../../api/paged';
import {
  dismissPayment,
  matchPayment,
  recordPayment,
  sendReminders,
  type UnmatchedPayment,
  type UnpaidOrder,
} from '../../api/payments';
import type { Page } from '../../api/types';
import { FormAlert } from '../../components/FormAlert';
import { FnButton } from '../../components/fkeys';
import { MoreButton } from '../../components/MoreButton';
import { CsvImportModal } from '../../components/master/CsvImport';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { formatDateTime, todayInTokyo } from '../../lib/datetime';
import { notifyError, notifySuccess } from '../../lib/notify';
import { yen } from '../masters/common';

function RecordPaymentModal({ order, onClose }: { order: UnpaidOrder | null; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [amount, setAmount] = useState<number | string>('');
  const [receivedOn, setReceivedOn] = useState(todayInTokyo());
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (!order) return null;
  const save = async () => {
    setBusy(true);
    setProblem(null);
    try {
      await recordPayment({ orderId: order.orderId, amount: Number(amount || order.balance), receivedOn });
      await queryClient.invalidateQueries({ queryKey: ['payments'] });
      notifySuccess(t('payments.recorded'));
      onClose();
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal opened onClose={onClose} title={t('payments.record', { number: order.orderNumber })}>
      <Stack gap={6}>
        <FormAlert error={problem} />
        <Text size="xs">
          {order.customerName} / {t('payments.balance')} {yen(order.balance)}
        </Text>
        <NumberInput
          label={t('payments.amount')}
          value={amount}
          placeholder={String(order.balance)}
          onChange={setAmount}
          min={1}
          thousandSeparator=","
          prefix="¥"
          hideControls
          data-autofocus
          data-testid="payment-amount"
        />
        <TextInput
          type="date"
          label={t('payments.receivedOn')}
          value={receivedOn}
          onChange={(e) => setReceivedOn(e.currentTarget.value)}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <FnButton fkey="F1" onClick={() => void save()} loading={busy} testid="payment-save">
            {t('common.save')}
          </FnButton>
        </Group>
      </Stack>
    </Modal>
  );
}

function UnpaidTab() {
  const { t } = useTranslation();
  const [overdue, setOverdue] = useState(false);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [paying, setPaying] = useState<UnpaidOrder | null>(null);
  const list = useInfiniteQuery(
    pagedQuery<Page<UnpaidOrder>>(
      ['payments', 'unpaid'],
      '/payments/unpaid',
      { overdue: overdue ? 'true' : undefined },
      100,
    ),
  );
  const items = allItems(list.data?.pages);
  const remind = async (channel: 'letter' | 'mail') => {
    try {
      const answer = await sendReminders([...selected], channel);
      notifySuccess(t('payments.reminded', { count: answer.sent }));
      setSelected(new Set());
      await list.refetch();
    } catch (error) {
      notifyError(error);
    }
  };
  return (
    <>
      <Group gap={6} mb="xs">
        <Checkbox
          label={t('payments.overdueOnly')}
          checked={overdue}
          onChange={(e) => setOverdue(e.currentTarget.checked)}
        />
        <Button
          variant="default"
          leftSection={<IconMail size={14} />}
          disabled={selected.size === 0}
          onClick={() => void remind('mail')}
        >
          {t('payments.remindMail', { count: selected.size })}
        </Button>
        <Button variant="default" disabled={selected.size === 0} onClick={() => void remind('letter')}>
          {t('payments.remindLetter', { count: selected.size })}
        </Button>
      </Group>
      {list.data ? (
        <Table data-testid="payments-unpaid">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={30} />
              <Table.Th w={130}>{t('shipping.orderNumber')}</Table.Th>
              <Table.Th>{t('shipping.customer')}</Table.Th>
              <Table.Th w={100} ta="right">
                {t('shipping.total')}
              </Table.Th>
              <Table.Th w={100} ta="right">
                {t('payments.balance')}
              </Table.Th>
              <Table.Th w={110}>{t('payments.dueDate')}</Table.Th>
              <Table.Th w={130}>{t('payments.lastReminder')}</Table.Th>
              <Table.Th w={90} />
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
            {items.map((o) => (
              <Table.Tr key={o.orderId}>
                <Table.Td>
                  <Checkbox
                    aria-label={o.orderNumber}
                    checked={selected.has(o.orderId)}
                    onChange={() =>
                      setSelected((s) => {
                        const next = new Set(s);
                        if (next.has(o.orderId)) next.delete(o.orderId);
                        else next.add(o.orderId);
                        return next;
                      })
                    }
                  />
                </Table.Td>
                <Table.Td className="mono">{o.orderNumber}</Table.Td>
                <Table.Td>{o.customerName}</Table.Td>
                <Table.Td className="num">{yen(o.total)}</Table.Td>
                <Table.Td className="num">{yen(o.balance)}</Table.Td>
                <Table.Td>
                  {o.dueDate ?? ''}
                  {o.overdueDays ? (
                    <Badge color="red" ml={4}>
                      {t('payments.overdueDays', { count: o.overdueDays })}
                    </Badge>
                  ) : null}
                </Table.Td>
                <Table.Td>{o.lastReminderAt ? formatDateTime(o.lastReminderAt) : ''}</Table.Td>
                <Table.Td>
                  <Button
                    size="compact-xs"
                    variant="light"
                    leftSection={<IconCash size={12} />}
                    onClick={() => setPaying(o)}
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
      <RecordPaymentModal order={paying} onClose={() => setPaying(null)} />
    </>
  );
}

function UnmatchedTab() {
  const { t } = useTranslation();
  const list = useInfiniteQuery(
    pagedQuery<Page<UnmatchedPayment>>(['payments', 'unmatched'], '/payments/unmatched', {}, 100),
  );
  const items = allItems(list.data?.pages);
  const [choice, setChoice] = useState<Record<string, string | null>>({});
  const act = async (fn: () => Promise<unknown>, message: string) => {
    try {
      await fn();
      notifySuccess(message);
      await list.refetch();
    } catch (error) {
      notifyError(error);
    }
  };
  if (!list.data) return <QueryState error={list.error} onRetry={() => void list.refetch()} />;
  return (
    <Table data-testid="payments-unmatched">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={100}>{t('payments.receivedOn')}</Table.Th>
          <Table.Th w={100} ta="right">
            {t('payments.amount')}
          </Table.Th>
          <Table.Th>{t('payments.payer')}</Table.Th>
          <Table.Th>{t('payments.candidate')}</Table.Th>
          <Table.Th w={170} />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.length === 0 ? (
          <Table.Tr>
            <Table.Td colSpan={5}>
              <Text size="xs" c="dimmed" ta="center">
                {t('payments.noUnmatched')}
              </Text>
            </Table.Td>
          </Table.Tr>
        ) : null}
        {items.map((p) => (
          <Table.Tr key={p.id}>
            <Table.Td>{p.receivedOn}</Table.Td>
            <Table.Td className="num">{yen(p.amount)}</Table.Td>
            <Table.Td>
              {p.payerName ?? ''}
              <Text size="xs" c="dimmed">
                {[p.reference, p.source].filter(Boolean).join(' / ')}
              </Text>
            </Table.Td>
            <Table.Td>
              <Select
                aria-label={t('payments.candidate')}
                data={p.candidates.map((c) => ({
                  value: c.orderId,
                  label: `${c.orderNumber} ${c.customerName} ${yen(c.balance)}`,
                }))}
                value={choice[p.id] ?? p.candidates[0]?.orderId ?? null}
                onChange={(v) => setChoice((c) => ({ ...c, [p.id]: v }))}
                searchable
              />
            </Table.Td>
            <Table.Td>
              <Group gap={4}>
                <Button
                  size="compact-xs"
                  disabled={!(choice[p.id] ?? p.candidates[0]?.orderId)}
                  onClick={() =>
                    void act(
                      () => matchPayment(p.id, String(choice[p.id] ?? p.candidates[0]?.orderId)),
                      t('payments.matched'),
                    )
                  }
                >
                  {t('payments.match')}
                </Button>
                <Button
                  size="compact-xs"
                  variant="subtle"
                  color="red"
                  onClick={() => void act(() => dismissPayment(p.id), t('payments.dismissed'))}
                >
                  {t('payments.dismiss')}
                </Button>
              </Group>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** 入金管理: unpaid orders with reminders, payments recorded by hand, statements imported, the unmatched queue. */
export function PaymentsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [format, setFormat] = useState('zengin');
  const [importing, setImporting] = useState(false);
  return (
    <>
      <PageHeader title={t('payments.title')}>
        <Select
          aria-label={t('payments.format')}
          data={['zengin', 'csv', 'cod', 'deferred'].map((f) => ({
            value: f,
            label: t(`payments.formats.${f}` as 'payments.formats.csv'),
          }))}
          value={format}
          onChange={(v) => v && setFormat(v)}
          w={200}
        />
        <Button
          leftSection={<IconFileImport size={14} />}
          variant="default"
          onClick={() => setImporting(true)}
          data-testid="payments-import"
        >
          {t('payments.import')}
        </Button>
      </PageHeader>
      <Paper withBorder p="sm">
        <Tabs defaultValue="unpaid">
          <Tabs.List mb="xs">
            <Tabs.Tab value="unpaid">{t('payments.unpaid')}</Tabs.Tab>
            <Tabs.Tab value="unmatched">{t('payments.unmatched')}</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="unpaid">
            <UnpaidTab />
          </Tabs.Panel>
          <Tabs.Panel value="unmatched">
            <UnmatchedTab />
          </Tabs.Panel>
        </Tabs>
      </Paper>
      <CsvImportModal
        opened={importing}
        onClose={() => setImporting(false)}
        path="/payments/import"
        query={{ format }}
        title={t('payments.importTitle', { format: t(`payments.formats.${format}` as 'payments.formats.csv') })}
        testid="payments-import-modal"
        hint={t('payments.importLead')}
        onImported={() => void queryClient.invalidateQueries({ queryKey: ['payments'] })}
      />
    </>
  );
}
