// 定期発送一覧 (seed 004: 指定した日の定期発送内容を表示／印刷): the subscription orders that ship (or are
// delivered) on one day, with their lines and presents, a per-product picking total for the day, and
// the CSV for Excel. The orders are those generation made (orders.subscription_id); cancelled ones
// do not ship and are left out. Keyset pagination on the order number; the CSV streams in keyset
// batches, so memory stays flat however many deliveries a day has.
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { addBusinessDays, tokyoDate } from '../../../shared/calendar.js';
import { addDays } from '../../../shared/subscriptions/schedule.js';
import type { Database, TenantTx } from '../../db/database.js';
import { type Actor, audit } from '../../platform/audit/audit.js';
import { type CsvEncoding, csvStream } from '../../platform/files/csv.js';
import { decodeCursor, encodeCursor, pageQuery } from '../../platform/http/pagination.js';
import { closingDaysBetween } from '../../platform/tenants/tenants.service.js';

type Ctx = { tenantId: string; actor: Actor; now: Date };

export const shipmentsBy = z.enum(['ship', 'delivery']).default('ship');
export const dayQuery = z.object({
  /** The day (Asia/Tokyo); the next business day when absent. */
  date: z.iso.date().optional(),
  /** `ship`: 出荷予定日 is the day (default); `delivery`: お届け予定日 is. */
  by: shipmentsBy,
});
export const shipmentsQuery = pageQuery.extend(dayQuery.shape);
export const shipmentsCsvQuery = dayQuery.extend({
  /** Shift_JIS (CP932) by default; `utf8` (or `utf8bom`) gives UTF-8 with a BOM. */
  encoding: z.enum(['sjis', 'utf8', 'utf8bom']).default('sjis'),
});

const lineKind = z.enum(['item', 'present', 'component']);
export const shipmentSchema = z.object({
  orderId: z.uuid(),
  orderNumber: z.number(),
  subscriptionId: z.uuid(),
  subscriptionNumber: z.number(),
  /** 第n回: the delivery's number in its subscription. */
  deliverySeq: z.number().nullable(),
  customerId: z.uuid(),
  customerCode: z.string(),
  customerName: z.string(),
  customerKana: z.string().nullable(),
  shipDate: z.string(),
  deliveryDate: z.string().nullable(),
  /** The delivery date the schedule gave (the order's delivery date differs when it is late). */
  scheduledDate: z.string(),
  timeSlot: z.string().nullable(),
  timeSlotLabel: z.string().nullable(),
  carrier: z.enum(['yamato', 'sagawa', 'japanpost']),
  prefecture: z.string().nullable(),
  amount: z.number(),
  late: z.boolean(),
  status: z.enum(['received', 'instructed', 'shipped', 'completed', 'cancelled', 'returned']),
  lines: z.array(
    z.object({
      kind: lineKind,
      productId: z.uuid(),
      productCode: z.string(),
      productName: z.string(),
      quantity: z.number(),
    }),
  ),
});
export type Shipment = z.infer<typeof shipmentSchema>;

export const shipmentsAnswer = z.object({
  date: z.string(),
  by: z.enum(['ship', 'delivery']),
  items: z.array(shipmentSchema),
  nextCursor: z.string().nullable(),
});

export const summaryAnswer = z.object({
  date: z.string(),
  by: z.enum(['ship', 'delivery']),
  orders: z.number().int(),
  items: z.array(
    z.object({
      productId: z.uuid(),
      productCode: z.string(),
      productName: z.string(),
      kind: lineKind,
      quantity: z.number().int(),
      orders: z.number().int(),
    }),
  ),
});

type Row = {
  id: string;
  number: number;
  subscription_id: string;
  subscription_number: number;
  seq: number | null;
  customer_id: string;
  customer_code: string;
  customer_name: string;
  customer_kana: string | null;
  ship_date: string;
  delivery_date: string | null;
  scheduled_date: string;
  time_slot: string | null;
  time_slot_label: string | null;
  carrier: Shipment['carrier'];
  prefecture: string | null;
  total: number;
  late: boolean;
  status: Shipment['status'];
};
type LineRow = {
  order_id: string;
  kind: Shipment['lines'][number]['kind'];
  product_id: string;
  product_code: string;
  product_name: string;
  quantity: number;
};

/** The day asked, or the next business day after today (weekends, holidays, the tenant's closing days). */
export async function resolveDay(tx: TenantTx, now: Date, date: string | undefined): Promise<string> {
  if (date) return date;
  const tomorrow = addDays(tokyoDate(now), 1);
  const closing = new Set((await closingDaysBetween(tx, tomorrow, addDays(tomorrow, 60))).map((d) => d.date));
  return addBusinessDays(tomorrow, 0, closing);
}

// The day's subscription orders; $2 the day, $3 ship|delivery. Both columns have the tenant first
// (orders_ship_date_idx serves `ship`).
const DAY = `o.tenant_id = $1 AND o.subscription_id IS NOT NULL AND o.status <> 'cancelled'
  AND (CASE WHEN $3::text = 'delivery' THEN o.delivery_date ELSE o.ship_date END) = $2::date`;

async function dayRows(tx: TenantTx, date: string, by: string, after: number | null, limit: number): Promise<Row[]> {
  return tx.query<Row>(
    `SELECT o.id, o.number, o.subscription_id, s.number AS subscription_number, o.subscription_delivery_seq AS seq,
            o.customer_id, c.code AS customer_code, c.name AS customer_name, c.name_kana AS customer_kana,
            o.ship_date::text, o.delivery_date::text, o.subscription_delivery_date::text AS scheduled_date,
            o.time_slot, ts.label AS time_slot_label, o.carrier, o.ship_prefecture AS prefecture, o.total,
            coalesce(o.delivery_date > o.subscription_delivery_date, false) AS late, o.status
       FROM orders o
       JOIN subscriptions s ON s.tenant_id = o.tenant_id AND s.id = o.subscription_id
       JOIN customers c ON c.tenant_id = o.tenant_id AND c.id = o.customer_id
       LEFT JOIN delivery_time_slots ts ON ts.tenant_id = o.tenant_id AND ts.carrier = o.carrier AND ts.code = o.time_slot
      WHERE ${DAY} AND ($4::bigint IS NULL OR o.number > $4)
      ORDER BY o.number
      LIMIT $5`,
    [tx.tenantId, date, by, after, limit],
  );
}

async function linesOf(tx: TenantTx, orderIds: string[]): Promise<LineRow[]> {
  if (orderIds.length === 0) return [];
  return tx.query<LineRow>(
    `SELECT order_id, kind, product_id, product_code, product_name, quantity
       FROM order_lines WHERE tenant_id = $1 AND order_id = ANY($2::uuid[])
      ORDER BY order_id, line_no`,
    [tx.tenantId, orderIds],
  );
}

function toShipment(r: Row, lines: LineRow[]): Shipment {
  return {
    orderId: r.id,
    orderNumber: Number(r.number),
    subscriptionId: r.subscription_id,
    subscriptionNumber: Number(r.subscription_number),
    deliverySeq: r.seq,
    customerId: r.customer_id,
    customerCode: r.customer_code,
    customerName: r.customer_name,
    customerKana: r.customer_kana,
    shipDate: r.ship_date,
    deliveryDate: r.delivery_date,
    scheduledDate: r.scheduled_date,
    timeSlot: r.time_slot,
    timeSlotLabel: r.time_slot_label,
    carrier: r.carrier,
    prefecture: r.prefecture,
    amount: r.total,
    late: r.late,
    status: r.status,
    lines: lines
      .filter((l) => l.order_id === r.id)
      .map((l) => ({
        kind: l.kind,
        productId: l.product_id,
        productCode: l.product_code,
        productName: l.product_name,
        quantity: l.quantity,
      })),
  };
}

const cursorShape = z.tuple([z.number().int().positive()]);

export async function listShipments(
  db: Database,
  ctx: Pick<Ctx, 'tenantId' | 'now'>,
  q: { date?: string; by: 'ship' | 'delivery'; cursor?: string; limit: number },
): Promise<z.infer<typeof shipmentsAnswer>> {
  const after = decodeCursor(q.cursor, cursorShape);
  return db.withTenant(ctx.tenantId, async (tx) => {
    const date = await resolveDay(tx, ctx.now, q.date);
    const rows = await dayRows(tx, date, q.by, after ? after[0] : null, q.limit + 1);
    const slice = rows.slice(0, q.limit);
    const lines = await linesOf(
      tx,
      slice.map((r) => r.id),
    );
    const last = slice[slice.length - 1];
    return {
      date,
      by: q.by,
      items: slice.map((r) => toShipment(r, lines)),
      nextCursor: rows.length > q.limit && last ? encodeCursor([Number(last.number)]) : null,
    };
  });
}

/** The day's units per product (items, presents and set contents apart): the picking list. Summed in SQL. */
export async function shipmentsSummary(
  db: Database,
  ctx: Pick<Ctx, 'tenantId' | 'now'>,
  q: { date?: string; by: 'ship' | 'delivery' },
): Promise<z.infer<typeof summaryAnswer>> {
  return db.withTenant(ctx.tenantId, async (tx) => {
    const date = await resolveDay(tx, ctx.now, q.date);
    const [count] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM orders o WHERE ${DAY}`, [
      tx.tenantId,
      date,
      q.by,
    ]);
    const rows = await tx.query<{
      product_id: string;
      product_code: string;
      product_name: string;
      kind: LineRow['kind'];
      quantity: number;
      orders: number;
    }>(
      `SELECT l.product_id, min(l.product_code) AS product_code, min(l.product_name) AS product_name, l.kind,
              sum(l.quantity)::int AS quantity, count(DISTINCT l.order_id)::int AS orders
         FROM orders o JOIN order_lines l ON l.tenant_id = o.tenant_id AND l.order_id = o.id
        WHERE ${DAY}
        GROUP BY l.product_id, l.kind
        ORDER BY CASE l.kind WHEN 'item' THEN 0 WHEN 'component' THEN 1 ELSE 2 END, min(l.product_code), l.product_id`,
      [tx.tenantId, date, q.by],
    );
    return {
      date,
      by: q.by,
      orders: count?.n ?? 0,
      items: rows.map((r) => ({
        productId: r.product_id,
        productCode: r.product_code,
        productName: r.product_name,
        kind: r.kind,
        quantity: r.quantity,
        orders: r.orders,
      })),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// CSV (定期発送一覧表) for Excel.

const CARRIERS: Record<Shipment['carrier'], string> = {
  yamato: 'ヤマト運輸',
  sagawa: '佐川急便',
  japanpost: '日本郵便',
};
const STATUSES: Record<Shipment['status'], string> = {
  received: '受付',
  instructed: '出荷指示',
  shipped: '出荷済',
  completed: '完了',
  cancelled: 'キャンセル',
  returned: '返品',
};

export const CSV_HEADER = [
  '受注番号',
  '定期番号',
  '回数',
  '顧客コード',
  '顧客名',
  'フリガナ',
  '商品',
  '数量',
  'プレゼント',
  '出荷予定日',
  'お届け予定日',
  '時間帯',
  '配送業者',
  '都道府県',
  '金額',
  '遅延',
  '状態',
];

const slash = (d: string | null) => (d ? d.replaceAll('-', '/') : '');
const goods = (lines: Shipment['lines'], kind: 'item' | 'present') =>
  lines
    .filter((l) => l.kind === kind)
    .map((l) => `${l.productCode} ${l.productName}×${l.quantity}`)
    .join('、');

function csvRow(s: Shipment): unknown[] {
  return [
    s.orderNumber,
    s.subscriptionNumber,
    s.deliverySeq === null ? '' : `第${s.deliverySeq}回`,
    s.customerCode,
    s.customerName,
    s.customerKana,
    goods(s.lines, 'item'),
    s.lines.filter((l) => l.kind === 'item').reduce((n, l) => n + l.quantity, 0),
    goods(s.lines, 'present'),
    slash(s.shipDate),
    slash(s.deliveryDate),
    s.timeSlotLabel ?? s.timeSlot ?? '',
    CARRIERS[s.carrier],
    s.prefecture,
    s.amount,
    s.late ? '遅延' : '',
    STATUSES[s.status],
  ];
}

const BATCH = 1000;

export async function exportShipments(
  db: Database,
  ctx: Ctx,
  q: { date?: string; by: 'ship' | 'delivery'; encoding: 'sjis' | 'utf8' | 'utf8bom' },
): Promise<{ stream: Readable; date: string }> {
  const encoding: CsvEncoding = q.encoding === 'sjis' ? 'sjis' : 'utf8bom';
  const date = await db.withTenant(ctx.tenantId, async (tx) => {
    const day = await resolveDay(tx, ctx.now, q.date);
    await audit(tx, ctx.actor, {
      action: 'subscription.export_shipments',
      objectType: 'subscription',
      detail: { date: day, by: q.by, encoding },
    });
    return day;
  });
  async function* rows(): AsyncGenerator<unknown[]> {
    let after: number | null = null;
    for (;;) {
      const page: Shipment[] = await db.withTenant(ctx.tenantId, async (tx) => {
        const found = await dayRows(tx, date, q.by, after, BATCH);
        const lines = await linesOf(
          tx,
          found.map((r) => r.id),
        );
        return found.map((r) => toShipment(r, lines));
      });
      for (const s of page) yield csvRow(s);
      const last = page[page.length - 1];
      if (page.length < BATCH || !last) return;
      after = last.orderNumber;
    }
  }
  return { stream: csvStream(CSV_HEADER, rows(), encoding), date };
}
