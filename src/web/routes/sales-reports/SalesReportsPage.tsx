import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Button, Group, Paper, Select, Table, Text, TextInput } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CARRIERS } from '../../api/catalogue';
import { api, buildUrl } from '../../api/client';
import { type ReportAnswer, reportPath, type SalesReport } from '../../api/salesReports';
import { FnButton } from '../../components/fkeys';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { addDays, todayInTokyo } from '../../lib/datetime';
import { formatCell, REPORT_DEFS } from './reportDefs';

const COLORS = ['indigo.6', 'orange.6', 'teal.6'];
/** The chart shows the biggest rows; the table shows them all. */
const CHART_ROWS = 30;

/** 売上集計: one screen for every sales report — pick the report, the period and filters; chart, table, CSV/Excel. */
export function SalesReportsPage() {
  const { t } = useTranslation();
  const today = todayInTokyo();
  const [report, setReport] = useState<SalesReport>('ad-monthly');
  const [from, setFrom] = useState(`${today.slice(0, 7)}-01`);
  const [to, setTo] = useState(today);
  const [carrier, setCarrier] = useState<string | null>(null);
  const [groupBy, setGroupBy] = useState<string>('prefecture');
  const [applied, setApplied] = useState({ report, from, to, carrier, groupBy });
  const def = REPORT_DEFS.find((d) => d.id === applied.report) ?? REPORT_DEFS[0];
  const query = {
    from: applied.from,
    to: applied.to,
    ...(def?.filters.includes('carrier') && applied.carrier ? { carrier: applied.carrier } : {}),
    ...(def?.filters.includes('groupBy') ? { groupBy: applied.groupBy } : {}),
  };
  const result = useQuery({
    queryKey: ['sales-reports', applied.report, query],
    queryFn: ({ signal }) => api.get<ReportAnswer>(reportPath(applied.report), query, signal),
    enabled: Boolean(applied.from && applied.to),
  });
  const current = REPORT_DEFS.find((d) => d.id === report);
  const col = (key: string) => t(`salesReports.columns.${key}` as 'salesReports.columns.orders');
  const rows = result.data?.rows ?? [];
  const chartData = def
    ? rows.slice(0, CHART_ROWS).map((row) => ({
        label: def.label(row),
        ...Object.fromEntries(def.series.map((k) => [k, Number(row[k] ?? 0)])),
      }))
    : [];

  return (
    <>
      <PageHeader title={t('salesReports.title')}>
        <Button
          component="a"
          href={buildUrl(reportPath(applied.report), { ...query, format: 'csv', encoding: 'sjis' })}
          variant="default"
          leftSection={<IconDownload size={14} />}
          data-testid="reports-csv"
        >
          CSV (Shift_JIS)
        </Button>
        <Button
          component="a"
          href={buildUrl(reportPath(applied.report), { ...query, format: 'xlsx' })}
          variant="default"
          leftSection={<IconDownload size={14} />}
          data-testid="reports-xlsx"
        >
          Excel
        </Button>
      </PageHeader>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setApplied({ report, from, to, carrier, groupBy });
        }}
      >
        <Group gap={6} mb="xs" align="flex-end">
          <Select
            label={t('salesReports.report')}
            data={REPORT_DEFS.map((d) => ({ value: d.id, label: t(`salesReports.reports.${d.id}`) }))}
            value={report}
            onChange={(v) => v && setReport(v as SalesReport)}
            w={220}
            data-testid="reports-picker"
          />
          <TextInput
            type="date"
            label={t('salesReports.from')}
            value={from}
            onChange={(e) => setFrom(e.currentTarget.value)}
            w={150}
          />
          <TextInput
            type="date"
            label={t('salesReports.to')}
            value={to}
            onChange={(e) => setTo(e.currentTarget.value)}
            w={150}
          />
          <Button
            variant="subtle"
            onClick={() => {
              setFrom(addDays(today, -29));
              setTo(today);
            }}
          >
            {t('salesReports.last30')}
          </Button>
          {current?.filters.includes('carrier') ? (
            <Select
              label={t('masters.common.carrier')}
              placeholder={t('masters.common.any')}
              data={CARRIERS.map((c) => ({ value: c, label: t(`masters.carriers.${c}`) }))}
              value={carrier}
              onChange={setCarrier}
              clearable
              allowDeselect
              w={150}
            />
          ) : null}
          {current?.filters.includes('groupBy') ? (
            <Select
              label={t('salesReports.groupBy')}
              data={[
                { value: 'prefecture', label: t('salesReports.byPrefecture') },
                { value: 'region', label: t('salesReports.byRegion') },
              ]}
              value={groupBy}
              onChange={(v) => v && setGroupBy(v)}
              w={130}
            />
          ) : null}
          <FnButton fkey="F3" type="submit" testid="reports-run">
            {t('salesReports.run')}
          </FnButton>
        </Group>
      </form>
      {result.data && def ? (
        <>
          <Paper withBorder p="sm" mb="sm">
            {chartData.length > 0 ? (
              <BarChart
                h={260}
                data={chartData}
                dataKey="label"
                series={def.series.map((k, i) => ({ name: k, label: col(k), color: COLORS[i] ?? 'gray.6' }))}
                valueFormatter={(v) => v.toLocaleString('ja-JP')}
                withLegend
                tickLine="y"
                xAxisProps={{ interval: 0, angle: -30, textAnchor: 'end', height: 70, fontSize: 10 }}
                data-testid="reports-chart"
              />
            ) : (
              <Text size="xs" c="dimmed" ta="center">
                {t('common.noData')}
              </Text>
            )}
          </Paper>
          <Table.ScrollContainer minWidth={700}>
            <Table data-testid="reports-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t(`salesReports.reports.${def.id}`)}</Table.Th>
                  {def.columns.map((c) => (
                    <Table.Th key={c.key} ta={c.format === 'text' ? 'left' : 'right'}>
                      {col(c.label)}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((row, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: report rows are shown in the server's order
                  <Table.Tr key={i}>
                    <Table.Td>{def.label(row)}</Table.Td>
                    {def.columns.map((c) => (
                      <Table.Td key={c.key} className={c.format === 'text' ? undefined : 'num'}>
                        {formatCell(row[c.key], c.format)}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
              <Table.Tfoot>
                <Table.Tr fw={700}>
                  <Table.Td>{t('salesReports.total')}</Table.Td>
                  {def.columns.map((c) => (
                    <Table.Td key={c.key} className="num">
                      {formatCell(result.data.total[c.key], c.format)}
                    </Table.Td>
                  ))}
                </Table.Tr>
              </Table.Tfoot>
            </Table>
          </Table.ScrollContainer>
        </>
      ) : (
        <QueryState error={result.error} onRetry={() => void result.refetch()} />
      )}
    </>
  );
}
