// Orders (受注). For other modules, inside their own transaction:
//
//   createOrder(tx, ctx, input)  → Order   (subscriptions generate deliveries through it:
//                                            kind 'subscription', subscriptionId, subscriptionDeliveryDate)
//
// A registered order: its lines, per-rate taxes and totals as priced (orders.pricing.ts), stock
// taken, an order_events row, the customer's purchase statistics (rank, 長期未対応) and, for an
// order a person entered, a 注文 entry in 対応履歴 — all in the caller's transaction.
import { createHash } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { tokyoDate } from '../../../shared/calendar.js';
import { type Database, keysIn, prepared, type TenantTx } from '../../db/database.js';
import { type Actor, audit, auditMany } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors.js';
import { ifMatchAccepts } from '../../platform/http/etag.js';
import { decodeCursor, encodeCursor } from '../../platform/http/pagination.js';
import { touchContacts } from '../interactions/contact-stats.js';
import {
  interactionKind,
  recordSystemInteraction,
  recordSystemInteractions,
  type SystemInteraction,
} from '../interactions/system-entry.js';
import { recordPurchase, recordPurchases, reversePurchase } from '../ranks/ranks.stats.js';
import {
  loadPricing,
  type OrderInput,
  type Priced,
  type PricedLine,
  type PricingContext,
  price,
  priceOrder,
} from './orders.pricing.js';
import type { ListOrdersQuery, Order, OrderStatus, Quote, UpdateOrderBody } from './orders.schema.js';

export type Ctx = { tenantId: string; actor: Actor; now: Date };

type OrderRow = {
  id: string;
  number: string;
  customer_id: string;
  customer_code: string;
  customer_name: string;
  status: OrderStatus;
  kind: 'normal' | 'subscription';
  channel: Order['channel'];
  sort_code: string | null;
  subscription_id: string | null;
  subscription_delivery_date: string | null;
  ordered_at: Date;
  order_date: string;
  ship_date: string;
  delivery_date: string | null;
  desired_delivery_date: string | null;
  carrier: Order['carrier'];
  time_slot: string | null;
  origin_id: string | null;
  address_id: string | null;
  ship_name: string;
  ship_kana: string | null;
  ship_postal_code: string | null;
  ship_prefecture: string | null;
  ship_city: string | null;
  ship_address1: string | null;
  ship_address2: string | null;
  ship_company: string | null;
  ship_phone: string | null;
  payment_method_id: string | null;
  payment_method_name: string | null;
  payment_kind: string | null;
  campaign_id: string | null;
  campaign_code: string | null;
  campaign_name: string | null;
  ad_medium_id: string | null;
  staff_id: string | null;
  staff_name: string | null;
  note: string | null;
  subtotal: number;
  shipping_fee: number;
  payment_fee: number;
  discount: number;
  taxes: { rate: number; taxableAmount: number; tax: number }[];
  tax_total: number;
  total: number;
  paid_amount: number;
  tracking_number: string | null;
  cancel_reason_id: string | null;
  shipped_at: Date | null;
  cancelled_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
};

type LineRow = {
  order_id: string;
  line_no: number;
  kind: 'item' | 'present' | 'component';
  parent_line: number | null;
  product_id: string;
  product_code: string;
  product_name: string;
  quantity: number;
  unit_price: number;
  amount: number;
  tax_rate: number;
  returned_quantity: number;
};

const COLUMNS = `o.id, o.number, o.customer_id, c.code AS customer_code, c.name AS customer_name, o.status, o.kind, o.channel,
  o.sort_code, o.subscription_id, o.subscription_delivery_date::text, o.ordered_at, o.order_date::text, o.ship_date::text,
  o.delivery_date::text, o.desired_delivery_date::text, o.carrier, o.time_slot, o.origin_id, o.address_id, o.ship_name,
  o.ship_kana, o.ship_postal_code, o.ship_prefecture, o.ship_city, o.ship_address1, o.ship_address2, o.ship_company,
  o.ship_phone, o.payment_method_id, pm.name AS payment_method_name, o.payment_kind, o.campaign_id,
  cp.code AS campaign_code, cp.name AS campaign_name, o.ad_medium_id, o.staff_id, u.name AS staff_name, o.note,
  o.subtotal, o.shipping_fee, o.payment_fee, o.discount, o.taxes, o.tax_total, o.total, o.paid_amount, o.tracking_number,
  o.cancel_reason_id, o.shipped_at, o.cancelled_at, o.created_at, o.updated_at, o.version`;
const FROM = `orders o
  JOIN customers c ON c.tenant_id = o.tenant_id AND c.id = o.customer_id
  LEFT JOIN payment_methods pm ON pm.tenant_id = o.tenant_id AND pm.id = o.payment_method_id
  LEFT JOIN campaigns cp ON cp.tenant_id = o.tenant_id AND cp.id = o.campaign_id
  LEFT JOIN users u ON u.tenant_id = o.tenant_id AND u.id = o.staff_id`;

function toOrder(r: OrderRow, lines: LineRow[]): Order {
  return {
    id: r.id,
    number: Number(r.number),
    customerId: r.customer_id,
    customerCode: r.customer_code,
    customerName: r.customer_name,
    status: r.status,
    kind: r.kind,
    channel: r.channel,
    sortCode: r.sort_code,
    orderedAt: r.ordered_at.toISOString(),
    orderDate: r.order_date,
    shipDate: r.ship_date,
    deliveryDate: r.delivery_date ?? r.ship_date,
    earliestDeliveryDate: r.delivery_date ?? r.ship_date,
    desiredDeliveryDate: r.desired_delivery_date,
    carrier: r.carrier,
    deliveryTimeSlot: r.time_slot,
    originId: r.origin_id,
    addressId: r.address_id,
    shipTo: {
      name: r.ship_name,
      kana: r.ship_kana,
      postalCode: r.ship_postal_code,
      prefecture: r.ship_prefecture,
      city: r.ship_city,
      address1: r.ship_address1,
      address2: r.ship_address2,
      company: r.ship_company,
      phone: r.ship_phone,
    },
    paymentMethodId: r.payment_method_id,
    paymentMethodName: r.payment_method_name,
    paymentKind: r.payment_kind,
    campaignId: r.campaign_id,
    campaigns: r.campaign_id ? [{ id: r.campaign_id, code: r.campaign_code ?? '', name: r.campaign_name ?? '' }] : [],
    adMediumId: r.ad_medium_id,
    staffId: r.staff_id,
    staffName: r.staff_name,
    note: r.note,
    lines: lines
      .filter((l) => l.order_id === r.id)
      .map((l) => ({
        lineNo: l.line_no,
        kind: l.kind,
        parentLine: l.parent_line,
        productId: l.product_id,
        productCode: l.product_code,
        productName: l.product_name,
        quantity: l.quantity,
        unitPrice: l.unit_price,
        amount: l.amount,
        taxRate: l.tax_rate,
        returnedQuantity: l.returned_quantity,
      })),
    taxes: r.taxes,
    subtotal: r.subtotal,
    shippingFee: r.shipping_fee,
    paymentFee: r.payment_fee,
    discount: r.discount,
    taxTotal: r.tax_total,
    total: r.total,
    paidAmount: r.paid_amount,
    trackingNumber: r.tracking_number,
    subscriptionId: r.subscription_id,
    subscriptionDeliveryDate: r.subscription_delivery_date,
    cancelReasonId: r.cancel_reason_id,
    shippedAt: r.shipped_at?.toISOString() ?? null,
    cancelledAt: r.cancelled_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
  };
}

async function selectLines(tx: TenantTx, ids: string[]): Promise<LineRow[]> {
  if (ids.length === 0) return [];
  const orders = keysIn('order_id', 2, ids);
  return tx.query<LineRow>(
    prepared(`SELECT order_id, line_no, kind, parent_line, product_id, product_code, product_name, quantity, unit_price, amount,
            tax_rate, returned_quantity
       FROM order_lines WHERE tenant_id = $1 AND ${orders.sql} ORDER BY order_id, line_no`),
    [tx.tenantId, orders.param],
  );
}

const ORDER_BY_ID = prepared(`SELECT ${COLUMNS} FROM ${FROM} WHERE o.tenant_id = $1 AND o.id = $2`);

const ORDERS_BY_IDS = prepared(`SELECT ${COLUMNS} FROM ${FROM} WHERE o.tenant_id = $1 AND o.id = ANY($2::uuid[])`);

/** Many orders by id (with their lines) in one round trip. */
async function readOrders(tx: TenantTx, ids: string[]): Promise<Map<string, Order>> {
  if (ids.length === 0) return new Map();
  const [rows, lines] = await Promise.all([
    // One order by its own text: its plan is made once (see prepared()).
    ids.length === 1
      ? tx.query<OrderRow>(ORDER_BY_ID, [tx.tenantId, ids[0]])
      : tx.query<OrderRow>(ORDERS_BY_IDS, [tx.tenantId, ids]),
    selectLines(tx, ids),
  ]);
  return new Map(rows.map((r) => [r.id, toOrder(r, lines)]));
}

export async function readOrder(tx: TenantTx, id: string): Promise<Order | null> {
  // The order and its lines in one round trip.
  const [[row], lines] = await Promise.all([tx.query<OrderRow>(ORDER_BY_ID, [tx.tenantId, id]), selectLines(tx, [id])]);
  return row ? toOrder(row, lines) : null;
}

function quoteOf(p: Priced, customerId: string): Quote {
  return {
    customerId,
    lines: p.lines.map((l) => ({
      lineNo: l.lineNo,
      kind: l.kind,
      parentLine: l.parentLine,
      productId: l.productId,
      productCode: l.productCode,
      productName: l.productName,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      amount: l.amount,
      taxRate: l.taxRate,
      returnedQuantity: 0,
    })),
    taxes: p.taxes,
    subtotal: p.subtotal,
    shippingFee: p.shippingFee,
    paymentFee: p.paymentFee,
    discount: p.discount,
    taxTotal: p.taxTotal,
    total: p.total,
    orderDate: p.orderDate,
    shipDate: p.shipDate,
    deliveryDate: p.deliveryDate,
    earliestDeliveryDate: p.earliestDeliveryDate,
    carrier: p.carrier,
    campaigns: p.campaigns,
    paymentMethodId: p.paymentMethodId,
    paymentKind: p.paymentKind,
  };
}

export async function quoteOrder(db: Database, ctx: Ctx, input: OrderInput): Promise<Quote> {
  return db.withTenant(ctx.tenantId, async (tx) => quoteOf(await priceOrder(tx, ctx, input), input.customerId));
}

/** Gives back tracked stock (cancel, edit): the quantities not returned yet. */
async function giveBackStock(tx: TenantTx, lines: { productId: string; quantity: number }[]) {
  if (lines.length === 0) return;
  await tx.query(
    `UPDATE products p SET stock = p.stock + q.quantity, updated_at = now()
       FROM (SELECT id, sum(quantity)::int AS quantity FROM unnest($2::uuid[], $3::int[]) AS u(id, quantity) GROUP BY id) q
      WHERE p.tenant_id = $1 AND p.id = q.id AND p.stock IS NOT NULL`,
    [tx.tenantId, lines.map((l) => l.productId), lines.map((l) => l.quantity)],
  );
}

/**
 * Takes tracked stock for orders, in order: the products are locked, each order takes its lines'
 * quantities from what is left, and an order that would take more than there is gets nothing and
 * is answered as short (its index → the index of its first short line). One UPDATE for the rest.
 */
async function takeStock(tx: TenantTx, orders: PricedLine[][]): Promise<Map<number, number>> {
  const short = new Map<number, number>();
  const ids = [...new Set(orders.flatMap((ls) => ls.filter((l) => l.stockTracked).map((l) => l.productId)))];
  if (ids.length === 0) return short;
  const rows = await tx.query<{ id: string; stock: number }>(
    prepared(
      'SELECT id, stock FROM products WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND stock IS NOT NULL ORDER BY id FOR UPDATE',
    ),
    [tx.tenantId, ids],
  );
  const left = new Map(rows.map((r) => [r.id, r.stock]));
  const taken = new Map<string, number>();
  orders.forEach((ls, i) => {
    const need = new Map<string, number>();
    for (const l of ls) if (left.has(l.productId)) need.set(l.productId, (need.get(l.productId) ?? 0) + l.quantity);
    const lacking = [...need].find(([id, q]) => (left.get(id) as number) < q);
    if (lacking) {
      short.set(
        i,
        Math.max(
          0,
          ls.findIndex((l) => l.productId === lacking[0] && l.kind === 'item'),
        ),
      );
      return;
    }
    for (const [id, q] of need) {
      left.set(id, (left.get(id) as number) - q);
      taken.set(id, (taken.get(id) ?? 0) + q);
    }
  });
  if (taken.size > 0)
    await tx.query(
      prepared(`UPDATE products p SET stock = p.stock - q.quantity, updated_at = now()
         FROM unnest($2::uuid[], $3::int[]) AS q(id, quantity) WHERE p.tenant_id = $1 AND p.id = q.id`),
      [tx.tenantId, [...taken.keys()], [...taken.values()]],
    );
  return short;
}

async function insertLines(tx: TenantTx, orders: { id: string; p: Priced }[]): Promise<void> {
  const rows = orders.flatMap(({ id, p }) =>
    p.lines.map((l) => ({
      tenant_id: tx.tenantId,
      order_id: id,
      line_no: l.lineNo,
      kind: l.kind,
      parent_line: l.parentLine,
      product_id: l.productId,
      product_code: l.productCode,
      product_name: l.productName,
      quantity: l.quantity,
      unit_price: l.unitPrice,
      amount: l.amount,
      tax_rate: l.taxRate,
      unit_cost: l.unitCost,
    })),
  );
  const cols = Object.keys(rows[0] ?? {}).join(', ');
  if (rows.length === 0) return;
  await tx.query(
    // The columns are always the same: one text, prepared once per connection.
    prepared(
      `INSERT INTO order_lines (${cols}) SELECT ${cols} FROM json_populate_recordset(NULL::order_lines, $1::json)`,
    ),
    [JSON.stringify(rows)],
  );
}

async function event(tx: TenantTx, ctx: Ctx, orderId: string, kind: string, data: Record<string, unknown> = {}) {
  await tx.query(
    `INSERT INTO order_events (tenant_id, order_id, at, user_id, kind, data) VALUES ($1, $2, $3, $4, $5, $6)`,
    [tx.tenantId, orderId, ctx.now, ctx.actor.type === 'user' ? ctx.actor.id : null, kind, JSON.stringify(data)],
  );
}

const yen = (n: number) => `¥${n.toLocaleString('ja-JP')}`;

type NewOrder = { id: string; input: OrderInput; p: Priced };

/**
 * Writes priced orders (stock already taken): numbers, rows, lines, their 'created' events and the
 * customers' purchase statistics, in a fixed number of statements whatever their count.
 */
async function insertOrders(
  tx: TenantTx,
  ctx: Ctx,
  orders: NewOrder[],
  taken?: { numbers: number[]; alongside: (numbers: number[]) => Promise<unknown> },
): Promise<number[]> {
  if (orders.length === 0) return [];
  const now = ctx.now.toISOString();
  const createdBy = ctx.actor.type === 'user' ? ctx.actor.id : null;
  const rows = orders.map(({ id, input, p }) => ({
    tenant_id: tx.tenantId,
    id,
    customer_id: input.customerId,
    status: 'received',
    kind: input.kind ?? (input.subscriptionId ? 'subscription' : 'normal'),
    subscription_id: input.subscriptionId ?? null,
    subscription_delivery_date: input.subscriptionDeliveryDate ?? null,
    subscription_delivery_seq: input.subscriptionDeliverySeq ?? null,
    channel: input.channel ?? (input.subscriptionId ? 'subscription' : 'phone'),
    sort_code: input.sortCode ?? null,
    ordered_at: now,
    order_date: p.orderDate,
    ship_date: p.shipDate,
    delivery_date: p.deliveryDate,
    desired_delivery_date: p.desiredDeliveryDate,
    carrier: p.carrier,
    time_slot: p.timeSlot,
    origin_id: p.originId,
    address_id: p.shipTo.addressId,
    ship_name: p.shipTo.name,
    ship_kana: p.shipTo.kana,
    ship_postal_code: p.shipTo.postalCode,
    ship_prefecture: p.shipTo.prefecture,
    ship_city: p.shipTo.city,
    ship_address1: p.shipTo.address1,
    ship_address2: p.shipTo.address2,
    ship_company: p.shipTo.company,
    ship_department: p.shipTo.department,
    ship_phone: p.shipTo.phone,
    payment_method_id: p.paymentMethodId,
    payment_kind: p.paymentKind,
    campaign_id: p.campaigns[0]?.id ?? null,
    ad_medium_id: p.adMediumId,
    staff_id: p.staffId,
    note: p.late ? `${input.note ?? ''} (遅延: お届け予定 ${input.arriveBy})`.trim() : (input.note ?? null),
    price_mode: p.settings.tax.priceMode,
    rounding: p.settings.tax.rounding,
    subtotal: p.subtotal,
    shipping_fee: p.shippingFee,
    payment_fee: p.paymentFee,
    discount: p.discount,
    taxes: p.taxes,
    tax_total: p.taxTotal,
    total: p.total,
    cost_total: p.costTotal,
    paid_amount: 0,
    created_by: createdBy,
    created_at: now,
    updated_at: now,
    version: 1,
  }));
  const cols = Object.keys(rows[0] as object);
  const [numbered] = await Promise.all([
    // The numbers come from the tenant's sequence (migration 0011: no lock held to commit; an
    // order that fails leaves a gap), in the rows' order, in the same statement — or were taken
    // before (placeOrders), so that what needs them goes out with these statements.
    taken
      ? tx
          .query(
            prepared(`INSERT INTO orders (${cols.join(', ')}, number)
               SELECT ${cols.join(', ')}, number FROM json_populate_recordset(NULL::orders, $1::json)`),
            [JSON.stringify(rows.map((r, k) => ({ ...r, number: taken.numbers[k] })))],
          )
          .then(() => rows.map((r, k) => ({ id: r.id, number: String(taken.numbers[k]) })))
      : tx.query<{ id: string; number: string }>(
          prepared(`WITH r AS (
         SELECT ${cols.join(', ')}, row_number() OVER () AS k FROM json_populate_recordset(NULL::orders, $1::json)),
       n AS (SELECT t.number, t.k FROM unnest(take_order_numbers($2)) WITH ORDINALITY AS t(number, k))
       INSERT INTO orders (${cols.join(', ')}, number)
       SELECT ${cols.map((c) => `r.${c}`).join(', ')}, n.number FROM r JOIN n ON n.k = r.k
       RETURNING id, number`),
          [JSON.stringify(rows), rows.length],
        ),
    insertLines(tx, orders),
    tx.query(
      prepared(`INSERT INTO order_events (tenant_id, order_id, at, user_id, kind, data)
       SELECT $1, x.id, $2, $3, 'created', x.data FROM jsonb_to_recordset($4::jsonb) AS x(id uuid, data jsonb)`),
      [
        tx.tenantId,
        ctx.now,
        createdBy,
        JSON.stringify(
          orders.map(({ id, p }) => ({
            id,
            data: { total: p.total, campaigns: p.campaigns.map((c) => c.code), late: p.late },
          })),
        ),
      ],
    ),
    recordPurchases(
      tx,
      orders.map(({ input, p }) => ({ customerId: input.customerId, amount: p.total, at: ctx.now })),
    ),
    touchContacts(
      tx,
      'purchase',
      orders.map(({ input }) => ({ customerId: input.customerId, at: ctx.now, kind: '受注' })),
    ),
    // Last, so that PostgreSQL runs them after the rows above exist.
    taken?.alongside(taken.numbers.slice(0, orders.length)),
  ]);
  const numberOf = new Map(numbered.map((r) => [r.id, Number(r.number)]));
  return rows.map((r) => numberOf.get(r.id) as number);
}

/** Registers an order in the caller's transaction (see the top of this file). */
export async function createOrder(tx: TenantTx, ctx: Ctx, input: OrderInput, id: string = uuidv7()): Promise<Order> {
  const p = await priceOrder(tx, ctx, input);
  const short = await takeStock(tx, [p.lines]);
  if (short.has(0)) throw AppError.field(409, 'out_of_stock', `lines.${short.get(0)}.quantity`, 'orders.out_of_stock');
  const [number] = await insertOrders(tx, ctx, [{ id, input, p }]);
  // The 対応履歴 entry, the audit row and the answer: one round trip.
  const [, , order] = await Promise.all([
    input.subscriptionId ? null : recordSystemInteraction(tx, ctx.actor, orderEntry(ctx, input, number as number, p)),
    audit(tx, ctx.actor, {
      action: 'order.create',
      objectType: 'order',
      objectId: id,
      detail: { number, total: p.total },
    }),
    readOrder(tx, id),
  ]);
  return order as Order;
}

export type BatchResult =
  | { ok: true; id: string; number: number; shipDate: string; late: boolean; p: Priced }
  | { ok: false; error: AppError };
/** An order createOrders wrote, with the index of its input. */
type Made = Extract<BatchResult, { ok: true }> & { index: number };

/**
 * Registers many orders at once (generated subscription deliveries): the masters are read once,
 * each order is priced on its own, an order that cannot be made (a product off sale, short stock)
 * is answered as such and the others are written in a fixed number of statements. No 対応履歴
 * entries; one audit row for the batch.
 */
export async function createOrders(
  tx: TenantTx,
  ctx: Ctx,
  inputs: OrderInput[],
  opts: {
    ids?: string[];
    auditBatch?: boolean;
    pricing?: PricingContext;
    /**
     * Order numbers taken before (at least one per input; those left over are gaps), and statements
     * to send with the orders' own, run after them: they get the orders made, in input order.
     */
    taken?: { numbers: number[]; alongside: (made: Made[]) => Promise<unknown> };
  } = {},
): Promise<BatchResult[]> {
  const pricing = opts.pricing ?? (await loadPricing(tx, ctx.now, inputs));
  const results: (BatchResult | { ok: 'priced'; p: Priced })[] = inputs.map((input) => {
    try {
      return { ok: 'priced' as const, p: price(pricing, ctx.actor, input) };
    } catch (err) {
      if (err instanceof AppError) return { ok: false as const, error: err };
      throw err;
    }
  });
  const pricedIdx = results.flatMap((r, i) => (r.ok === 'priced' ? [i] : []));
  const short = await takeStock(
    tx,
    pricedIdx.map((i) => (results[i] as { p: Priced }).p.lines),
  );
  const toWrite: (NewOrder & { index: number })[] = [];
  pricedIdx.forEach((i, k) => {
    const r = results[i] as { p: Priced };
    if (short.has(k))
      results[i] = {
        ok: false,
        error: AppError.field(409, 'out_of_stock', `lines.${short.get(k)}.quantity`, 'orders.out_of_stock'),
      };
    else toWrite.push({ index: i, id: opts.ids?.[i] ?? uuidv7(), input: inputs[i] as OrderInput, p: r.p });
  });
  const made = (numbers: number[]): Made[] =>
    toWrite.map((o, k) => ({
      ok: true,
      index: o.index,
      id: o.id,
      number: numbers[k] as number,
      shipDate: o.p.shipDate,
      late: o.p.late,
      p: o.p,
    }));
  const { taken } = opts;
  const numbers = await insertOrders(
    tx,
    ctx,
    toWrite,
    taken && { numbers: taken.numbers, alongside: (numbers) => taken.alongside(made(numbers)) },
  );
  for (const { index, ...r } of made(numbers)) results[index] = r;
  if (toWrite.length > 0 && opts.auditBatch !== false)
    await audit(tx, ctx.actor, {
      action: 'order.create_batch',
      objectType: 'order',
      detail: { count: toWrite.length, numbers: [numbers[0], numbers[numbers.length - 1]] },
    });
  return results as BatchResult[];
}

// ---------------------------------------------------------------------------------------------
// Idempotency-Key (DESIGN.md): the first request's body hash and the order it made.

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  return v;
}

export function requestHash(body: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(body)))
    .digest('hex');
}

/**
 * POST /orders: with a key, the first request to claim it (a unique insert; a concurrent one waits
 * for it and then reads it) makes the order; a replay with the same body answers that order, with
 * another body 409.
 */
/** The 対応履歴 entry of a registered order. */
function orderEntry(ctx: Ctx, input: OrderInput, number: number, p: Priced): SystemInteraction {
  const items = p.lines
    .filter((l) => l.kind === 'item')
    .map((l) => `${l.productName}×${l.quantity}`)
    .join('、');
  const campaigns = p.campaigns.length ? `、キャンペーン ${p.campaigns.map((c) => c.name).join('・')}` : '';
  return {
    customerId: input.customerId,
    kindCode: 'order',
    subject: `受注 #${number}`,
    body: `${items}。合計 ${yen(p.total)}、出荷予定 ${p.shipDate}、お届け予定 ${p.deliveryDate}${campaigns}。`,
    at: ctx.now,
    channel: input.channel === 'web' ? 'web_form' : 'other',
  };
}

export async function placeOrder(
  db: Database,
  ctx: Ctx,
  input: OrderInput,
  key: string | undefined,
): Promise<{ order: Order; replayed: boolean }> {
  return db.withTenant(ctx.tenantId, async (tx) => {
    if (!key) return { order: await createOrder(tx, ctx, input), replayed: false };
    const hash = requestHash(input);
    const id = uuidv7();
    const claimed = await tx.query(
      prepared(`INSERT INTO idempotency_keys (tenant_id, scope, key, request_hash, resource_id) VALUES ($1, 'orders', $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING key`),
      [tx.tenantId, key, hash, id],
    );
    if (claimed.length > 0) return { order: await createOrder(tx, ctx, input, id), replayed: false };
    const [first] = await tx.query<{ request_hash: string; resource_id: string }>(
      prepared(
        `SELECT request_hash, resource_id FROM idempotency_keys WHERE tenant_id = $1 AND scope = 'orders' AND key = $2`,
      ),
      [tx.tenantId, key],
    );
    if (!first || first.request_hash !== hash)
      throw AppError.field(409, 'idempotency_key_reused', 'Idempotency-Key', 'orders.idempotency_conflict');
    const order = await readOrder(tx, first.resource_id);
    if (!order) throw AppError.field(409, 'idempotency_key_reused', 'Idempotency-Key', 'orders.idempotency_conflict');
    return { order, replayed: true };
  });
}

/** One POST /orders of a batch (placement-queue.ts): same tenant and caller throughout a batch. */
export type Placement = { ctx: Ctx; input: OrderInput; key: string | undefined };
export type Placed = { ok: true; order: Order; replayed: boolean } | { ok: false; error: unknown };

const CLAIM_KEYS = prepared(`INSERT INTO idempotency_keys (tenant_id, scope, key, request_hash, resource_id)
   SELECT $1, 'orders', k.key, k.hash, k.id FROM unnest($2::text[], $3::text[], $4::uuid[]) AS k(key, hash, id)
   ON CONFLICT DO NOTHING RETURNING resource_id`);

/**
 * placeOrder for several requests in one transaction, each answered as placeOrder would answer it
 * alone: the masters are read once and the rows written in a fixed number of statements
 * (createOrders), then each order's 対応履歴 entry, audit row (with its own request id) and answer.
 * An order that cannot be made (a product off sale, short stock) is that request's error only. If
 * the transaction fails as a whole, every request is placed again on its own.
 */
export async function placeOrders(db: Database, batch: Placement[]): Promise<Placed[]> {
  const first = batch[0];
  if (!first) return [];
  try {
    return await db.withTenant(first.ctx.tenantId, (tx) => placeTogether(tx, first.ctx, batch));
  } catch {
    return Promise.all(
      batch.map((b) =>
        placeOrder(db, b.ctx, b.input, b.key).then(
          (r): Placed => ({ ok: true, ...r }),
          (error: unknown): Placed => ({ ok: false, error }),
        ),
      ),
    );
  }
}

async function placeTogether(tx: TenantTx, ctx: Ctx, batch: Placement[]): Promise<Placed[]> {
  const ids = batch.map(() => uuidv7());
  const hashes = batch.map((b) => (b.key ? requestHash(b.input) : ''));
  const keyed = batch.flatMap((b, i) => (b.key ? [i] : []));
  // Idempotency keys first, as placeOrder: a key already taken (before, or earlier in this batch) is
  // a replay. The claim, the masters for every request, the 対応履歴 kind and a number for each
  // request (a replay's is a gap) go out together.
  const [claims, pricing, kind, [taken]] = await Promise.all([
    keyed.length === 0
      ? []
      : tx.query<{ resource_id: string }>(CLAIM_KEYS, [
          tx.tenantId,
          keyed.map((i) => batch[i]?.key),
          keyed.map((i) => hashes[i]),
          keyed.map((i) => ids[i]),
        ]),
    loadPricing(
      tx,
      ctx.now,
      batch.map((b) => b.input),
    ),
    interactionKind(tx, 'order'),
    tx.query<{ numbers: (string | number)[] }>(prepared('SELECT take_order_numbers($1) AS numbers'), [batch.length]),
  ]);
  const claimed = new Set(claims.map((r) => r.resource_id));
  const fresh = batch.flatMap((b, i) => (!b.key || claimed.has(ids[i] as string) ? [i] : []));
  const replays = keyed.filter((i) => !claimed.has(ids[i] as string));
  // The 対応履歴 entries, audit rows, the new orders and the first answers of the replays go out
  // with the orders' own statements: one round trip for all the writing.
  type Written = Made & { i: number };
  const follow = (placed: Written[]) =>
    Promise.all([
      recordSystemInteractions(
        tx,
        placed.flatMap((r) => {
          const b = batch[r.i] as Placement;
          return b.input.subscriptionId ? [] : [{ actor: b.ctx.actor, entry: orderEntry(ctx, b.input, r.number, r.p) }];
        }),
        new Map([['order', kind]]),
      ),
      auditMany(
        tx,
        placed.map((r) => ({
          actor: (batch[r.i] as Placement).ctx.actor,
          entry: {
            action: 'order.create',
            objectType: 'order',
            objectId: r.id,
            detail: { number: r.number, total: r.p.total },
          },
        })),
      ),
      replays.length === 0
        ? []
        : tx.query<{ key: string; request_hash: string; resource_id: string }>(
            `SELECT key, request_hash, resource_id FROM idempotency_keys
                WHERE tenant_id = $1 AND scope = 'orders' AND key = ANY($2::text[])`,
            [tx.tenantId, replays.map((i) => batch[i]?.key)],
          ),
      readOrders(
        tx,
        placed.map((r) => r.id),
      ),
    ]);
  let after: ReturnType<typeof follow> | undefined;
  const made = await createOrders(
    tx,
    ctx,
    fresh.map((i) => (batch[i] as Placement).input),
    {
      ids: fresh.map((i) => ids[i] as string),
      auditBatch: false,
      pricing,
      taken: {
        numbers: (taken?.numbers ?? []).map(Number),
        alongside: (written) => {
          after = follow(written.map((r) => ({ ...r, i: fresh[r.index] as number })));
          return after;
        },
      },
    },
  );
  const results: Placed[] = batch.map(() => ({ ok: false, error: new Error('not placed') }));
  const created: { i: number; id: string }[] = [];
  fresh.forEach((i, k) => {
    const r = made[k] as BatchResult;
    if (r.ok) created.push({ i, id: r.id });
    else if (batch[i]?.key) {
      // Its key is claimed in this transaction and must not outlive it (the application cannot
      // delete keys): the whole batch is placed again one by one, as placeOrder rolls back.
      throw new Error('an order with an Idempotency-Key could not be made');
    } else results[i] = { ok: false, error: r.error };
  });
  // Nothing was written (every request a replay or refused): what follows goes out now.
  const [, , firsts, orders] = await (after ?? follow([]));
  const firstOf = new Map(firsts.map((f) => [f.key, f]));
  const firstIds = firsts.map((f) => f.resource_id).filter((id) => !orders.has(id));
  if (firstIds.length > 0) for (const [id, order] of await readOrders(tx, firstIds)) orders.set(id, order);
  for (const { i, id } of created) {
    const order = orders.get(id);
    results[i] = order ? { ok: true, order, replayed: false } : { ok: false, error: new Error('order not read back') };
  }
  for (const i of replays) {
    const f = firstOf.get((batch[i] as Placement).key as string);
    const order = f && f.request_hash === hashes[i] ? orders.get(f.resource_id) : undefined;
    results[i] = order
      ? { ok: true, order, replayed: true }
      : {
          ok: false,
          error: AppError.field(409, 'idempotency_key_reused', 'Idempotency-Key', 'orders.idempotency_conflict'),
        };
  }
  return results;
}

export async function getOrder(db: Database, ctx: Pick<Ctx, 'tenantId'>, id: string): Promise<Order> {
  const order = await db.withTenant(ctx.tenantId, (tx) => readOrder(tx, id));
  if (!order) throw AppError.notFound('object.order');
  return order;
}

const cursorShape = z.tuple([z.iso.datetime({ offset: true }), z.uuid()]);

export async function listOrders(
  db: Database,
  ctx: Pick<Ctx, 'tenantId'>,
  q: ListOrdersQuery,
): Promise<{ items: Order[]; nextCursor: string | null }> {
  const after = decodeCursor(q.cursor, cursorShape);
  return db.withTenant(ctx.tenantId, async (tx) => {
    const rows = await tx.query<OrderRow>(
      `SELECT ${COLUMNS} FROM ${FROM}
        WHERE o.tenant_id = $1
          AND ($2::uuid IS NULL OR o.customer_id = $2)
          AND ($3::uuid IS NULL OR o.subscription_id = $3)
          AND ($4::date IS NULL OR o.ship_date = $4)
          AND ($5::text IS NULL OR o.status = $5)
          AND ($6::date IS NULL OR o.order_date >= $6)
          AND ($7::date IS NULL OR o.order_date <= $7)
          AND ($8::text IS NULL OR o.carrier = $8)
          AND ($9::uuid IS NULL OR o.staff_id = $9)
          AND ($10::bigint IS NULL OR o.number = $10)
          AND ($11::timestamptz IS NULL OR (o.ordered_at, o.id) < ($11::timestamptz, $12::uuid))
        ORDER BY o.ordered_at DESC, o.id DESC
        LIMIT $13`,
      [
        tx.tenantId,
        q.customerId ?? null,
        q.subscriptionId ?? null,
        q.shipDate ?? null,
        q.status ?? null,
        q.from ?? null,
        q.to ?? null,
        q.carrier ?? null,
        q.staffId ?? null,
        q.number ?? null,
        after?.[0] ?? null,
        after?.[1] ?? null,
        q.limit + 1,
      ],
    );
    const page = rows.slice(0, q.limit);
    const lines = await selectLines(
      tx,
      page.map((r) => r.id),
    );
    const last = page[page.length - 1];
    return {
      items: page.map((r) => toOrder(r, lines)),
      nextCursor: rows.length > q.limit && last ? encodeCursor([last.ordered_at.toISOString(), last.id]) : null,
    };
  });
}

export async function orderEvents(db: Database, ctx: Pick<Ctx, 'tenantId'>, id: string) {
  return db.withTenant(ctx.tenantId, async (tx) => {
    const exists = await tx.query('SELECT 1 FROM orders WHERE tenant_id = $1 AND id = $2', [tx.tenantId, id]);
    if (exists.length === 0) throw AppError.notFound('object.order');
    const rows = await tx.query<{
      id: string;
      at: Date;
      user_id: string | null;
      user_name: string | null;
      kind: string;
      data: Record<string, unknown>;
    }>(
      `SELECT e.id, e.at, e.user_id, u.name AS user_name, e.kind, e.data
         FROM order_events e LEFT JOIN users u ON u.tenant_id = e.tenant_id AND u.id = e.user_id
        WHERE e.tenant_id = $1 AND e.order_id = $2 ORDER BY e.seq LIMIT 1000`,
      [tx.tenantId, id],
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        at: r.at.toISOString(),
        userId: r.user_id,
        userName: r.user_name,
        kind: r.kind,
        data: r.data,
      })),
    };
  });
}

type LockedOrder = {
  id: string;
  number: string;
  customer_id: string;
  status: OrderStatus;
  total: number;
  ordered_at: Date;
  version: number;
};

async function lockOrder(tx: TenantTx, id: string, ifMatch?: string): Promise<LockedOrder> {
  const [o] = await tx.query<LockedOrder>(
    `SELECT id, number, customer_id, status, total, ordered_at, version FROM orders WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
    [tx.tenantId, id],
  );
  if (!o) throw AppError.notFound('object.order');
  if (ifMatch !== undefined && !ifMatchAccepts(ifMatch, o.version)) throw AppError.stale();
  return o;
}

async function stockLines(tx: TenantTx, orderId: string) {
  return tx.query<{ productId: string; quantity: number }>(
    `SELECT l.product_id AS "productId", l.quantity - l.returned_quantity AS quantity
       FROM order_lines l JOIN products p ON p.tenant_id = l.tenant_id AND p.id = l.product_id
      WHERE l.tenant_id = $1 AND l.order_id = $2 AND p.stock IS NOT NULL AND l.quantity > l.returned_quantity`,
    [tx.tenantId, orderId],
  );
}

/** Edits an order still 受付 (received): re-priced from the masters as they are now. */
export async function updateOrder(
  db: Database,
  ctx: Ctx,
  id: string,
  body: UpdateOrderBody,
  ifMatch?: string,
): Promise<Order> {
  return db.withTenant(ctx.tenantId, async (tx) => {
    const o = await lockOrder(tx, id, ifMatch);
    if (o.status !== 'received') throw new AppError(409, 'not_editable', 'orders.not_editable', { status: o.status });
    const before = (await readOrder(tx, id)) as Order;
    const input: OrderInput = {
      customerId: o.customer_id,
      lines:
        body.lines ??
        before.lines.filter((l) => l.kind === 'item').map((l) => ({ productId: l.productId, quantity: l.quantity })),
      desiredDeliveryDate: body.desiredDeliveryDate ?? before.desiredDeliveryDate ?? undefined,
      deliveryTimeSlot: body.deliveryTimeSlot ?? before.deliveryTimeSlot ?? undefined,
      paymentMethodId: body.paymentMethodId ?? (body.paymentMethod ? undefined : (before.paymentMethodId ?? undefined)),
      paymentMethod: body.paymentMethod,
      campaignCode: body.campaignCode ?? before.campaigns[0]?.code,
      note: body.note ?? before.note ?? undefined,
      channel: body.channel ?? before.channel,
      sortCode: body.sortCode ?? before.sortCode ?? undefined,
      carrier: body.carrier ?? before.carrier,
      originId: body.originId ?? before.originId ?? undefined,
      addressId: body.addressId ?? before.addressId ?? undefined,
      adMediumId: body.adMediumId ?? before.adMediumId ?? undefined,
      staffId: body.staffId ?? before.staffId ?? undefined,
    };
    await giveBackStock(tx, await stockLines(tx, id));
    const p = await priceOrder(tx, ctx, input, { editingOrderId: id });
    const short = await takeStock(tx, [p.lines]);
    if (short.has(0))
      throw AppError.field(409, 'out_of_stock', `lines.${short.get(0)}.quantity`, 'orders.out_of_stock');
    await tx.query('DELETE FROM order_lines WHERE tenant_id = $1 AND order_id = $2', [tx.tenantId, id]);
    await insertLines(tx, [{ id, p }]);
    await tx.query(
      `UPDATE orders SET ship_date = $3, delivery_date = $4, desired_delivery_date = $5, carrier = $6, time_slot = $7,
         origin_id = $8, address_id = $9, ship_name = $10, ship_kana = $11, ship_postal_code = $12, ship_prefecture = $13,
         ship_city = $14, ship_address1 = $15, ship_address2 = $16, ship_company = $17, ship_department = $18,
         ship_phone = $19, payment_method_id = $20, payment_kind = $21, campaign_id = $22, ad_medium_id = $23,
         staff_id = $24, note = $25, subtotal = $26, shipping_fee = $27, payment_fee = $28, discount = $29, taxes = $30,
         tax_total = $31, total = $32, cost_total = $33, channel = $34, sort_code = $35,
         version = version + 1, updated_at = $36
       WHERE tenant_id = $1 AND id = $2`,
      [
        tx.tenantId,
        id,
        p.shipDate,
        p.deliveryDate,
        input.desiredDeliveryDate ?? null,
        p.carrier,
        p.timeSlot,
        p.originId,
        p.shipTo.addressId,
        p.shipTo.name,
        p.shipTo.kana,
        p.shipTo.postalCode,
        p.shipTo.prefecture,
        p.shipTo.city,
        p.shipTo.address1,
        p.shipTo.address2,
        p.shipTo.company,
        p.shipTo.department,
        p.shipTo.phone,
        p.paymentMethodId,
        p.paymentKind,
        p.campaigns[0]?.id ?? null,
        p.adMediumId,
        p.staffId,
        input.note ?? null,
        p.subtotal,
        p.shippingFee,
        p.paymentFee,
        p.discount,
        JSON.stringify(p.taxes),
        p.taxTotal,
        p.total,
        p.costTotal,
        input.channel ?? 'phone',
        input.sortCode ?? null,
        ctx.now,
      ],
    );
    if (p.total !== o.total) {
      await reversePurchase(tx, o.customer_id, o.total, o.ordered_at);
      await recordPurchase(tx, o.customer_id, p.total, o.ordered_at);
    }
    await event(tx, ctx, id, 'edited', {
      before: { total: before.total, lines: before.lines.length },
      after: { total: p.total, lines: p.lines.length },
    });
    await audit(tx, ctx.actor, {
      action: 'order.update',
      objectType: 'order',
      objectId: id,
      detail: { before: before.total, after: p.total },
    });
    return (await readOrder(tx, id)) as Order;
  });
}

/** Cancels an order not yet shipped: stock back, purchase reversed, the reason kept. */
export async function cancelOrder(
  db: Database,
  ctx: Ctx,
  id: string,
  body: { reasonId?: string; note?: string },
  ifMatch?: string,
) {
  return db.withTenant(ctx.tenantId, async (tx) => {
    const o = await lockOrder(tx, id, ifMatch);
    if (o.status !== 'received' && o.status !== 'instructed')
      throw new AppError(409, 'not_cancellable', 'orders.not_cancellable', { status: o.status });
    let reason = '';
    if (body.reasonId) {
      const [r] = await tx.query<{ name: string }>(
        `SELECT name FROM reasons WHERE tenant_id = $1 AND id = $2 AND kind = 'cancel'`,
        [tx.tenantId, body.reasonId],
      );
      if (!r) throw AppError.field(422, 'not_found', 'reasonId', 'orders.reason_not_found');
      reason = r.name;
    }
    await giveBackStock(tx, await stockLines(tx, id));
    await tx.query(
      `UPDATE orders SET status = 'cancelled', cancelled_at = $3, cancel_reason_id = $4, version = version + 1, updated_at = $3
        WHERE tenant_id = $1 AND id = $2`,
      [tx.tenantId, id, ctx.now, body.reasonId ?? null],
    );
    await reversePurchase(tx, o.customer_id, o.total, o.ordered_at);
    await event(tx, ctx, id, 'cancelled', { from: o.status, reason, note: body.note ?? null });
    await recordSystemInteraction(tx, ctx.actor, {
      customerId: o.customer_id,
      kindCode: 'order',
      subject: `受注 #${o.number} キャンセル`,
      body: `${[`受注 #${o.number} をキャンセル`, reason && `理由: ${reason}`, body.note].filter(Boolean).join('。')}。`,
      at: ctx.now,
    });
    await audit(tx, ctx.actor, { action: 'order.cancel', objectType: 'order', objectId: id, detail: { reason } });
    return (await readOrder(tx, id)) as Order;
  });
}

/** 出荷済 → 完了. */
export async function completeOrder(db: Database, ctx: Ctx, id: string) {
  return db.withTenant(ctx.tenantId, async (tx) => {
    const o = await lockOrder(tx, id);
    if (o.status !== 'shipped')
      throw new AppError(409, 'not_completable', 'orders.not_completable', { status: o.status });
    await tx.query(
      `UPDATE orders SET status = 'completed', completed_at = $3, version = version + 1, updated_at = $3 WHERE tenant_id = $1 AND id = $2`,
      [tx.tenantId, id, ctx.now],
    );
    await event(tx, ctx, id, 'completed');
    await audit(tx, ctx.actor, { action: 'order.complete', objectType: 'order', objectId: id });
    return (await readOrder(tx, id)) as Order;
  });
}

/** 再注文: the body of a new order like this one, with the products still on sale. */
export async function reorderBody(db: Database, ctx: Ctx, id: string) {
  const order = await getOrder(db, ctx, id);
  return db.withTenant(ctx.tenantId, async (tx) => {
    const items = order.lines.filter((l) => l.kind === 'item');
    const onSale = await tx.query<{ id: string }>(
      `SELECT id FROM products WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND active
          AND (sales_from IS NULL OR sales_from <= $3::date) AND (sales_until IS NULL OR sales_until >= $3::date)`,
      [tx.tenantId, items.map((l) => l.productId), tokyoDate(ctx.now)],
    );
    const ok = new Set(onSale.map((r) => r.id));
    return {
      customerId: order.customerId,
      lines: items.filter((l) => ok.has(l.productId)).map((l) => ({ productId: l.productId, quantity: l.quantity })),
      unavailable: items
        .filter((l) => !ok.has(l.productId))
        .map((l) => ({ productId: l.productId, productName: l.productName })),
      carrier: order.carrier,
      ...(order.addressId ? { addressId: order.addressId } : {}),
      ...(order.deliveryTimeSlot ? { deliveryTimeSlot: order.deliveryTimeSlot } : {}),
      ...(order.paymentMethodId ? { paymentMethodId: order.paymentMethodId } : {}),
      ...(order.adMediumId ? { adMediumId: order.adMediumId } : {}),
      sourceOrderId: order.id,
    };
  });
}
