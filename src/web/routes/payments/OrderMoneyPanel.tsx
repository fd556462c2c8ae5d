import { Badge, Box, Button, Group, Paper, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import type { Order } from '../../api/orders';
import { orderMoneyQuery, type PaymentStatus, type ReturnRecord, returnsKey } from '../../api/payments';
import type { Page } from '../../api/types';
import { FnButton } from '../../components/fkeys';
import { yen } from '../masters/common';
import { PaymentsTable } from './HistoryPanel';
import { RecordPaymentModal } from './RecordPaymentModal';
import { RETURNABLE, ReturnEntryModal } from './ReturnEntryModal';

const STATUS_COLOR: Record<PaymentStatus, string> = { unpaid: 'red', partial: 'orange', paid: 'teal', over: 'grape' };

/**
 * The order detail's 入金・返品 panel: payment status, what is due after refunds, paid, balance or
 * credit, the payments and returns; F6 返品入力 (shipped orders), F8 入金登録.
 */
export function OrderMoneyPanel({ order }: { order: Order }) {
  const { t } = useTranslation();
  const money = useQuery(orderMoneyQuery(order.id));
  const returns = useQuery({
    queryKey: [...returnsKey, 'order', order.id],
    queryFn: ({ signal }) => api.get<Page<ReturnRecord>>('/returns', { orderId: order.id, limit: 50 }, signal),
  });
  const [returning, setReturning] = useState(false);
  const [paying, setPaying] = useState<'receipt' | 'refund' | null>(null);
  const m = money.data;
  const cell = (label: string, value: string, testid: string) => (
    <Box>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={600} className="num" data-testid={testid}>
        {value}
      </Text>
    </Box>
  );

  return (
    <Paper withBorder p="xs" mt="xs" data-testid="order-money">
      <Group justify="space-between" mb={4}>
        <Group gap={6}>
          <Title order={3}>{t('payments.orderPanel.title')}</Title>
          {m ? (
            <Badge color={STATUS_COLOR[m.status]} data-testid="order-money-status" data-status={m.status}>
              {t(`payments.statuses.${m.status}`)}
            </Badge>
          ) : null}
        </Group>
        <Group gap={4}>
          <FnButton
            fkey="F6"
            variant="default"
            disabled={!RETURNABLE.has(order.status)}
            title={RETURNABLE.has(order.status) ? undefined : t('returns.entry.onlyShipped')}
            onClick={() => setReturning(true)}
            testid="order-return-open"
          >
            {t('returns.entry.open')}
          </FnButton>
          <FnButton fkey="F8" variant="default" onClick={() => setPaying('receipt')} testid="order-payment-open">
            {t('payments.recordShort')}
          </FnButton>
          {m && m.credit > 0 ? (
            <Button
              size="xs"
              variant="light"
              color="grape"
              onClick={() => setPaying('refund')}
              data-testid="order-refund-open"
            >
              {t('payments.orderPanel.payBack')}
            </Button>
          ) : null}
        </Group>
      </Group>
      {m ? (
        <Group gap="lg" mb={6}>
          {cell(t('payments.total'), yen(m.total), 'order-money-total')}
          {m.refunded > 0 ? cell(t('payments.orderPanel.refunded'), yen(m.refunded), 'order-money-refunded') : null}
          {cell(t('payments.orderPanel.due'), yen(m.due), 'order-money-due')}
          {cell(t('payments.paid'), yen(m.paidAmount), 'order-money-paid')}
          {m.credit > 0
            ? cell(t('payments.orderPanel.credit'), yen(m.credit), 'order-money-credit')
            : cell(t('payments.balance'), yen(m.balance), 'order-money-balance')}
        </Group>
      ) : (
        <Text size="xs" c="dimmed">
          {money.error ? t('errors.unexpected') : t('app.loading')}
        </Text>
      )}
      {m && m.payments.length > 0 ? <PaymentsTable items={m.payments} testid="order-payments" compact /> : null}
      {returns.data && returns.data.items.length > 0 ? (
        <Table mt={6} data-testid="order-returns">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={100}>{t('returns.receivedOn')}</Table.Th>
              <Table.Th>{t('returns.items')}</Table.Th>
              <Table.Th w={120}>{t('returns.reason')}</Table.Th>
              <Table.Th w={90} className="num">
                {t('returns.refund')}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {returns.data.items.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{r.receivedOn}</Table.Td>
                <Table.Td>
                  {r.lines.map((l) => `${l.productName}×${l.quantity}`).join('、')}
                  {r.restock ? (
                    <Badge size="xs" ml={4} color="blue">
                      {t('returns.restocked')}
                    </Badge>
                  ) : null}
                </Table.Td>
                <Table.Td>{r.reasonName}</Table.Td>
                <Table.Td className="num">{yen(r.refundAmount)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      <ReturnEntryModal order={order} opened={returning} onClose={() => setReturning(false)} />
      <RecordPaymentModal
        opened={paying !== null}
        defaultKind={paying ?? 'receipt'}
        target={
          paying
            ? {
                orderId: order.id,
                orderNumber: order.number,
                customerName: order.customerName,
                balance: paying === 'refund' ? (m?.credit ?? 0) : (m?.balance ?? undefined),
              }
            : null
        }
        onClose={() => setPaying(null)}
      />
    </Paper>
  );
}
