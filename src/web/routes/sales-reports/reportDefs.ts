import type { ReportRow, SalesReport } from '../../api/salesReports';

export type Format = 'count' | 'yen' | 'ratio' | 'text';

export interface ReportColumn {
  key: string;
  /** Key under salesReports.columns. */
  label: string;
  format: Format;
}

export interface ReportDef {
  id: SalesReport;
  /** The row's label on the chart's axis and in the table's first column. */
  label: (row: ReportRow) => string;
  columns: ReportColumn[];
  /** Columns drawn as bars. */
  series: string[];
  filters: ('carrier' | 'groupBy')[];
}

const s = (v: unknown) => (v === null || v === undefined ? '' : String(v));
const named = (code: string, name: string) => (row: ReportRow) =>
  row[name] === null && row[code] === null ? '—' : `${s(row[code])} ${s(row[name])}`.trim();
const region = (row: ReportRow) => s(row.prefecture ?? row.region) || '—';

/** 広告別出荷個数, 商品別出荷個数, 地区別出荷個数, 顧客別売上一覧, 地区別売上送料対比表, 広告月別集計, 担当者別集計, 担当者別粗利集計. */
export const REPORT_DEFS: ReportDef[] = [
  {
    id: 'ad-shipments',
    label: named('adMediumCode', 'adMediumName'),
    columns: [
      { key: 'orders', label: 'orders', format: 'count' },
      { key: 'units', label: 'units', format: 'count' },
    ],
    series: ['units'],
    filters: ['carrier'],
  },
  {
    id: 'product-shipments',
    label: named('productCode', 'productName'),
    columns: [
      { key: 'categoryName', label: 'category', format: 'text' },
      { key: 'units', label: 'units', format: 'count' },
      { key: 'amount', label: 'amount', format: 'yen' },
    ],
    series: ['units'],
    filters: ['carrier'],
  },
  {
    id: 'region-shipments',
    label: region,
    columns: [
      { key: 'orders', label: 'orders', format: 'count' },
      { key: 'units', label: 'units', format: 'count' },
    ],
    series: ['units'],
    filters: ['carrier', 'groupBy'],
  },
  {
    id: 'customer-sales',
    label: named('customerCode', 'customerName'),
    columns: [
      { key: 'rank', label: 'rank', format: 'count' },
      { key: 'orders', label: 'orders', format: 'count' },
      { key: 'sales', label: 'sales', format: 'yen' },
    ],
    series: ['sales'],
    filters: [],
  },
  {
    id: 'region-sales-shipping',
    label: region,
    columns: [
      { key: 'orders', label: 'orders', format: 'count' },
      { key: 'sales', label: 'sales', format: 'yen' },
      { key: 'shippingFee', label: 'shippingFee', format: 'yen' },
      { key: 'shippingRatio', label: 'shippingRatio', format: 'ratio' },
      { key: 'averageShippingFee', label: 'averageShippingFee', format: 'yen' },
    ],
    series: ['sales', 'shippingFee'],
    filters: ['carrier', 'groupBy'],
  },
  {
    id: 'ad-monthly',
    label: (row) => `${s(row.month)} ${s(row.adMediumName) || '—'}`,
    columns: [
      { key: 'orders', label: 'orders', format: 'count' },
      { key: 'sales', label: 'sales', format: 'yen' },
      { key: 'cost', label: 'cost', format: 'yen' },
      { key: 'cpo', label: 'cpo', format: 'yen' },
      { key: 'roas', label: 'roas', format: 'ratio' },
    ],
    series: ['sales', 'cost'],
    filters: ['carrier'],
  },
  {
    id: 'staff-sales',
    label: (row) => s(row.staffName) || '—',
    columns: [
      { key: 'orders', label: 'orders', format: 'count' },
      { key: 'units', label: 'units', format: 'count' },
      { key: 'sales', label: 'sales', format: 'yen' },
      { key: 'averageOrderValue', label: 'averageOrderValue', format: 'yen' },
    ],
    series: ['sales'],
    filters: ['carrier'],
  },
  {
    id: 'staff-gross-profit',
    label: (row) => s(row.staffName) || '—',
    columns: [
      { key: 'orders', label: 'orders', format: 'count' },
      { key: 'sales', label: 'sales', format: 'yen' },
      { key: 'salesExTax', label: 'salesExTax', format: 'yen' },
      { key: 'cost', label: 'cost', format: 'yen' },
      { key: 'grossProfit', label: 'grossProfit', format: 'yen' },
      { key: 'margin', label: 'margin', format: 'ratio' },
    ],
    series: ['salesExTax', 'grossProfit'],
    filters: ['carrier'],
  },
];

export function formatCell(value: unknown, format: Format): string {
  if (value === null || value === undefined) return '';
  if (format === 'text') return String(value);
  const n = Number(value);
  if (format === 'yen') return `¥${Math.round(n).toLocaleString('ja-JP')}`;
  if (format === 'ratio') return `${(n * 100).toFixed(1)}%`;
  return n.toLocaleString('ja-JP');
}
