import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Group, Paper, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconListDetails, IconRefresh } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  FORECAST_DAYS,
  type ForecastDays,
  forecastQuery,
  type SubscriptionForecast,
} from '../../api/subscriptionShipments';
import { FnButton } from '../../components/fkeys';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { todayInTokyo } from '../../lib/datetime';
import { shortDate } from '../orders/orderFormat';
import { BUCKETS, type Bucket, bucketsOf, sum } from './forecastBuckets';

const COLORS = ['indigo.6', 'orange.6', 'teal.6', 'grape.6', 'cyan.6', 'lime.7', 'pink.6', 'yellow.7'];
/** Products drawn in the chart (the largest); the table lists them all. */
const CHART_PRODUCTS = 8;

function ForecastTable({ data, bucket }: { data: SubscriptionForecast; bucket: Bucket }) {
  const { t } = useTranslation();
  const buckets = bucketsOf(data.days, bucket);
  const label = (key: string) =>
    bucket === 'month'
      ? key.replace('-', '/')
      : bucket === 'week'
        ? t('subship.weekOf', { date: shortDate(key).slice(5) })
        : shortDate(key).slice(5);
  return (
    <Table.ScrollContainer minWidth={Math.max(600, 260 + buckets.length * 48)}>
      <Table data-testid="forecast-table" stickyHeader>
        <Table.Thead>
          <Table.Tr>
            <Table.Th miw={200}>{t('subship.productName')}</Table.Th>
            <Table.Th className="num" w={70}>
              {t('subship.total')}
            </Table.Th>
            {buckets.map((b) => (
              <Table.Th key={b.key} className="num nowrap">
                {label(b.key)}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data.products.length === 0 ? (
            <Table.Tr>
              <Table.Td colSpan={buckets.length + 2}>
                <Text size="xs" c="dimmed" ta="center">
                  {t('common.noData')}
                </Text>
              </Table.Td>
            </Table.Tr>
          ) : null}
          {data.products.map((p) => (
            <Table.Tr key={p.productId} data-testid={`forecast-row-${p.productCode}`}>
              <Table.Td>
                <Text span size="xs" className="mono" mr={4}>
                  {p.productCode}
                </Text>
                {p.productName}
                {p.presents > 0 ? (
                  <Text size="xs" c="dimmed">
                    {t('subship.presentsOf', { count: p.presents })}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td className="num" fw={700}>
                {p.total}
              </Table.Td>
              {buckets.map((b) => {
                const n = sum(p.units, b.indexes);
                return (
                  <Table.Td key={b.key} className="num" c={n ? undefined : 'dimmed'}>
                    {n || '·'}
                  </Table.Td>
                );
              })}
            </Table.Tr>
          ))}
          {data.products.length > 0 ? (
            <Table.Tr fw={700}>
              <Table.Td>{t('subship.total')}</Table.Td>
              <Table.Td className="num">{data.totals.reduce((a, b) => a + b, 0)}</Table.Td>
              {buckets.map((b) => (
                <Table.Td key={b.key} className="num">
                  {sum(data.totals, b.indexes)}
                </Table.Td>
              ))}
            </Table.Tr>
          ) : null}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function ForecastChart({ data, bucket }: { data: SubscriptionForecast; bucket: Bucket }) {
  const { t } = useTranslation();
  const top = [...data.products].sort((a, b) => b.total - a.total).slice(0, CHART_PRODUCTS);
  if (top.length === 0) return null;
  const buckets = bucketsOf(data.days, bucket);
  const rows = buckets.map((b) => {
    const row: Record<string, string | number> = {
      label: bucket === 'month' ? b.key.replace('-', '/') : shortDate(b.key).slice(5),
    };
    for (const p of top) row[p.productCode] = sum(p.units, b.indexes);
    return row;
  });
  return (
    <BarChart
      h={240}
      data={rows}
      dataKey="label"
      type="stacked"
      series={top.map((p, i) => ({
        name: p.productCode,
        label: `${p.productCode} ${p.productName}`,
        color: COLORS[i] ?? 'gray.6',
      }))}
      valueFormatter={(v) => `${v.toLocaleString('ja-JP')}`}
      withLegend
      tickLine="y"
      yAxisLabel={t('subship.chartUnits')}
      xAxisProps={{ fontSize: 10 }}
      data-testid="forecast-chart"
    />
  );
}

/** 定期出荷予測: units per product per delivery day for the next 30/60/90 days, as a table and a chart. */
export function SubscriptionForecastPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [from, setFrom] = useState(todayInTokyo());
  const [days, setDays] = useState<ForecastDays>(30);
  const [bucket, setBucket] = useState<Bucket>('day');
  const forecast = useQuery(forecastQuery(from, days));

  return (
    <>
      <PageHeader title={t('subship.forecastTitle')}>
        <TextInput
          type="date"
          aria-label={t('subship.from')}
          value={from}
          onChange={(event) => event.currentTarget.value && setFrom(event.currentTarget.value)}
          data-testid="forecast-from"
        />
        <SegmentedControl
          size="xs"
          aria-label={t('subship.days')}
          value={String(days)}
          onChange={(v) => setDays(Number(v) as ForecastDays)}
          data={FORECAST_DAYS.map((d) => ({ value: String(d), label: t('subship.daysValue', { days: d }) }))}
          data-testid="forecast-days"
        />
        <SegmentedControl
          size="xs"
          aria-label={t('subship.bucket')}
          value={bucket}
          onChange={(v) => setBucket(v as Bucket)}
          data={BUCKETS.map((b) => ({ value: b, label: t(`subship.buckets.${b}`) }))}
          data-testid="forecast-bucket"
        />
        <FnButton
          fkey="F10"
          variant="default"
          leftSection={<IconListDetails size={14} />}
          onClick={() => void navigate({ to: '/subscription-shipments' })}
          testid="forecast-to-list"
        >
          {t('subship.listLink')}
        </FnButton>
        <FnButton
          fkey="F5"
          variant="default"
          leftSection={<IconRefresh size={14} />}
          onClick={() => void forecast.refetch()}
          testid="forecast-refresh"
        >
          {t('common.refresh')}
        </FnButton>
      </PageHeader>
      <Stack gap="xs">
        <Text size="xs" c="dimmed">
          {t('subship.forecastNote')}
        </Text>
        {forecast.data ? (
          <>
            <Group gap="md">
              <Text size="xs" data-testid="forecast-range">
                {shortDate(forecast.data.from)} – {shortDate(forecast.data.to)}
              </Text>
              <Text size="xs" c="dimmed" data-testid="forecast-deliveries">
                {t('subship.deliveries', { count: forecast.data.deliveries })}
              </Text>
            </Group>
            <Paper withBorder p="xs">
              <ForecastChart data={forecast.data} bucket={bucket} />
              {forecast.data.products.length === 0 ? (
                <Text size="xs" c="dimmed" ta="center">
                  {t('common.noData')}
                </Text>
              ) : null}
            </Paper>
            <ForecastTable data={forecast.data} bucket={bucket} />
          </>
        ) : (
          <QueryState error={forecast.error} onRetry={() => void forecast.refetch()} />
        )}
      </Stack>
    </>
  );
}
