import { Group, Loader, Paper, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { feeOf, type Quote } from '../../api/orders';
import { describeError } from '../../lib/notify';
import { yen } from './ProductCodeInput';

interface Props {
  quote: Pick<Quote, 'subtotal' | 'taxes' | 'shippingFee' | 'paymentFee' | 'codFee' | 'discount' | 'total'> | null;
  pending?: boolean;
  error?: unknown;
  testid?: string;
}

/** 商品金額, 消費税 per rate (one rounding per rate), 送料, 代引手数料, 割引, 合計 — as the server computes them. */
export function OrderTotals({ quote, pending = false, error = null, testid = 'order-totals' }: Props) {
  const { t } = useTranslation();
  const row = (label: string, value: string, id: string, strong = false) => (
    <Table.Tr>
      <Table.Th fw={strong ? 700 : 500} bg="gray.0" w="55%">
        {label}
      </Table.Th>
      <Table.Td className="num" fw={strong ? 700 : 400} fz={strong ? 'md' : undefined} data-testid={`${testid}-${id}`}>
        {value}
      </Table.Td>
    </Table.Tr>
  );
  const dash = '—';
  return (
    <Paper withBorder p={6} data-testid={testid} data-pending={pending || undefined}>
      <Group justify="space-between" mb={2} h={18}>
        <Text size="xs" fw={700}>
          {t('orderDesk.totals')}
        </Text>
        {pending ? <Loader size={12} aria-label={t('orderDesk.quoting')} /> : null}
      </Group>
      <Table striped={false} highlightOnHover={false} verticalSpacing={2}>
        <Table.Tbody>
          {row(t('orderDesk.subtotal'), quote ? yen(quote.subtotal) : dash, 'subtotal')}
          {(quote?.taxes ?? []).map((tax) => (
            <Table.Tr key={tax.rate}>
              <Table.Th fw={400} bg="gray.0" className="nowrap">
                {t('orderDesk.taxOf', { rate: tax.rate, amount: yen(tax.taxableAmount) })}
              </Table.Th>
              <Table.Td className="num" data-testid={`${testid}-tax-${tax.rate}`}>
                {yen(tax.tax)}
              </Table.Td>
            </Table.Tr>
          ))}
          {row(t('orderDesk.shippingFee'), quote ? yen(quote.shippingFee) : dash, 'shipping')}
          {row(t('orderDesk.codFee'), quote ? yen(feeOf(quote)) : dash, 'fee')}
          {row(t('orderDesk.discount'), quote ? (quote.discount ? `−${yen(quote.discount)}` : '0') : dash, 'discount')}
          {row(t('orderDesk.total'), quote ? `¥${yen(quote.total)}` : dash, 'total', true)}
        </Table.Tbody>
      </Table>
      {error ? (
        <Text size="xs" c="orange.8" mt={2} data-testid={`${testid}-problem`}>
          {describeError(error).title}
        </Text>
      ) : null}
    </Paper>
  );
}
