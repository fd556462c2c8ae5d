import { Badge, Group, ScrollArea, Table, Text, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import type { ImportAnswer } from '../../api/upload';
import { ImportOutcome } from '../../components/csv-import/csvImport';
import { yen } from '../customer-monitor/ProductCodeInput';
import type { ImportedOrder } from './orderImportApi';

const MATCH_COLORS = { phone: 'teal', email: 'cyan', new: 'orange' } as const;

/** A dry run's or an import's answer: counts, every bad row, and the file's orders as they were read. */
export function ImportResultView({ answer }: { answer: ImportAnswer }) {
  const { t } = useTranslation();
  const b = answer.body;
  const num = (k: string) => (typeof b[k] === 'number' ? (b[k] as number) : 0);
  const items = Array.isArray(b.items) ? (b.items as ImportedOrder[]) : [];
  const hidden = b.itemsTruncated === true ? num('orders') - items.length : 0;
  return (
    <ImportOutcome
      answer={answer}
      testid="order-import"
      counts={
        <Text size="xs" data-testid="order-import-counts">
          {t('ordimp.summary', {
            rows: num('rows'),
            orders: num('orders'),
            valid: num('valid'),
            matched: num('customersMatched'),
            created: num('customersCreated'),
          })}
        </Text>
      }
    >
      {items.length > 0 ? (
        <>
          <Group justify="space-between">
            <Title order={2}>{t('ordimp.ordersTitle')}</Title>
            {hidden > 0 ? (
              <Text size="xs" c="dimmed">
                {t('ordimp.more', { count: hidden })}
              </Text>
            ) : null}
          </Group>
          <ScrollArea.Autosize mah={420}>
            <Table data-testid="order-import-orders">
              <Table.Thead className="nowrap">
                <Table.Tr>
                  <Table.Th w={96}>{t('ordimp.status')}</Table.Th>
                  <Table.Th w={130}>{t('ordimp.externalNumber')}</Table.Th>
                  <Table.Th w={50} className="num">
                    {t('ordimp.row')}
                  </Table.Th>
                  <Table.Th w={50} className="num">
                    {t('ordimp.lines')}
                  </Table.Th>
                  <Table.Th>{t('ordimp.customer')}</Table.Th>
                  <Table.Th w={120}>{t('ordimp.match')}</Table.Th>
                  <Table.Th w={90} className="num">
                    {t('ordimp.total')}
                  </Table.Th>
                  <Table.Th w={80}>{t('ordimp.orderNumber')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((o) => (
                  <Table.Tr key={o.externalNumber} data-testid={`order-import-order-${o.externalNumber}`}>
                    <Table.Td>
                      <Badge size="xs" color={o.ok ? 'teal' : 'red'} variant="light">
                        {o.ok ? t('ordimp.ok') : t('ordimp.ng')}
                      </Badge>
                    </Table.Td>
                    <Table.Td className="mono">{o.externalNumber}</Table.Td>
                    <Table.Td className="num">{o.row}</Table.Td>
                    <Table.Td className="num">{o.lines}</Table.Td>
                    <Table.Td className="nowrap">
                      {o.customerCode ? <span className="mono">{o.customerCode} </span> : null}
                      {o.customerName}
                    </Table.Td>
                    <Table.Td>
                      {o.customerMatch ? (
                        <Badge size="xs" variant="light" color={MATCH_COLORS[o.customerMatch]}>
                          {t(`ordimp.matches.${o.customerMatch}`)}
                        </Badge>
                      ) : null}
                    </Table.Td>
                    <Table.Td className="num">{yen(o.total)}</Table.Td>
                    <Table.Td className="mono">
                      {o.orderId && o.orderNumber !== null ? (
                        <Link to="/orders/$orderId" params={{ orderId: o.orderId }}>
                          {o.orderNumber}
                        </Link>
                      ) : null}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea.Autosize>
        </>
      ) : null}
    </ImportOutcome>
  );
}
