import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Grid, Group, Paper, SegmentedControl, Table, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type InquiryReport, type ReportRow, reportQuery } from '../../api/faq';
import { FnButton } from '../../components/fkeys';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { CsvButtons } from '../lists/CsvButtons';

const COLORS = [
  'indigo.6',
  'red.6',
  'teal.6',
  'orange.6',
  'grape.6',
  'cyan.6',
  'lime.7',
  'pink.6',
  'yellow.7',
  'gray.6',
];
/** Series beyond this many are summed as "other" so the chart stays readable. */
const MAX_SERIES = 8;

function chartData(rows: ReportRow[], totals: { name: string }[], other: string) {
  const top = totals.slice(0, MAX_SERIES).map((r) => r.name);
  const byPeriod = new Map<string, Record<string, string | number>>();
  for (const r of rows) {
    const entry = byPeriod.get(r.periodStart) ?? { period: r.periodStart.slice(5).replace('-', '/') };
    const key = top.includes(r.name) ? r.name : other;
    entry[key] = Number(entry[key] ?? 0) + r.count;
    byPeriod.set(r.periodStart, entry);
  }
  const names = totals.length > MAX_SERIES ? [...top, other] : top;
  const series = names.map((name, i) => ({ name, color: COLORS[i % COLORS.length] ?? 'gray.6' }));
  const data = [...byPeriod.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, v]) => v);
  return { data, series };
}

function Section({
  title,
  rows,
  totals,
  testid,
}: {
  title: string;
  rows: ReportRow[];
  totals: InquiryReport['totals']['kinds'];
  testid: string;
}) {
  const { t } = useTranslation();
  const { data, series } = chartData(rows, totals, t('actions.kinds.other'));
  const sum = totals.reduce((n, r) => n + r.count, 0);
  return (
    <Paper withBorder p="xs" data-testid={testid}>
      <Title order={3} mb={6}>
        {title}
      </Title>
      {data.length === 0 ? (
        <Text size="xs" c="dimmed" ta="center" py="md">
          {t('report.empty')}
        </Text>
      ) : (
        <Grid gap="xs">
          <Grid.Col span={{ base: 12, lg: 8 }}>
            <BarChart h={280} data={data} dataKey="period" type="stacked" series={series} withLegend tickLine="y" />
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 4 }}>
            <Text size="xs" c="dimmed" mb={2}>
              {t('report.top')}
            </Text>
            <Table data-testid={`${testid}-totals`}>
              <Table.Tbody>
                {totals.map((r) => (
                  <Table.Tr key={r.id ?? r.name}>
                    <Table.Td>{r.name}</Table.Td>
                    <Table.Td className="num">{r.count}</Table.Td>
                    <Table.Td className="num" c="dimmed">
                      {sum > 0 ? `${Math.round((r.count / sum) * 100)}%` : ''}
                    </Table.Td>
                  </Table.Tr>
                ))}
                <Table.Tr>
                  <Table.Td fw={700}>{t('report.total')}</Table.Td>
                  <Table.Td className="num" fw={700}>
                    {sum}
                  </Table.Td>
                  <Table.Td />
                </Table.Tr>
              </Table.Tbody>
            </Table>
          </Grid.Col>
        </Grid>
      )}
    </Paper>
  );
}

/** 問い合わせ分析 (seed 001's support-history analysis): inquiries per kind and FAQ category, per week or month. */
export function ReportPage() {
  const { t } = useTranslation();
  const [period, setPeriod] = useState<'week' | 'month'>('week');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const q = { period, ...(from ? { from } : {}), ...(to ? { to } : {}) };
  const report = useQuery(reportQuery(q));

  return (
    <>
      <PageHeader title={t('report.title')}>
        <CsvButtons path="/reports/inquiries/export" query={q} testid="report-export" />
        <FnButton fkey="F5" variant="default" onClick={() => void report.refetch()} testid="report-refresh">
          {t('common.refresh')}
        </FnButton>
      </PageHeader>
      <Text size="xs" c="dimmed" mb="xs">
        {t('report.lead')}
      </Text>
      <Group gap="xs" mb="xs" align="flex-end">
        <SegmentedControl
          value={period}
          onChange={(value) => setPeriod(value as 'week' | 'month')}
          data={[
            { value: 'week', label: t('report.week') },
            { value: 'month', label: t('report.month') },
          ]}
          data-testid="report-period"
        />
        <TextInput
          type="date"
          label={t('report.from')}
          value={from}
          onChange={(e) => setFrom(e.currentTarget.value)}
          data-testid="report-from"
        />
        <TextInput
          type="date"
          label={t('report.to')}
          value={to}
          onChange={(e) => setTo(e.currentTarget.value)}
          data-testid="report-to"
        />
        {report.data ? (
          <Text size="xs" c="dimmed" mb={6}>
            {report.data.from} 〜 {report.data.to}
          </Text>
        ) : null}
      </Group>
      {report.data ? (
        <>
          <Section
            title={t('report.byKind')}
            rows={report.data.kinds}
            totals={report.data.totals.kinds}
            testid="report-kinds"
          />
          <div style={{ height: 8 }} />
          <Section
            title={t('report.byCategory')}
            rows={report.data.categories}
            totals={report.data.totals.categories}
            testid="report-categories"
          />
        </>
      ) : (
        <QueryState error={report.error} onRetry={() => void report.refetch()} />
      )}
    </>
  );
}
