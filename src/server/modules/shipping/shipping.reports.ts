// 出荷確認一覧表 (the day's parcels, as JSON for the screen and as a PDF to print) and
// 納品書/請求書 as 適格請求書 (qualified invoices: issuer, registration number, per-rate totals and
// tax, ※ on reduced-rate lines), one order's or a whole ship day's in one PDF.
import type { Readable } from 'node:stream';
import { tokyoDate } from '../../../shared/calendar.js';
import type { Database, TenantTx } from '../../db/database.js';
import { audit } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors.js';
import { getOrderSettings, type OrderSettings } from '../../platform/tenants/tenants.service.js';
import type { Ctx } from './shipping.export.js';
import { codAmount, type OrderCarrier } from './shipping.layouts.js';
import { type Column, type Doc, newDoc, tableRow, toBuffer, yen } from './shipping.pdf.js';
import { BATCH } from './shipping.queries.js';

const CARRIER_LABELS: Record<OrderCarrier, string> = {
  yamato: 'ヤマト運輸',
  sagawa: '佐川急便',
  japanpost: '日本郵便',
};

// ---------------------------------------------------------------------------------------------
// 出荷確認一覧表

export type DailyItem = {
  orderId: string;
  number: string;
  status: string;
  carrier: OrderCarrier;
  customerName: string;
  shipName: string;
  prefecture: string | null;
  items: { code: string; name: string; quantity: number }[];
  quantity: number;
  codAmount: number;
  timeSlot: string | null;
  timeSlotLabel: string | null;
  desiredDeliveryDate: string | null;
  trackingNumber: string | null;
};

type DailyRow = {
  id: string;
  number: string;
  status: string;
  carrier: OrderCarrier;
  customer_name: string | null;
  ship_name: string;
  ship_prefecture: string | null;
  payment_kind: string | null;
  total: number;
  paid_amount: number;
  time_slot: string | null;
  desired_delivery_date: string | null;
  tracking_number: string | null;
};

/** The day's orders (all but cancelled ones), carrier then number, BATCH at a time. */
async function* dailyBatches(tx: TenantTx, shipDate: string, carrier: OrderCarrier | undefined) {
  const slots = new Map(
    (
      await tx.query<{ carrier: string; code: string; label: string }>(
        'SELECT carrier, code, label FROM delivery_time_slots WHERE tenant_id = $1',
        [tx.tenantId],
      )
    ).map((s) => [`${s.carrier}:${s.code}`, s.label]),
  );
  let after: [string, string] = ['', '0'];
  for (;;) {
    const rows = await tx.query<DailyRow>(
      `SELECT o.id, o.number::text AS number, o.status, o.carrier, c.name AS customer_name, o.ship_name,
              o.ship_prefecture, o.payment_kind, o.total, o.paid_amount, o.time_slot,
              o.desired_delivery_date::text AS desired_delivery_date, o.tracking_number
         FROM orders o LEFT JOIN customers c ON c.tenant_id = o.tenant_id AND c.id = o.customer_id
        WHERE o.tenant_id = $1 AND o.ship_date = $2 AND o.status <> 'cancelled'
          AND ($3::text IS NULL OR o.carrier = $3) AND (o.carrier, o.number) > ($4::text, $5::bigint)
        ORDER BY o.carrier, o.number LIMIT ${BATCH}`,
      [tx.tenantId, shipDate, carrier ?? null, after[0], after[1]],
    );
    if (rows.length === 0) return;
    const lines = await tx.query<{ order_id: string; product_code: string; product_name: string; quantity: number }>(
      `SELECT order_id, product_code, product_name, quantity FROM order_lines
        WHERE tenant_id = $1 AND order_id = ANY($2::uuid[]) ORDER BY order_id, line_no`,
      [tx.tenantId, rows.map((r) => r.id)],
    );
    const byOrder = new Map<string, DailyItem['items']>();
    for (const l of lines) {
      const list = byOrder.get(l.order_id) ?? [];
      list.push({ code: l.product_code, name: l.product_name, quantity: Number(l.quantity) });
      byOrder.set(l.order_id, list);
    }
    yield rows.map((r): DailyItem => {
      const items = byOrder.get(r.id) ?? [];
      return {
        orderId: r.id,
        number: r.number,
        status: r.status,
        carrier: r.carrier,
        customerName: r.customer_name ?? '',
        shipName: r.ship_name,
        prefecture: r.ship_prefecture,
        items,
        quantity: items.reduce((n, i) => n + i.quantity, 0),
        codAmount: codAmount({
          paymentKind: r.payment_kind,
          total: Number(r.total),
          paidAmount: Number(r.paid_amount),
        } as Parameters<typeof codAmount>[0]),
        timeSlot: r.time_slot,
        timeSlotLabel: r.time_slot ? (slots.get(`${r.carrier}:${r.time_slot}`) ?? null) : null,
        desiredDeliveryDate: r.desired_delivery_date,
        trackingNumber: r.tracking_number,
      };
    });
    if (rows.length < BATCH) return;
    const last = rows[rows.length - 1] as DailyRow;
    after = [last.carrier, last.number];
  }
}

export type Daily = {
  shipDate: string;
  carrier: OrderCarrier | null;
  items: DailyItem[];
  totals: { parcels: number; quantity: number; codAmount: number };
};

export function dailyList(db: Database, ctx: Ctx, shipDate: string, carrier?: OrderCarrier): Promise<Daily> {
  return db.withTenant(ctx.tenantId, async (tx) => {
    const items: DailyItem[] = [];
    for await (const batch of dailyBatches(tx, shipDate, carrier)) items.push(...batch);
    return {
      shipDate,
      carrier: carrier ?? null,
      items,
      totals: {
        parcels: items.length,
        quantity: items.reduce((n, i) => n + i.quantity, 0),
        codAmount: items.reduce((n, i) => n + i.codAmount, 0),
      },
    };
  });
}

const DAILY_COLUMNS: Column[] = [
  { title: '受注番号', width: 62 },
  { title: '運送会社', width: 58 },
  { title: '顧客名', width: 100 },
  { title: 'お届け先', width: 100 },
  { title: '都道府県', width: 52 },
  { title: '商品', width: 230 },
  { title: '数量', width: 36, align: 'right' },
  { title: '代引金額', width: 64, align: 'right' },
  { title: '時間帯', width: 68 },
];

/** 出荷確認一覧表 as a PDF (A4 landscape), streamed page by page. */
export async function dailyPdf(db: Database, ctx: Ctx, shipDate: string, carrier?: OrderCarrier): Promise<Readable> {
  const daily = await dailyList(db, ctx, shipDate, carrier);
  const doc = newDoc({ landscape: true, title: `出荷確認一覧表 ${shipDate}` });
  const printedAt = tokyoDate(ctx.now);
  let page = 0;
  let y = 0;
  const header = () => {
    doc.addPage();
    page++;
    const left = doc.page.margins.left;
    doc.font('jp-bold').fontSize(16).text('出荷確認一覧表', left, 30);
    doc
      .font('jp')
      .fontSize(9)
      .text(
        `出荷予定日 ${shipDate}　運送会社 ${carrier ? CARRIER_LABELS[carrier] : 'すべて'}　出力日 ${printedAt}　${page} ページ`,
        left,
        52,
      );
    y = tableRow(
      doc,
      DAILY_COLUMNS,
      DAILY_COLUMNS.map((c) => c.title),
      70,
      { bold: true },
    );
  };
  header();
  const bottom = () => doc.page.height - doc.page.margins.bottom - 20;
  for (const i of daily.items) {
    if (y > bottom()) header();
    y = tableRow(
      doc,
      DAILY_COLUMNS,
      [
        i.number,
        CARRIER_LABELS[i.carrier],
        i.customerName,
        i.shipName,
        i.prefecture ?? '',
        i.items.map((l) => `${l.name}×${l.quantity}`).join('、'),
        String(i.quantity),
        i.codAmount ? yen(i.codAmount) : '',
        i.timeSlotLabel ?? i.timeSlot ?? '',
      ],
      y,
    );
  }
  if (y > bottom()) header();
  tableRow(
    doc,
    DAILY_COLUMNS,
    [
      '合計',
      '',
      `${daily.totals.parcels} 件`,
      '',
      '',
      '',
      String(daily.totals.quantity),
      yen(daily.totals.codAmount),
      '',
    ],
    y + 4,
    { bold: true },
  );
  doc.end();
  return doc as unknown as Readable;
}

// ---------------------------------------------------------------------------------------------
// 納品書 / 請求書 (適格請求書)

export type InvoiceType = 'delivery' | 'invoice';

type InvoiceOrder = {
  id: string;
  number: string;
  status: string;
  order_date: string;
  ship_date: string;
  price_mode: 'included' | 'excluded';
  subtotal: number;
  shipping_fee: number;
  payment_fee: number;
  discount: number;
  taxes: { rate: number; taxableAmount: number; tax: number }[];
  tax_total: number;
  total: number;
  paid_amount: number;
  ship_name: string;
  ship_postal_code: string | null;
  ship_prefecture: string | null;
  ship_city: string | null;
  ship_address1: string | null;
  ship_address2: string | null;
  customer_name: string | null;
  customer_postal_code: string | null;
  customer_prefecture: string | null;
  customer_city: string | null;
  customer_address1: string | null;
  customer_address2: string | null;
  lines: { name: string; quantity: number; unitPrice: number; amount: number; taxRate: number; kind: string }[];
};

const INVOICE_SELECT = `SELECT o.id, o.number::text AS number, o.status, o.order_date::text AS order_date,
    o.ship_date::text AS ship_date, o.price_mode, o.subtotal, o.shipping_fee, o.payment_fee, o.discount, o.taxes,
    o.tax_total, o.total, o.paid_amount, o.ship_name, o.ship_postal_code, o.ship_prefecture, o.ship_city,
    o.ship_address1, o.ship_address2, c.name AS customer_name, c.postal_code AS customer_postal_code,
    c.prefecture AS customer_prefecture, c.city AS customer_city, c.address1 AS customer_address1,
    c.address2 AS customer_address2,
    coalesce((SELECT jsonb_agg(jsonb_build_object('name', l.product_name, 'quantity', l.quantity,
        'unitPrice', l.unit_price, 'amount', l.amount, 'taxRate', l.tax_rate, 'kind', l.kind) ORDER BY l.line_no)
      FROM order_lines l WHERE l.tenant_id = o.tenant_id AND l.order_id = o.id), '[]'::jsonb) AS lines
  FROM orders o LEFT JOIN customers c ON c.tenant_id = o.tenant_id AND c.id = o.customer_id`;

const num = (v: unknown) => Number(v ?? 0);

function drawInvoice(doc: Doc, o: InvoiceOrder, type: InvoiceType, s: OrderSettings, issuedOn: string) {
  doc.addPage();
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const inv = s.invoice;
  doc
    .font('jp-bold')
    .fontSize(20)
    .text(type === 'invoice' ? '請求書' : '納品書', left, 40, { width, align: 'center' });

  doc.font('jp').fontSize(9);
  doc.text(`発行日 ${issuedOn}`, left, 80, { width, align: 'right' });
  doc.text(`受注番号 ${o.number}`, left, 93, { width, align: 'right' });
  doc.text(`受注日 ${o.order_date}　出荷日 ${o.ship_date}`, left, 106, { width, align: 'right' });

  // The addressee: the buyer on an invoice, the recipient on a delivery note.
  const useCustomer = type === 'invoice' && o.customer_name;
  const name = useCustomer ? (o.customer_name as string) : o.ship_name;
  const postal = useCustomer ? o.customer_postal_code : o.ship_postal_code;
  const address = useCustomer
    ? [o.customer_prefecture, o.customer_city, o.customer_address1, o.customer_address2]
    : [o.ship_prefecture, o.ship_city, o.ship_address1, o.ship_address2];
  doc.font('jp').fontSize(9);
  if (postal) doc.text(`〒${postal}`, left, 130);
  doc.text(address.filter(Boolean).join(' '), left, 143, { width: 280 });
  doc.font('jp-bold').fontSize(14).text(`${name} 様`, left, 165, { width: 280 });
  doc
    .moveTo(left, 185)
    .lineTo(left + 280, 185)
    .lineWidth(0.8)
    .strokeColor('#000000')
    .stroke();

  // The issuer (適格請求書発行事業者) and its registration number.
  const rx = left + width - 220;
  doc
    .font('jp-bold')
    .fontSize(11)
    .text(inv.issuerName || '(発行者未設定)', rx, 130, { width: 220 });
  doc.font('jp').fontSize(9);
  if (inv.issuerAddress) doc.text(inv.issuerAddress, rx, 148, { width: 220 });
  if (inv.issuerPhone) doc.text(`TEL ${inv.issuerPhone}`, rx, 174, { width: 220 });
  doc.text(`登録番号 ${inv.registrationNumber ?? '(未登録)'}`, rx, 187, { width: 220 });

  const due = o.total - (type === 'invoice' ? o.paid_amount : 0);
  doc
    .font('jp-bold')
    .fontSize(13)
    .text(`${type === 'invoice' ? 'ご請求金額' : '合計金額'}　${yen(Math.max(0, due))}（税込）`, left, 210);

  const included = o.price_mode === 'included';
  const columns: Column[] = [
    { title: '品名', width: width - 250 },
    { title: '数量', width: 50, align: 'right' },
    { title: included ? '単価(税込)' : '単価(税抜)', width: 90, align: 'right' },
    { title: included ? '金額(税込)' : '金額(税抜)', width: 110, align: 'right' },
  ];
  let y = tableRow(
    doc,
    columns,
    columns.map((c) => c.title),
    240,
    { bold: true },
  );
  for (const l of o.lines) {
    if (y > doc.page.height - 230) {
      doc.addPage();
      y = tableRow(
        doc,
        columns,
        columns.map((c) => c.title),
        40,
        { bold: true },
      );
    }
    const mark = num(l.taxRate) === 8 ? ' ※' : '';
    y = tableRow(doc, columns, [`${l.name}${mark}`, String(l.quantity), yen(num(l.unitPrice)), yen(num(l.amount))], y);
  }

  // Totals, then the per-rate breakdown the qualified invoice requires.
  const summary: [string, string][] = [[included ? '小計(税込)' : '小計(税抜)', yen(o.subtotal)]];
  if (o.shipping_fee) summary.push(['送料', yen(o.shipping_fee)]);
  if (o.payment_fee) summary.push(['手数料', yen(o.payment_fee)]);
  if (o.discount) summary.push(['値引', `-${yen(o.discount)}`]);
  for (const t of [...o.taxes].sort((a, b) => b.rate - a.rate)) {
    const label = num(t.rate) === 8 ? '8%対象(軽減税率)' : `${t.rate}%対象`;
    summary.push([label, `${yen(num(t.taxableAmount))}　消費税 ${yen(num(t.tax))}`]);
  }
  summary.push(['消費税合計', yen(o.tax_total)]);
  summary.push(['合計', yen(o.total)]);
  if (type === 'invoice' && o.paid_amount) {
    summary.push(['ご入金済', yen(o.paid_amount)]);
    summary.push(['ご請求残高', yen(Math.max(0, due))]);
  }
  const sx = left + width - 300;
  y += 10;
  for (const [k, v] of summary) {
    doc
      .font(k === '合計' ? 'jp-bold' : 'jp')
      .fontSize(9)
      .text(k, sx, y, { width: 120 });
    doc.text(v, sx + 120, y, { width: 180, align: 'right' });
    y += 14;
  }
  doc
    .font('jp')
    .fontSize(8)
    .text(
      `※印は軽減税率(8%)対象です。金額は${included ? '税込' : '税抜'}表示、消費税は税率ごとに1回端数処理しています。`,
      left,
      y + 10,
      { width },
    );
}

async function loadOrder(tx: TenantTx, id: string): Promise<InvoiceOrder | undefined> {
  const [row] = await tx.query<InvoiceOrder>(`${INVOICE_SELECT} WHERE o.tenant_id = $1 AND o.id = $2`, [
    tx.tenantId,
    id,
  ]);
  return row ? normalise(row) : undefined;
}

function normalise(r: InvoiceOrder): InvoiceOrder {
  return {
    ...r,
    subtotal: num(r.subtotal),
    shipping_fee: num(r.shipping_fee),
    payment_fee: num(r.payment_fee),
    discount: num(r.discount),
    tax_total: num(r.tax_total),
    total: num(r.total),
    paid_amount: num(r.paid_amount),
    taxes: (r.taxes ?? []).map((t) => ({ rate: num(t.rate), taxableAmount: num(t.taxableAmount), tax: num(t.tax) })),
  };
}

/** One order's 納品書 or 請求書 as PDF bytes; another tenant's or a missing order → 404. */
export async function invoicePdf(db: Database, ctx: Ctx, orderId: string, type: InvoiceType): Promise<Buffer> {
  const { order, settings } = await db.withTenant(ctx.tenantId, async (tx) => {
    const order = await loadOrder(tx, orderId);
    if (!order) throw AppError.notFound('object.shipping_order');
    await audit(tx, ctx.actor, { action: `order.${type}_pdf`, objectType: 'order', objectId: orderId });
    return { order, settings: await getOrderSettings(tx) };
  });
  const doc = newDoc({ title: `${type === 'invoice' ? '請求書' : '納品書'} ${order.number}` });
  drawInvoice(doc, order, type, settings, tokyoDate(ctx.now));
  return toBuffer(doc);
}

/** The ship day's documents (not cancelled orders), one or more pages each, in one PDF. */
export async function bulkInvoicePdf(
  db: Database,
  ctx: Ctx,
  shipDate: string,
  carrier: OrderCarrier | undefined,
  type: InvoiceType,
): Promise<Readable> {
  const doc = newDoc({ title: `${type === 'invoice' ? '請求書' : '納品書'} ${shipDate}` });
  const issuedOn = tokyoDate(ctx.now);
  await db.withTenant(ctx.tenantId, async (tx) => {
    const settings = await getOrderSettings(tx);
    let after = '0';
    let count = 0;
    for (;;) {
      const rows = await tx.query<InvoiceOrder>(
        `${INVOICE_SELECT} WHERE o.tenant_id = $1 AND o.ship_date = $2 AND o.status <> 'cancelled'
           AND ($3::text IS NULL OR o.carrier = $3) AND o.number > $4::bigint ORDER BY o.number LIMIT ${BATCH}`,
        [tx.tenantId, shipDate, carrier ?? null, after],
      );
      for (const r of rows) drawInvoice(doc, normalise(r), type, settings, issuedOn);
      count += rows.length;
      if (rows.length < BATCH) break;
      after = (rows[rows.length - 1] as InvoiceOrder).number;
    }
    if (count === 0) {
      doc.addPage();
      doc.font('jp').fontSize(12).text(`${shipDate} に出荷する受注はありません。`);
    }
    await audit(tx, ctx.actor, {
      action: `shipment.${type}_pdf`,
      objectType: 'order',
      detail: { shipDate, carrier: carrier ?? null, count },
    });
  });
  doc.end();
  return doc as unknown as Readable;
}
