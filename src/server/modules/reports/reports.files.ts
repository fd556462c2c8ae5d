// A report as a file for Excel: CSV (Shift_JIS or UTF-8 with BOM, via platform/files/csv.ts) or
// XLSX (exceljs), the JSON rows in the same order with a 合計 (total) row last. Column labels in
// the request's language (Japanese by default).
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.js';
import { type Actor, audit } from '../../platform/audit/audit.js';
import { attachment, type CsvEncoding, csvContentType, csvStream, defuseCell } from '../../platform/files/csv.js';
import { type Locale, localeFrom } from '../../platform/i18n/messages.js';

export type Column = { key: string; ja: string; en: string; kind?: 'text' | 'int' | 'ratio' };
export type Report = { name: string; ja: string; en: string; columns: Column[] };

/** A text, integer (#,##0) or ratio (0.00%) column. */
export const T = (key: string, ja: string, en: string): Column => ({ key, ja, en, kind: 'text' });
export const I = (key: string, ja: string, en: string): Column => ({ key, ja, en, kind: 'int' });
export const R = (key: string, ja: string, en: string): Column => ({ key, ja, en, kind: 'ratio' });

export const adCols = [T('adMediumCode', '広告コード', 'Ad code'), T('adMediumName', '広告名', 'Ad medium')];
export const productCols = [T('productCode', '商品コード', 'Product code'), T('productName', '商品名', 'Product')];
const regionCols = [T('prefecture', '都道府県', 'Prefecture'), T('region', '地方', 'Region')];
const staffCols = [T('staffName', '担当者', 'Staff')];

export const REPORTS = {
  'ad-shipments': {
    name: 'ad-shipments',
    ja: '広告別出荷個数',
    en: 'Units shipped by ad medium',
    columns: [...adCols, I('orders', '出荷件数', 'Parcels'), I('units', '出荷個数', 'Units')],
  },
  'product-shipments': {
    name: 'product-shipments',
    ja: '商品別出荷個数',
    en: 'Units shipped by product',
    columns: [
      ...productCols,
      T('categoryName', '商品分類', 'Category'),
      I('units', '出荷個数', 'Units'),
      I('amount', '金額', 'Amount'),
    ],
  },
  'region-shipments': {
    name: 'region-shipments',
    ja: '地区別出荷個数',
    en: 'Units shipped by region',
    columns: [...regionCols, I('orders', '出荷件数', 'Parcels'), I('units', '出荷個数', 'Units')],
  },
  'customer-sales': {
    name: 'customer-sales',
    ja: '顧客別売上一覧',
    en: 'Sales by customer',
    columns: [
      I('rank', '順位', 'Rank'),
      T('customerCode', '顧客コード', 'Customer code'),
      T('customerName', '氏名', 'Name'),
      I('orders', '受注件数', 'Orders'),
      I('sales', '売上金額', 'Sales'),
    ],
  },
  'region-sales-shipping': {
    name: 'region-sales-shipping',
    ja: '地区別売上送料対比表',
    en: 'Sales and shipping fees by region',
    columns: [
      ...regionCols,
      I('orders', '受注件数', 'Orders'),
      I('sales', '売上金額', 'Sales'),
      I('shippingFee', '送料', 'Shipping fees'),
      R('shippingRatio', '送料比率', 'Shipping / sales'),
      I('averageShippingFee', '平均送料', 'Average shipping fee'),
    ],
  },
  'ad-monthly': {
    name: 'ad-monthly',
    ja: '広告月別集計',
    en: 'Ad media by month',
    columns: [
      T('month', '年月', 'Month'),
      ...adCols,
      I('orders', '受注件数', 'Orders'),
      I('sales', '売上金額', 'Sales'),
      I('cost', '広告費', 'Cost'),
      I('cpo', 'CPO', 'CPO'),
      R('roas', 'ROAS', 'ROAS'),
    ],
  },
  staff: {
    name: 'staff',
    ja: '担当者別集計',
    en: 'Sales by staff',
    columns: [
      ...staffCols,
      I('orders', '受注件数', 'Orders'),
      I('units', '個数', 'Units'),
      I('sales', '売上金額', 'Sales'),
      I('averageOrderValue', '平均単価', 'Average order'),
    ],
  },
  'staff-gross-profit': {
    name: 'staff-gross-profit',
    ja: '担当者別粗利集計',
    en: 'Gross profit by staff',
    columns: [
      ...staffCols,
      I('orders', '受注件数', 'Orders'),
      I('sales', '売上金額', 'Sales'),
      I('salesExTax', '売上金額(税抜)', 'Sales excl. tax'),
      I('cost', '原価', 'Cost'),
      I('grossProfit', '粗利', 'Gross profit'),
      R('margin', '粗利率', 'Margin'),
    ],
  },
} satisfies Record<string, Report>;

export type ReportName = keyof typeof REPORTS;

export type ReportData = { rows: Record<string, unknown>[]; total: Record<string, unknown> };

const NONE = { ja: '(なし)', en: '(none)' };
const TOTAL = { ja: '合計', en: 'Total' };

function cells(report: Report, data: ReportData, locale: Locale): unknown[][] {
  const first = report.columns[0]?.key;
  const row = (r: Record<string, unknown>) =>
    report.columns.map((c) => {
      const v = r[c.key];
      // A name column of a row without its master (no ad medium, no staff …) says so.
      if ((v === null || v === undefined) && c.kind === 'text' && c.key === first) return NONE[locale];
      return v ?? '';
    });
  const out = data.rows.map(row);
  const total = report.columns.map((c, i) => (i === 0 ? TOTAL[locale] : (data.total[c.key] ?? '')));
  out.push(total);
  return out;
}

type ReportFile = { body: Readable | Buffer; contentType: string; filename: string };

async function reportFile(
  report: Report,
  data: ReportData,
  opts: { format: 'csv' | 'xlsx'; encoding: CsvEncoding; locale: Locale; from: string; to: string },
): Promise<ReportFile> {
  const header = report.columns.map((c) => c[opts.locale]);
  const rows = cells(report, data, opts.locale);
  const base = `${report[opts.locale]}_${opts.from.replaceAll('-', '')}-${opts.to.replaceAll('-', '')}`;
  if (opts.format === 'csv') {
    return {
      body: csvStream(header, Readable.from(rows), opts.encoding),
      contentType: csvContentType(opts.encoding),
      filename: `${base}.csv`,
    };
  }
  // Loaded on the first workbook, not at start-up.
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Madoguchi';
  const ws = wb.addWorksheet(report[opts.locale].slice(0, 31));
  ws.addRow([`${report[opts.locale]} ${opts.from} – ${opts.to}`]);
  ws.addRow(header).font = { bold: true };
  for (const r of rows) ws.addRow(r.map((v) => (typeof v === 'string' ? defuseCell(v) : v)));
  const totalRow = ws.lastRow;
  if (totalRow) totalRow.font = { bold: true };
  report.columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    col.width = c.kind === 'text' ? 24 : 14;
    if (c.kind === 'int') col.numFmt = '#,##0';
    if (c.kind === 'ratio') col.numFmt = '0.00%';
  });
  ws.views = [{ state: 'frozen', ySplit: 2 }];
  const buf = Buffer.from(await wb.xlsx.writeBuffer());
  return {
    body: buf,
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    filename: `${base}.xlsx`,
  };
}

/**
 * A report export: audited (report.export, with its row count), then answered as a download in
 * the request's language.
 */
export async function sendReportFile(
  db: Database,
  ctx: { tenantId: string; actor: Actor },
  req: FastifyRequest,
  reply: FastifyReply,
  name: string,
  file: { report: Report; data: ReportData },
  q: { format: 'csv' | 'xlsx'; encoding: CsvEncoding; from: string; to: string },
) {
  await db.withTenant(ctx.tenantId, (tx) =>
    audit(tx, ctx.actor, {
      action: 'report.export',
      objectType: 'report',
      detail: { report: name, format: q.format, from: q.from, to: q.to, rows: file.data.rows.length },
    }),
  );
  const locale = localeFrom(req.headers['accept-language']);
  const out = await reportFile(file.report, file.data, {
    format: q.format,
    encoding: q.encoding,
    locale,
    from: q.from,
    to: q.to,
  });
  return reply
    .header('content-type', out.contentType)
    .header('content-disposition', attachment(out.filename))
    .header('cache-control', 'no-store')
    .send(out.body as never);
}
