import '@mantine/charts/styles.css';
import { BarChart, LineChart } from '@mantine/charts';
import { Button, Group, Paper, SegmentedControl, Select, Table, Tabs, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconDownload } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CATALOGUE_PATHS } from '../../api/catalogue';
import { api, buildUrl } from '../../api/client';
import { FnButton } from '../../components/fkeys';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import type { subrepJa } from '../../i18n/subrep.ja';
import { todayInTokyo } from '../../lib/datetime';
import {
  CANCELLATION_TABLES,
  type CancellationsAnswer,
  type CancellationTable,
  CONTINUATION_BYS,
  type ContinuationAnswer,
  type ContinuationBy,
  type Leaving,
  type LtvAnswer,
  type LtvFigures,
  type Series,
  SUB_REPORTS,
  type SubReport,
  subReportPath,
} from './subscriptionReportsApi';

const COLORS = [
  'indigo.6',
  'orange.6',
  'teal.6',
  'grape.6',
  'red.6',
  'cyan.6',
  'lime.7',
  'pink.6',
  'yellow.7',
  'blue.4',
];
/** Charts show this many groups (the table shows them all). */
const CHART_GROUPS = 10;

const yen = (v: number | null | undefined) => (v === null || v === undefined ? '' : `¥${v.toLocaleString('ja-JP')}`);
const int = (v: number | null | undefined) => (v === null || v === undefined ? '' : v.toLocaleString('ja-JP'));
const pct = (v: number | null | undefined) => (v === null || v === undefined ? '' : `${(v * 100).toFixed(1)}%`);
/** A rate as a chart value: percent with one decimal. */
const chartPct = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(v * 1000) / 10);

/** The first day of the month `months` before the month of an ISO date. */
function monthStart(isoDate: string, monthsBack: number): string {
  const [y, m] = isoDate.split('-').map(Number) as [number, number];
  const total = y * 12 + (m - 1) - monthsBack;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}-01`;
}

type ColumnKey = keyof typeof subrepJa.subrep.columns;

interface Filters {
  from: string;
  to: string;
  adMediumId: string | null;
  productId: string | null;
}

/** 定期分析: continuation (by delivery, start month, ad medium, first product), LTV per start month, cancellations. */
export function SubscriptionReportsPage() {
  const { t } = useTranslation();
  const today = todayInTokyo();
  const [tab, setTab] = useState<SubReport>('continuation');
  const [by, setBy] = useState<ContinuationBy>('nth');
  const [table, setTable] = useState<CancellationTable>('reasons');
  const [form, setForm] = useState<Filters>({
    from: monthStart(today, 11),
    to: today,
    adMediumId: null,
    productId: null,
  });
  const [applied, setApplied] = useState<Filters>(form);
  const query = {
    from: applied.from,
    to: applied.to,
    adMediumId: applied.adMediumId,
    productId: applied.productId,
    ...(tab === 'continuation' ? { by } : {}),
  };
  const result = useQuery({
    queryKey: ['subscription-reports', tab, query],
    queryFn: ({ signal }) => api.get<unknown>(subReportPath(tab), query, signal),
    enabled: Boolean(applied.from && applied.to),
  });
  const fileQuery = { ...query, ...(tab === 'cancellations' ? { table } : {}) };

  return (
    <>
      <PageHeader title={t('subrep.title')}>
        <Button
          component="a"
          href={buildUrl(subReportPath(tab), { ...fileQuery, format: 'csv', encoding: 'sjis' })}
          variant="default"
          leftSection={<IconDownload size={14} />}
          data-testid="subrep-csv"
        >
          {t('subrep.csv')}
        </Button>
        <Button
          component="a"
          href={buildUrl(subReportPath(tab), { ...fileQuery, format: 'xlsx' })}
          variant="default"
          leftSection={<IconDownload size={14} />}
          data-testid="subrep-xlsx"
        >
          {t('subrep.excel')}
        </Button>
      </PageHeader>
      <Tabs value={tab} onChange={(v) => v && setTab(v as SubReport)} keepMounted={false} mb="xs">
        <Tabs.List>
          {SUB_REPORTS.map((r) => (
            <Tabs.Tab key={r} value={r} data-testid={`subrep-tab-${r}`}>
              {t(`subrep.tabs.${r}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <FiltersForm form={form} setForm={setForm} onRun={() => setApplied(form)} today={today}>
        {tab === 'continuation' ? (
          <SegmentedControl
            size="xs"
            data={CONTINUATION_BYS.map((b) => ({ value: b, label: t(`subrep.bys.${b}`) }))}
            value={by}
            onChange={(v) => setBy(v as ContinuationBy)}
            aria-label={t('subrep.by')}
            data-testid="subrep-by"
          />
        ) : null}
        {tab === 'cancellations' ? (
          <SegmentedControl
            size="xs"
            data={CANCELLATION_TABLES.map((x) => ({ value: x, label: t(`subrep.tables.${x}`) }))}
            value={table}
            onChange={(v) => setTable(v as CancellationTable)}
            aria-label={t('subrep.table')}
            data-testid="subrep-table"
          />
        ) : null}
      </FiltersForm>
      <Text size="xs" c="dimmed" mb={6}>
        {t(`subrep.periodHint.${tab}`)}
      </Text>
      {result.data ? (
        tab === 'continuation' ? (
          <ContinuationView data={result.data as ContinuationAnswer} />
        ) : tab === 'ltv' ? (
          <LtvView data={result.data as LtvAnswer} />
        ) : (
          <CancellationsView data={result.data as CancellationsAnswer} table={table} />
        )
      ) : (
        <QueryState error={result.error} onRetry={() => void result.refetch()} />
      )}
    </>
  );
}

function FiltersForm({
  form,
  setForm,
  onRun,
  today,
  children,
}: {
  form: Filters;
  setForm: (f: Filters) => void;
  onRun: () => void;
  today: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const adMedia = useQuery({
    queryKey: ['master-ref', CATALOGUE_PATHS.adMedia, 'subrep'],
    queryFn: ({ signal }) =>
      api.get<{ items: { id: string; code: string; name: string }[] }>(CATALOGUE_PATHS.adMedia, { limit: 500 }, signal),
    staleTime: 60_000,
  });
  const [productSearch, setProductSearch] = useState('');
  const [q] = useDebouncedValue(productSearch, 250);
  const products = useQuery({
    queryKey: ['master-ref', CATALOGUE_PATHS.products, 'subrep', q],
    queryFn: ({ signal }) =>
      api.get<{ items: { id: string; code: string; name: string }[] }>(
        CATALOGUE_PATHS.products,
        { limit: 50, ...(q ? { q } : {}) },
        signal,
      ),
    staleTime: 30_000,
  });
  const [productLabels] = useState(() => new Map<string, string>());
  const productOptions = useMemo(() => {
    const options = (products.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.code} ${p.name}` }));
    for (const o of options) productLabels.set(o.value, o.label);
    if (form.productId && !options.some((o) => o.value === form.productId)) {
      options.unshift({ value: form.productId, label: productLabels.get(form.productId) ?? form.productId });
    }
    return options;
  }, [products.data, form.productId, productLabels]);

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        onRun();
      }}
    >
      <Group gap={6} mb={6} align="flex-end">
        <TextInput
          type="date"
          label={t('subrep.from')}
          value={form.from}
          onChange={(e) => setForm({ ...form, from: e.currentTarget.value })}
          w={150}
          data-testid="subrep-from"
        />
        <TextInput
          type="date"
          label={t('subrep.to')}
          value={form.to}
          onChange={(e) => setForm({ ...form, to: e.currentTarget.value })}
          w={150}
          data-testid="subrep-to"
        />
        <Button variant="subtle" onClick={() => setForm({ ...form, from: monthStart(today, 11), to: today })}>
          {t('subrep.last12')}
        </Button>
        <Button variant="subtle" onClick={() => setForm({ ...form, from: `${today.slice(0, 4)}-01-01`, to: today })}>
          {t('subrep.thisYear')}
        </Button>
        <Select
          label={t('subrep.adMedium')}
          placeholder={t('subrep.any')}
          data={(adMedia.data?.items ?? []).map((m) => ({ value: m.id, label: `${m.code} ${m.name}` }))}
          value={form.adMediumId}
          onChange={(v) => setForm({ ...form, adMediumId: v })}
          searchable
          clearable
          w={200}
          data-testid="subrep-ad"
        />
        <Select
          label={t('subrep.product')}
          placeholder={t('subrep.any')}
          data={productOptions}
          value={form.productId}
          onChange={(v) => setForm({ ...form, productId: v })}
          searchable
          searchValue={productSearch}
          onSearchChange={setProductSearch}
          filter={({ options }) => options}
          clearable
          w={220}
          data-testid="subrep-product"
        />
        <FnButton fkey="F3" type="submit" testid="subrep-run">
          {t('subrep.run')}
        </FnButton>
      </Group>
      <Group gap={6} mb={6}>
        {children}
      </Group>
    </form>
  );
}

function ChartBox({ children, empty }: { children: ReactNode; empty: boolean }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="sm" mb="sm">
      {empty ? (
        <Text size="xs" c="dimmed" ta="center">
          {t('common.noData')}
        </Text>
      ) : (
        children
      )}
    </Paper>
  );
}

/** A column of a report table: header, cell, right-aligned figures (num), a cell tooltip. */
interface Column<R> {
  label: ReactNode;
  num?: boolean;
  cell: (row: R) => ReactNode;
  title?: (row: R) => string;
}

/** The report's table: one line per row, and when `total` is given a bold 合計 line (its first cell says so). */
function ReportTable<R>({
  minWidth,
  columns,
  rows,
  rowKey,
  total,
}: {
  minWidth: number;
  columns: Column<R>[];
  rows: R[];
  rowKey: (row: R) => string | number;
  total?: R;
}) {
  const { t } = useTranslation();
  const cells = (row: R, first?: ReactNode) =>
    columns.map((c, i) => (
      // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed for a table
      <Table.Td key={i} className={c.num ? 'num' : undefined} title={c.title?.(row)}>
        {i === 0 && first !== undefined ? first : c.cell(row)}
      </Table.Td>
    ));
  return (
    <Table.ScrollContainer minWidth={minWidth}>
      <Table data-testid="subrep-table-data">
        <Table.Thead>
          <Table.Tr>
            {columns.map((c, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed for a table
              <Table.Th key={i} ta={c.num ? 'right' : 'left'}>
                {c.label}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={rowKey(r)}>{cells(r)}</Table.Tr>
          ))}
        </Table.Tbody>
        {total !== undefined && (
          <Table.Tfoot>
            <Table.Tr fw={700}>{cells(total, t('subrep.total'))}</Table.Tr>
          </Table.Tfoot>
        )}
      </Table>
    </Table.ScrollContainer>
  );
}

/** A rate line chart (percent, 0–100). */
function RateLineChart(props: {
  h: number;
  data: Record<string, unknown>[];
  series: { name: string; label?: string; color: string }[];
  withLegend?: boolean;
}) {
  return (
    <LineChart
      {...props}
      dataKey="label"
      valueFormatter={(v) => `${v}%`}
      yAxisProps={{ domain: [0, 100] }}
      data-testid="subrep-chart"
    />
  );
}

function PendingNote() {
  const { t } = useTranslation();
  return (
    <Text size="xs" c="dimmed" mt={4}>
      {t('subrep.pendingNote')}
    </Text>
  );
}

/** Per delivery number, the rate with the kept count beside it and the not-yet-due count as a tooltip. */
function rateColumns<R>(points: number[], series: (row: R) => Series, t: TFunction): Column<R>[] {
  return points.map((n, i) => ({
    label: t('subrep.nth', { n }),
    num: true,
    title: (r) => `${t('subrep.columns.pending')}: ${int(series(r).pending[i] ?? 0)}`,
    cell: (r) => (
      <>
        {pct(series(r).rates[i])}{' '}
        <Text span size="xs" c="dimmed">
          ({int(series(r).reached[i] ?? 0)})
        </Text>
      </>
    ),
  }));
}

function ContinuationView({ data }: { data: ContinuationAnswer }) {
  const { t } = useTranslation();
  const col = (k: ColumnKey) => t(`subrep.columns.${k}`);
  if (data.by === 'nth') {
    const chart = data.rows.map((r) => ({ label: t('subrep.nth', { n: r.n }), rate: chartPct(r.rate) }));
    type Row = (typeof data.rows)[number];
    const columns: Column<Row>[] = [
      { label: col('n'), cell: (r) => t('subrep.nth', { n: r.n }) },
      { label: col('started'), num: true, cell: (r) => int(r.started) },
      { label: col('reached'), num: true, cell: (r) => int(r.reached) },
      { label: col('pending'), num: true, cell: (r) => int(r.pending) },
      { label: col('rate'), num: true, cell: (r) => pct(r.rate) },
    ];
    return (
      <>
        <ChartBox empty={data.total.started === 0}>
          <RateLineChart
            h={240}
            data={chart}
            series={[{ name: 'rate', label: col('rate'), color: COLORS[0] as string }]}
          />
        </ChartBox>
        <ReportTable minWidth={500} columns={columns} rows={data.rows} rowKey={(r) => r.n} />
        <PendingNote />
      </>
    );
  }
  const groups = data.rows.map((r) => {
    if (data.by === 'cohort') return { label: (r as { cohort: string }).cohort, series: r };
    const x = r as unknown as Record<string, unknown>;
    const code = data.by === 'ad' ? x.adMediumCode : x.productCode;
    const name = data.by === 'ad' ? x.adMediumName : x.productName;
    return { label: code === null ? t('subrep.none') : `${String(code)} ${String(name ?? '')}`.trim(), series: r };
  });
  const shown = data.by === 'cohort' ? groups.slice(-CHART_GROUPS) : groups.slice(0, CHART_GROUPS);
  const first = data.by === 'cohort' ? col('cohort') : data.by === 'ad' ? col('adMedium') : col('product');
  type Group = { label: string; series: Series };
  const columns: Column<Group>[] = [
    { label: first, cell: (g) => g.label },
    { label: col('started'), num: true, cell: (g) => int(g.series.started) },
    ...rateColumns<Group>(data.points, (g) => g.series, t),
  ];
  return (
    <>
      <ChartBox empty={groups.length === 0}>
        {data.by === 'cohort' ? (
          // One line per start month over the delivery number.
          <RateLineChart
            h={260}
            data={data.points.map((n, i) => ({
              label: t('subrep.nth', { n }),
              ...Object.fromEntries(shown.map((g) => [g.label, chartPct(g.series.rates[i])])),
            }))}
            series={shown.map((g, i) => ({ name: g.label, color: COLORS[i % COLORS.length] as string }))}
            withLegend
          />
        ) : (
          <BarChart
            h={260}
            data={shown.map((g) => ({
              label: g.label,
              ...Object.fromEntries(data.points.map((n, i) => [`n${n}`, chartPct(g.series.rates[i])])),
            }))}
            dataKey="label"
            series={data.points.map((n, i) => ({
              name: `n${n}`,
              label: t('subrep.nth', { n }),
              color: COLORS[i] as string,
            }))}
            valueFormatter={(v) => `${v}%`}
            withLegend
            tickLine="y"
            data-testid="subrep-chart"
          />
        )}
      </ChartBox>
      <ReportTable
        minWidth={400 + data.points.length * 80}
        columns={columns}
        rows={groups}
        rowKey={(g) => g.label}
        total={{ label: '', series: data.total }}
      />
      <PendingNote />
    </>
  );
}

function LtvView({ data }: { data: LtvAnswer }) {
  const { t } = useTranslation();
  const col = (k: ColumnKey) => t(`subrep.columns.${k}`);
  type Row = LtvFigures & { cohort?: string };
  const columns: Column<Row>[] = [
    { label: col('cohort'), cell: (r) => r.cohort },
    { label: col('subscriptions'), num: true, cell: (r) => int(r.subscriptions) },
    { label: col('deliveries'), num: true, cell: (r) => int(r.deliveries) },
    { label: col('revenue'), num: true, cell: (r) => yen(r.revenue) },
    { label: col('ltv'), num: true, cell: (r) => yen(r.ltv) },
    { label: col('averageDeliveries'), num: true, cell: (r) => r.averageDeliveries?.toFixed(2) ?? '' },
  ];
  return (
    <>
      <ChartBox empty={data.rows.length === 0}>
        <BarChart
          h={240}
          data={data.rows.map((r) => ({ label: r.cohort, ltv: r.ltv ?? 0 }))}
          dataKey="label"
          series={[{ name: 'ltv', label: col('ltv'), color: COLORS[0] as string }]}
          valueFormatter={(v) => yen(v)}
          tickLine="y"
          data-testid="subrep-chart"
        />
      </ChartBox>
      <ReportTable<Row>
        minWidth={600}
        columns={columns}
        rows={data.rows}
        rowKey={(r) => r.cohort ?? ''}
        total={data.total}
      />
    </>
  );
}

function CancellationsView({ data, table }: { data: CancellationsAnswer; table: CancellationTable }) {
  const { t } = useTranslation();
  const rows =
    table === 'reasons'
      ? data.reasons.map((r) => ({
          key: r.reasonId ?? '-',
          label: r.reasonId === null ? t('subrep.none') : `${r.reasonCode ?? ''} ${r.reasonName ?? ''}`.trim(),
          ...r,
        }))
      : table === 'deliveries'
        ? data.deliveries.map((r) => ({ key: String(r.deliveries), label: t('subrep.nth', { n: r.deliveries }), ...r }))
        : data.products.map((r) => ({ key: r.productId, label: `${r.productCode} ${r.productName}`, ...r }));
  const first =
    table === 'reasons'
      ? t('subrep.columns.reason')
      : table === 'deliveries'
        ? t('subrep.columns.leftAfter')
        : t('subrep.columns.product');
  type Row = Leaving & { key: string; label: string };
  const columns: Column<Row>[] = [
    { label: first, cell: (r) => r.label },
    { label: t('subrep.columns.count'), num: true, cell: (r) => int(r.count) },
    { label: t('subrep.columns.share'), num: true, cell: (r) => pct(r.share) },
    { label: t('subrep.columns.withContact'), num: true, cell: (r) => int(r.withContact) },
  ];
  // The rows' shares add up to all of them (none when there are none).
  const total: Row = {
    key: '',
    label: '',
    count: data.total.count,
    share: data.total.count === 0 ? null : 1,
    withContact: data.total.withContact,
  };
  return (
    <>
      <Text size="sm" mb={6} data-testid="subrep-contact">
        {t('subrep.contactShare', {
          count: data.total.count,
          withContact: data.total.withContact,
          share: pct(data.total.contactShare),
        })}
      </Text>
      <ChartBox empty={rows.length === 0}>
        <BarChart
          h={240}
          data={rows.slice(0, 20).map((r) => ({ label: r.label, count: r.count, withContact: r.withContact }))}
          dataKey="label"
          series={[
            { name: 'count', label: t('subrep.columns.count'), color: COLORS[0] as string },
            { name: 'withContact', label: t('subrep.columns.withContact'), color: COLORS[1] as string },
          ]}
          withLegend
          tickLine="y"
          data-testid="subrep-chart"
        />
      </ChartBox>
      <ReportTable minWidth={500} columns={columns} rows={rows} rowKey={(r) => r.key} total={total} />
    </>
  );
}
