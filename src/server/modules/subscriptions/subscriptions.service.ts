// 定期 (subscriptions): create, read, list, and every change an operator makes during a call.
// Each change locks the row, writes a subscription_events row with before/after and a 定期変更
// entry in 対応履歴 (recordSystemInteraction), and audits — in one transaction.
// Generation of the deliveries' orders is in generate.ts.
import { z } from 'zod';
import { tokyoDate } from '../../../shared/calendar.js';
import {
  type Cycle,
  deliveries,
  deliveryDate,
  firstDeliveryOnOrAfter,
  validateCycle,
} from '../../../shared/subscriptions/schedule.js';
import type { Database, TenantTx } from '../../db/database.js';
import { type Actor, audit } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors.js';
import { ifMatchAccepts } from '../../platform/http/etag.js';
import { decodeCursor, encodeCursor } from '../../platform/http/pagination.js';
import { getOrderSettings } from '../../platform/tenants/tenants.service.js';
import { recordSystemInteraction } from '../interactions/system-entry.js';
import {
  type CreateSubscription,
  type CycleInput,
  type Subscription,
  toCycle,
  type UpdateSubscription,
} from './subscriptions.schema.js';

export type Ctx = { tenantId: string; actor: Actor; now: Date };

export type SubscriptionRow = {
  id: string;
  number: string;
  customer_id: string;
  customer_name: string;
  customer_code: string;
  status: 'active' | 'paused' | 'cancelled';
  cycle_every: number;
  cycle_unit: 'day' | 'week' | 'month';
  cycle_day_of_month: number | null;
  cycle_nth: number | null;
  cycle_weekday: number | null;
  first_delivery_date: string;
  anchor_date: string;
  next_n: number;
  next_delivery_date: string | null;
  next_override_date: string | null;
  deliveries_made: number;
  deliveries_skipped: number;
  min_deliveries: number;
  paused_until: string | null;
  carrier: 'yamato' | 'sagawa' | 'japanpost';
  time_slot: string | null;
  origin_id: string | null;
  address_id: string | null;
  payment_method_id: string | null;
  payment_method_name: string | null;
  ad_medium_id: string | null;
  staff_id: string | null;
  source_order_id: string | null;
  note: string | null;
  cancel_reason_id: string | null;
  cancelled_at: Date | null;
  created_at: Date;
  updated_at: Date;
  version: number;
};

type LineRow = {
  subscription_id: string;
  product_id: string;
  product_code: string;
  product_name: string;
  quantity: number;
  unit_price: number;
  first_price: number | null;
  tax_rate: number;
};

export const COLUMNS = `s.id, s.number, s.customer_id, c.name AS customer_name, c.code AS customer_code, s.status,
  s.cycle_every, s.cycle_unit, s.cycle_day_of_month, s.cycle_nth, s.cycle_weekday,
  s.first_delivery_date::text, s.anchor_date::text, s.next_n, s.next_delivery_date::text, s.next_override_date::text,
  s.deliveries_made, s.deliveries_skipped, s.min_deliveries, s.paused_until::text, s.carrier, s.time_slot,
  s.origin_id, s.address_id, s.payment_method_id, pm.name AS payment_method_name, s.ad_medium_id, s.staff_id,
  s.source_order_id, s.note, s.cancel_reason_id, s.cancelled_at, s.created_at, s.updated_at, s.version`;
export const FROM = `subscriptions s
  JOIN customers c ON c.tenant_id = s.tenant_id AND c.id = s.customer_id
  LEFT JOIN payment_methods pm ON pm.tenant_id = s.tenant_id AND pm.id = s.payment_method_id`;

/** The columns of a subscription's cycle. */
type CycleColumns = 'cycle_every' | 'cycle_unit' | 'cycle_day_of_month' | 'cycle_nth' | 'cycle_weekday';
/** The columns that say when a subscription's deliveries fall: its cycle and where it stands. */
export type ScheduleColumns = CycleColumns | 'anchor_date' | 'next_n' | 'next_delivery_date' | 'deliveries_made';

export function cycleOf(r: Pick<SubscriptionRow, CycleColumns>): Cycle {
  if (r.cycle_unit === 'day') return { every: r.cycle_every, unit: 'day' };
  if (r.cycle_unit === 'week') return { every: r.cycle_every, unit: 'week' };
  if (r.cycle_nth !== null && r.cycle_weekday !== null)
    return {
      every: r.cycle_every,
      unit: 'month',
      weekday: { nth: r.cycle_nth as 1 | 2 | 3 | 4 | -1, day: r.cycle_weekday as 0 | 1 | 2 | 3 | 4 | 5 | 6 },
    };
  return r.cycle_day_of_month === null
    ? { every: r.cycle_every, unit: 'month' }
    : { every: r.cycle_every, unit: 'month', dayOfMonth: r.cycle_day_of_month };
}

const WEEKDAYS = ['日', '月', '火', '水', '木', '金', '土'];

/** 毎月15日, 2か月ごと 第2火曜日, 2週間ごと, 45日ごと … (the anchor gives the day when the cycle does not). */
export function cycleLabel(cycle: Cycle, anchor: string): string {
  const every = cycle.every;
  if (cycle.unit === 'day') return every === 1 ? '毎日' : `${every}日ごと`;
  if (cycle.unit === 'week') {
    const dow = WEEKDAYS[new Date(`${anchor}T00:00:00Z`).getUTCDay()];
    return `${every === 1 ? '毎週' : `${every}週間ごと`} ${dow}曜日`;
  }
  const head = every === 1 ? '毎月' : `${every}か月ごと`;
  if (cycle.weekday) {
    const nth = cycle.weekday.nth === -1 ? '最終' : `第${cycle.weekday.nth}`;
    return `${head} ${nth}${WEEKDAYS[cycle.weekday.day]}曜日`;
  }
  const day = cycle.dayOfMonth ?? Number(anchor.slice(8, 10));
  return `${head} ${day >= 31 ? '末日' : `${day}日`}`;
}

function cycleColumns(c: CycleInput) {
  return {
    every: c.every,
    unit: c.unit,
    dayOfMonth: c.unit === 'month' && !c.weekday ? (c.dayOfMonth ?? null) : null,
    nth: c.weekday?.nth ?? null,
    weekday: c.weekday?.day ?? null,
  };
}

function toSubscription(r: SubscriptionRow, lines: LineRow[]): Subscription {
  const cycle = cycleOf(r);
  const remaining = Math.max(0, r.min_deliveries - r.deliveries_made);
  return {
    id: r.id,
    number: Number(r.number),
    customerId: r.customer_id,
    customerName: r.customer_name,
    customerCode: r.customer_code,
    status: r.status,
    cycle: cycle.unit === 'month' && cycle.weekday ? { ...cycle, weekday: { ...cycle.weekday } } : cycle,
    cycleLabel: cycleLabel(cycle, r.anchor_date),
    firstDeliveryDate: r.first_delivery_date,
    nextDeliveryDate: r.status === 'cancelled' ? null : r.next_delivery_date,
    nextDeliveryMoved: r.next_override_date !== null,
    nextDeliverySeq: r.deliveries_made + 1,
    deliveriesMade: r.deliveries_made,
    deliveriesSkipped: r.deliveries_skipped,
    minDeliveries: r.min_deliveries,
    remainingCommitment: remaining,
    pausedUntil: r.paused_until,
    carrier: r.carrier,
    timeSlot: r.time_slot,
    originId: r.origin_id,
    addressId: r.address_id,
    paymentMethodId: r.payment_method_id,
    paymentMethodName: r.payment_method_name,
    adMediumId: r.ad_medium_id,
    staffId: r.staff_id,
    sourceOrderId: r.source_order_id,
    note: r.note,
    cancelReasonId: r.cancel_reason_id,
    cancelledAt: r.cancelled_at?.toISOString() ?? null,
    lines: lines
      .filter((l) => l.subscription_id === r.id)
      .map((l) => ({
        productId: l.product_id,
        productCode: l.product_code,
        productName: l.product_name,
        quantity: l.quantity,
        unitPrice: l.unit_price,
        firstPrice: l.first_price,
        taxRate: l.tax_rate,
      })),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
  };
}

async function selectLines(tx: TenantTx, ids: string[]): Promise<LineRow[]> {
  if (ids.length === 0) return [];
  return tx.query<LineRow>(
    `SELECT l.subscription_id, l.product_id, p.code AS product_code, p.name AS product_name, l.quantity,
            p.unit_price, p.first_price, p.tax_rate
       FROM subscription_lines l JOIN products p ON p.tenant_id = l.tenant_id AND p.id = l.product_id
      WHERE l.tenant_id = $1 AND l.subscription_id = ANY($2::uuid[])
      ORDER BY l.subscription_id, l.line_no`,
    [tx.tenantId, ids],
  );
}

export async function selectSubscription(tx: TenantTx, id: string, lock = false): Promise<SubscriptionRow | null> {
  if (lock)
    await tx.query('SELECT 1 FROM subscriptions WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [tx.tenantId, id]);
  const [row] = await tx.query<SubscriptionRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE s.tenant_id = $1 AND s.id = $2`, [
    tx.tenantId,
    id,
  ]);
  return row ?? null;
}

async function mustRead(tx: TenantTx, id: string): Promise<Subscription> {
  const row = await selectSubscription(tx, id);
  if (!row) throw AppError.notFound('object.subscription');
  return toSubscription(row, await selectLines(tx, [id]));
}

// ---------------------------------------------------------------------------------------------
// Checks of what a request names.

async function checkLines(tx: TenantTx, lines: { productId: string }[], today: string): Promise<void> {
  const ids = lines.map((l) => l.productId);
  const ok = await tx.query<{ id: string }>(
    `SELECT id FROM products
      WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND active
        AND (sales_until IS NULL OR sales_until >= $3::date)`,
    [tx.tenantId, ids, today],
  );
  const found = new Set(ok.map((r) => r.id));
  const bad = ids.findIndex((id) => !found.has(id));
  if (bad >= 0)
    throw AppError.field(422, 'product_unavailable', `lines.${bad}.productId`, 'subscriptions.product_unavailable');
}

async function checkRefs(tx: TenantTx, customerId: string, input: UpdateSubscription): Promise<void> {
  const checks: [keyof UpdateSubscription, string | null | undefined, string][] = [
    ['originId', input.originId, 'SELECT 1 FROM shipping_origins WHERE tenant_id = $1 AND id = $2 AND active'],
    [
      'paymentMethodId',
      input.paymentMethodId,
      'SELECT 1 FROM payment_methods WHERE tenant_id = $1 AND id = $2 AND active',
    ],
    ['adMediumId', input.adMediumId, 'SELECT 1 FROM ad_media WHERE tenant_id = $1 AND id = $2'],
    [
      'addressId',
      input.addressId,
      'SELECT 1 FROM customer_addresses WHERE tenant_id = $1 AND id = $2 AND customer_id = $3',
    ],
  ];
  for (const [field, id, sql] of checks) {
    if (!id) continue;
    const params = field === 'addressId' ? [tx.tenantId, id, customerId] : [tx.tenantId, id];
    const rows = await tx.query(sql, params);
    if (rows.length === 0)
      throw AppError.field(422, 'not_found', field, 'subscriptions.reference_not_found', { field });
  }
}

function checkFuture(field: string, date: string, today: string): void {
  if (date <= today) throw AppError.field(422, 'date_in_past', field, 'subscriptions.date_in_past');
}

function checkCycle(cycle: Cycle): void {
  try {
    validateCycle(cycle);
  } catch {
    throw AppError.field(400, 'invalid', 'cycle', 'subscriptions.cycle_invalid');
  }
}

async function nextNumber(tx: TenantTx): Promise<number> {
  const [row] = await tx.query<{ last_number: string }>(
    `INSERT INTO subscription_counters AS c (tenant_id, last_number) VALUES ($1, 1)
     ON CONFLICT (tenant_id) DO UPDATE SET last_number = c.last_number + 1
     RETURNING last_number`,
    [tx.tenantId],
  );
  return Number(row?.last_number);
}

async function replaceLines(tx: TenantTx, id: string, lines: { productId: string; quantity: number }[]) {
  await tx.query('DELETE FROM subscription_lines WHERE tenant_id = $1 AND subscription_id = $2', [tx.tenantId, id]);
  await tx.query(
    `INSERT INTO subscription_lines (tenant_id, subscription_id, line_no, product_id, quantity)
     SELECT $1, $2, l.n, l.product_id, l.quantity
       FROM unnest($3::uuid[], $4::int[]) WITH ORDINALITY AS l(product_id, quantity, n)`,
    [tx.tenantId, id, lines.map((l) => l.productId), lines.map((l) => l.quantity)],
  );
}

/** The 定期変更 trail: an event row, a 対応履歴 entry and the audit row, in the caller's transaction. */
async function recordChange(
  tx: TenantTx,
  ctx: Ctx,
  row: SubscriptionRow,
  kind: string,
  subject: string,
  body: string,
  before: unknown,
  after: unknown,
): Promise<void> {
  await tx.query(
    `INSERT INTO subscription_events (tenant_id, subscription_id, at, user_id, kind, before, after)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      tx.tenantId,
      row.id,
      ctx.now,
      ctx.actor.type === 'user' ? ctx.actor.id : null,
      kind,
      before === undefined ? null : JSON.stringify(before),
      after === undefined ? null : JSON.stringify(after),
    ],
  );
  await recordSystemInteraction(tx, ctx.actor, {
    customerId: row.customer_id,
    kindCode: 'subscription_change',
    subject: `定期 #${row.number} ${subject}`,
    body,
    at: ctx.now,
  });
  await audit(tx, ctx.actor, {
    action: `subscription.${kind}`,
    objectType: 'subscription',
    objectId: row.id,
    detail: { before, after },
  });
}

// ---------------------------------------------------------------------------------------------

/**
 * The order a subscription starts from (伝票区分 定期 on the order form): the same customer's,
 * kind subscription, not cancelled or returned, and not yet any subscription's delivery. Locked
 * so two hand-overs of one order cannot both link it.
 */
async function lockSourceOrder(tx: TenantTx, customerId: string, orderId: string): Promise<void> {
  const [order] = await tx.query<{ customer_id: string; kind: string; status: string; subscription_id: string | null }>(
    `SELECT customer_id, kind, status, subscription_id FROM orders WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
    [tx.tenantId, orderId],
  );
  if (!order) throw AppError.field(422, 'not_found', 'sourceOrderId', 'subscriptions.source_order_not_found');
  if (
    order.customer_id !== customerId ||
    order.kind !== 'subscription' ||
    order.status === 'cancelled' ||
    order.status === 'returned'
  )
    throw AppError.field(422, 'source_order_invalid', 'sourceOrderId', 'subscriptions.source_order_invalid');
  if (order.subscription_id !== null)
    throw AppError.field(409, 'source_order_linked', 'sourceOrderId', 'subscriptions.source_order_linked');
}

/**
 * A new subscription. With sourceOrderId (the order form's 定期 hand-over) that order is delivery 1,
 * dated firstDeliveryDate: it is linked to the subscription (orders.subscription_id /
 * subscription_delivery_date / seq 1), the subscription counts it as made, and its next delivery is
 * the one after it.
 */
export async function createSubscription(db: Database, ctx: Ctx, input: CreateSubscription): Promise<Subscription> {
  const today = tokyoDate(ctx.now);
  const cycle = toCycle(input.cycle);
  checkCycle(cycle);
  const handover = input.sourceOrderId !== undefined;
  // Delivery 1 is the source order (made already): the first one still to make must be in the future.
  const nextDelivery = handover ? deliveryDate(input.firstDeliveryDate, cycle, 1) : input.firstDeliveryDate;
  checkFuture('firstDeliveryDate', nextDelivery, today);
  return db.withTenant(ctx.tenantId, async (tx) => {
    const customer = await tx.query('SELECT 1 FROM customers WHERE tenant_id = $1 AND id = $2', [
      tx.tenantId,
      input.customerId,
    ]);
    if (customer.length === 0) throw AppError.field(422, 'not_found', 'customerId', 'subscriptions.customer_not_found');
    if (input.sourceOrderId) await lockSourceOrder(tx, input.customerId, input.sourceOrderId);
    await checkLines(tx, input.lines, today);
    await checkRefs(tx, input.customerId, input);
    const settings = await getOrderSettings(tx);
    const number = await nextNumber(tx);
    const c = cycleColumns(input.cycle);
    const [created] = await tx.query<{ id: string }>(
      `INSERT INTO subscriptions (tenant_id, number, customer_id, cycle_every, cycle_unit, cycle_day_of_month, cycle_nth,
         cycle_weekday, first_delivery_date, anchor_date, next_n, next_delivery_date, min_deliveries, carrier, time_slot,
         origin_id, address_id, payment_method_id, ad_medium_id, staff_id, source_order_id, note, created_by,
         created_at, updated_at, deliveries_made)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $21, $22, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $17,
         $20, $20, $21)
       RETURNING id`,
      [
        tx.tenantId,
        number,
        input.customerId,
        c.every,
        c.unit,
        c.dayOfMonth,
        c.nth,
        c.weekday,
        input.firstDeliveryDate,
        input.minDeliveries ?? 0,
        input.carrier ?? settings.orders.defaultCarrier,
        input.timeSlot ?? null,
        input.originId ?? null,
        input.addressId ?? null,
        input.paymentMethodId ?? null,
        input.adMediumId ?? null,
        ctx.actor.type === 'user' ? ctx.actor.id : null,
        input.sourceOrderId ?? null,
        input.note ?? null,
        ctx.now,
        handover ? 1 : 0,
        nextDelivery,
      ],
    );
    if (!created) throw new Error('insert subscriptions returned nothing');
    await replaceLines(tx, created.id, input.lines);
    if (input.sourceOrderId) {
      await tx.query(
        `UPDATE orders SET subscription_id = $3, subscription_delivery_date = $4, subscription_delivery_seq = 1,
                version = version + 1, updated_at = $5
          WHERE tenant_id = $1 AND id = $2`,
        [tx.tenantId, input.sourceOrderId, created.id, input.firstDeliveryDate, ctx.now],
      );
      await tx.query(
        `INSERT INTO order_events (tenant_id, order_id, at, user_id, kind, data)
         VALUES ($1, $2, $3, $4, 'subscription_linked', $5)`,
        [
          tx.tenantId,
          input.sourceOrderId,
          ctx.now,
          ctx.actor.type === 'user' ? ctx.actor.id : null,
          JSON.stringify({ subscriptionId: created.id, subscriptionNumber: number, seq: 1 }),
        ],
      );
    }
    const read = await mustRead(tx, created.id);
    const row = (await selectSubscription(tx, created.id)) as SubscriptionRow;
    await recordChange(
      tx,
      ctx,
      row,
      'created',
      '申込',
      `定期のお申込み: ${read.cycleLabel}、初回お届け ${input.firstDeliveryDate}${
        handover ? ` (受注から引継ぎ・第1回)、次回お届け ${nextDelivery}` : ''
      }。${read.lines.map((l) => `${l.productName} ×${l.quantity}`).join('、')}`,
      undefined,
      summary(read),
    );
    return read;
  });
}

/** What a 定期変更 entry shows before/after. */
function summary(s: Subscription) {
  return {
    status: s.status,
    cycle: s.cycleLabel,
    nextDeliveryDate: s.nextDeliveryDate,
    pausedUntil: s.pausedUntil,
    lines: s.lines.map((l) => ({ productCode: l.productCode, quantity: l.quantity })),
    timeSlot: s.timeSlot,
    addressId: s.addressId,
    paymentMethodId: s.paymentMethodId,
    carrier: s.carrier,
  };
}

export async function getSubscription(db: Database, ctx: Pick<Ctx, 'tenantId'>, id: string): Promise<Subscription> {
  return db.withTenant(ctx.tenantId, (tx) => mustRead(tx, id));
}

export async function listSubscriptions(
  db: Database,
  ctx: Pick<Ctx, 'tenantId'>,
  q: { customerId?: string; status?: string; cursor?: string; limit: number },
): Promise<{ items: Subscription[]; nextCursor: string | null }> {
  const after = decodeCursor(q.cursor, z.tuple([z.string().regex(/^\d{1,18}$/), z.uuid()]));
  return db.withTenant(ctx.tenantId, async (tx) => {
    const rows = await tx.query<SubscriptionRow>(
      `SELECT ${COLUMNS} FROM ${FROM}
        WHERE s.tenant_id = $1
          AND ($2::uuid IS NULL OR s.customer_id = $2)
          AND ($3::text IS NULL OR s.status = $3)
          AND ($4::bigint IS NULL OR s.number < $4)
        ORDER BY s.number DESC
        LIMIT $5`,
      [tx.tenantId, q.customerId ?? null, q.status ?? null, after ? after[0] : null, q.limit + 1],
    );
    const page = rows.slice(0, q.limit);
    const lines = await selectLines(
      tx,
      page.map((r) => r.id),
    );
    const last = page[page.length - 1];
    return {
      items: page.map((r) => toSubscription(r, lines)),
      nextCursor: rows.length > q.limit && last ? encodeCursor([last.number, last.id]) : null,
    };
  });
}

/** The next `count` delivery dates, the next one first (a moved next delivery on its new day). */
export function upcoming(row: SubscriptionRow, count: number): string[] {
  if (row.status === 'cancelled' || count === 0) return [];
  const cycle = cycleOf(row);
  const dates = deliveries(row.anchor_date, cycle, row.next_n, count);
  if (row.next_override_date) dates[0] = row.next_override_date;
  return dates;
}

export async function schedule(db: Database, ctx: Pick<Ctx, 'tenantId'>, id: string, count: number) {
  return db.withTenant(ctx.tenantId, async (tx) => {
    const row = await selectSubscription(tx, id);
    if (!row) throw AppError.notFound('object.subscription');
    const cycle = cycleOf(row);
    const dates = upcoming(row, count);
    return {
      dates,
      deliveries: dates.map((date, i) => ({
        date,
        seq: row.deliveries_made + 1 + i,
        moved: i === 0 && row.next_override_date !== null,
        regularDate: deliveryDate(row.anchor_date, cycle, row.next_n + i),
      })),
      status: row.status,
      pausedUntil: row.paused_until,
    };
  });
}

/** Locks an active or paused subscription for a change, with If-Match when given. */
async function lockForChange(tx: TenantTx, id: string, ifMatch?: string): Promise<SubscriptionRow> {
  const row = await selectSubscription(tx, id, true);
  if (!row) throw AppError.notFound('object.subscription');
  if (ifMatch !== undefined && !ifMatchAccepts(ifMatch, row.version)) throw AppError.stale();
  if (row.status === 'cancelled') throw new AppError(409, 'cancelled', 'subscriptions.cancelled');
  return row;
}

async function setSchedule(
  tx: TenantTx,
  id: string,
  v: { anchor?: string; nextN: number; override: string | null; next: string; skipped?: number },
) {
  await tx.query(
    `UPDATE subscriptions SET anchor_date = coalesce($3::date, anchor_date), next_n = $4, next_override_date = $5,
            next_delivery_date = $6, deliveries_skipped = deliveries_skipped + $7, version = version + 1, updated_at = now()
      WHERE tenant_id = $1 AND id = $2`,
    [tx.tenantId, id, v.anchor ?? null, v.nextN, v.override, v.next, v.skipped ?? 0],
  );
}

type Change = { db: Database; ctx: Ctx; id: string; ifMatch?: string };

async function change(
  { db, ctx, id, ifMatch }: Change,
  apply: (
    tx: TenantTx,
    row: SubscriptionRow,
    before: Subscription,
  ) => Promise<{ kind: string; subject: string; body: string }>,
): Promise<Subscription> {
  return db.withTenant(ctx.tenantId, async (tx) => {
    const row = await lockForChange(tx, id, ifMatch);
    const before = toSubscription(row, await selectLines(tx, [id]));
    const what = await apply(tx, row, before);
    const after = await mustRead(tx, id);
    await recordChange(tx, ctx, row, what.kind, what.subject, what.body, summary(before), summary(after));
    return after;
  });
}

/** Skips the next delivery: the one after it becomes the next. */
export function skipNext(c: Change): Promise<Subscription> {
  return change(c, async (tx, row) => {
    const cycle = cycleOf(row);
    const skipped = row.next_delivery_date as string;
    const next = deliveryDate(row.anchor_date, cycle, row.next_n + 1);
    await setSchedule(tx, row.id, { nextN: row.next_n + 1, override: null, next, skipped: 1 });
    return {
      kind: 'skipped',
      subject: '次回お届けスキップ',
      body: `${skipped} のお届けをスキップ。次回お届け: ${next}`,
    };
  });
}

/** Moves the next delivery only (the regular schedule stays). */
export function moveNext(c: Change, date: string): Promise<Subscription> {
  const today = tokyoDate(c.ctx.now);
  checkFuture('date', date, today);
  return change(c, async (tx, row) => {
    const following = deliveryDate(row.anchor_date, cycleOf(row), row.next_n + 1);
    if (date >= following)
      throw AppError.field(422, 'after_following', 'date', 'subscriptions.date_after_following', { following });
    const regular = deliveryDate(row.anchor_date, cycleOf(row), row.next_n);
    await setSchedule(tx, row.id, { nextN: row.next_n, override: date === regular ? null : date, next: date });
    return {
      kind: 'moved',
      subject: '次回お届け日変更',
      body: `次回お届け日を ${row.next_delivery_date} から ${date} に変更。`,
    };
  });
}

export function pause(c: Change, until: string | undefined): Promise<Subscription> {
  const today = tokyoDate(c.ctx.now);
  if (until) checkFuture('until', until, today);
  return change(c, async (tx, row) => {
    if (row.status === 'paused') throw new AppError(409, 'already_paused', 'subscriptions.already_paused');
    if (until) {
      const cycle = cycleOf(row);
      const n = firstDeliveryOnOrAfter(row.anchor_date, cycle, row.next_n, until);
      await setSchedule(tx, row.id, {
        nextN: n,
        override: null,
        next: deliveryDate(row.anchor_date, cycle, n),
        skipped: n - row.next_n,
      });
    }
    await tx.query(
      `UPDATE subscriptions SET status = 'paused', paused_until = $3, version = version + 1, updated_at = now()
        WHERE tenant_id = $1 AND id = $2`,
      [tx.tenantId, row.id, until ?? null],
    );
    return {
      kind: 'paused',
      subject: '休止',
      body: until ? `${until} まで休止 (それまでのお届けはお休み)。` : '再開のご連絡まで休止。',
    };
  });
}

/** Resumes with the first regular delivery after today. */
export function resume(c: Change): Promise<Subscription> {
  const today = tokyoDate(c.ctx.now);
  return change(c, async (tx, row) => {
    if (row.status !== 'paused') throw new AppError(409, 'not_paused', 'subscriptions.not_paused');
    const cycle = cycleOf(row);
    const current = row.next_delivery_date as string;
    if (current <= today) {
      const n = firstDeliveryOnOrAfter(row.anchor_date, cycle, row.next_n, addDay(today));
      await setSchedule(tx, row.id, {
        nextN: n,
        override: null,
        next: deliveryDate(row.anchor_date, cycle, n),
        skipped: n - row.next_n,
      });
    }
    await tx.query(
      `UPDATE subscriptions SET status = 'active', paused_until = NULL, version = version + 1, updated_at = now()
        WHERE tenant_id = $1 AND id = $2`,
      [tx.tenantId, row.id],
    );
    const [next] = await tx.query<{ d: string }>(
      'SELECT next_delivery_date::text AS d FROM subscriptions WHERE tenant_id = $1 AND id = $2',
      [tx.tenantId, row.id],
    );
    return { kind: 'resumed', subject: '再開', body: `定期を再開。次回お届け: ${next?.d}` };
  });
}

function addDay(date: string): string {
  return new Date(new Date(`${date}T00:00:00Z`).getTime() + 86_400_000).toISOString().slice(0, 10);
}

export function cancel(
  c: Change,
  input: { reasonId?: string; acknowledgeCommitment?: boolean; note?: string },
): Promise<Subscription> {
  return change(c, async (tx, row) => {
    const remaining = row.min_deliveries - row.deliveries_made;
    if (remaining > 0 && !input.acknowledgeCommitment)
      throw AppError.field(409, 'commitment_not_met', 'acknowledgeCommitment', 'subscriptions.commitment', {
        min: row.min_deliveries,
        made: row.deliveries_made,
        remaining,
      });
    let reasonName = '';
    if (input.reasonId) {
      const [reason] = await tx.query<{ name: string }>(
        `SELECT name FROM reasons WHERE tenant_id = $1 AND id = $2 AND kind = 'subscription_cancel'`,
        [tx.tenantId, input.reasonId],
      );
      if (!reason) throw AppError.field(422, 'not_found', 'reasonId', 'subscriptions.reason_not_found');
      reasonName = reason.name;
    }
    await tx.query(
      `UPDATE subscriptions SET status = 'cancelled', cancel_reason_id = $3, cancelled_at = $4, paused_until = NULL,
              version = version + 1, updated_at = now()
        WHERE tenant_id = $1 AND id = $2`,
      [tx.tenantId, row.id, input.reasonId ?? null, c.ctx.now],
    );
    const parts = [`解約 (お届け済み ${row.deliveries_made} 回)`];
    if (reasonName) parts.push(`理由: ${reasonName}`);
    if (remaining > 0) parts.push(`お約束の回数 ${row.min_deliveries} 回に対し残り ${remaining} 回で解約 (ご案内済み)`);
    if (input.note) parts.push(input.note);
    return { kind: 'cancelled', subject: '解約', body: `${parts.join('。')}。` };
  });
}

/** Changes what the customer asks: products, quantities, cycle, regular date, address, payment, slot. */
export function updateSubscription(c: Change, input: UpdateSubscription): Promise<Subscription> {
  const today = tokyoDate(c.ctx.now);
  if (input.nextDeliveryDate) checkFuture('nextDeliveryDate', input.nextDeliveryDate, today);
  return change(c, async (tx, row, before) => {
    if (input.lines) {
      await checkLines(tx, input.lines, today);
      await replaceLines(tx, row.id, input.lines);
    }
    await checkRefs(tx, row.customer_id, input);
    if (input.cycle || input.nextDeliveryDate) {
      // Re-based: the next delivery (or the date given) is delivery 0 of the new schedule.
      const cycle = input.cycle ? toCycle(input.cycle) : cycleOf(row);
      checkCycle(cycle);
      const anchor = input.nextDeliveryDate ?? (row.next_delivery_date as string);
      const cols = input.cycle ? cycleColumns(input.cycle) : null;
      if (cols) {
        await tx.query(
          `UPDATE subscriptions SET cycle_every = $3, cycle_unit = $4, cycle_day_of_month = $5, cycle_nth = $6, cycle_weekday = $7
            WHERE tenant_id = $1 AND id = $2`,
          [tx.tenantId, row.id, cols.every, cols.unit, cols.dayOfMonth, cols.nth, cols.weekday],
        );
      }
      await setSchedule(tx, row.id, { anchor, nextN: 0, override: null, next: anchor });
    }
    const sets: string[] = [];
    const values: unknown[] = [tx.tenantId, row.id];
    const column = (name: string, value: unknown) => {
      values.push(value);
      sets.push(`${name} = $${values.length}`);
    };
    if (input.carrier !== undefined) column('carrier', input.carrier);
    if (input.timeSlot !== undefined) column('time_slot', input.timeSlot);
    if (input.originId !== undefined) column('origin_id', input.originId);
    if (input.addressId !== undefined) column('address_id', input.addressId);
    if (input.paymentMethodId !== undefined) column('payment_method_id', input.paymentMethodId);
    if (input.adMediumId !== undefined) column('ad_medium_id', input.adMediumId);
    if (input.minDeliveries !== undefined) column('min_deliveries', input.minDeliveries);
    if (input.note !== undefined) column('note', input.note);
    await tx.query(
      `UPDATE subscriptions SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')}
        WHERE tenant_id = $1 AND id = $2`,
      values,
    );
    const after = await mustRead(tx, row.id);
    const diffs: string[] = [];
    if (before.cycleLabel !== after.cycleLabel) diffs.push(`周期: ${before.cycleLabel} → ${after.cycleLabel}`);
    if (before.nextDeliveryDate !== after.nextDeliveryDate)
      diffs.push(`次回お届け: ${before.nextDeliveryDate} → ${after.nextDeliveryDate}`);
    const items = (s: Subscription) => s.lines.map((l) => `${l.productName}×${l.quantity}`).join('、');
    if (items(before) !== items(after)) diffs.push(`商品: ${items(before)} → ${items(after)}`);
    if (before.timeSlot !== after.timeSlot)
      diffs.push(`時間帯: ${before.timeSlot ?? '指定なし'} → ${after.timeSlot ?? '指定なし'}`);
    if (before.addressId !== after.addressId) diffs.push('お届け先を変更');
    if (before.paymentMethodName !== after.paymentMethodName)
      diffs.push(`支払方法: ${before.paymentMethodName ?? '未設定'} → ${after.paymentMethodName ?? '未設定'}`);
    if (before.carrier !== after.carrier) diffs.push(`配送業者: ${before.carrier} → ${after.carrier}`);
    if (before.minDeliveries !== after.minDeliveries)
      diffs.push(`お約束回数: ${before.minDeliveries} → ${after.minDeliveries}`);
    return {
      kind: 'changed',
      subject: '内容変更',
      body: diffs.length ? `${diffs.join('。')}。` : '変更なし (メモのみ)。',
    };
  });
}

export async function subscriptionEvents(db: Database, ctx: Pick<Ctx, 'tenantId'>, id: string) {
  return db.withTenant(ctx.tenantId, async (tx) => {
    const exists = await tx.query('SELECT 1 FROM subscriptions WHERE tenant_id = $1 AND id = $2', [tx.tenantId, id]);
    if (exists.length === 0) throw AppError.notFound('object.subscription');
    const rows = await tx.query<{
      id: string;
      at: Date;
      user_id: string | null;
      user_name: string | null;
      kind: string;
      before: unknown;
      after: unknown;
    }>(
      `SELECT e.id, e.at, e.user_id, u.name AS user_name, e.kind, e.before, e.after
         FROM subscription_events e LEFT JOIN users u ON u.tenant_id = e.tenant_id AND u.id = e.user_id
        WHERE e.tenant_id = $1 AND e.subscription_id = $2
        ORDER BY e.seq DESC LIMIT 500`,
      [tx.tenantId, id],
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        at: r.at.toISOString(),
        userId: r.user_id,
        userName: r.user_name,
        kind: r.kind,
        before: r.before,
        after: r.after,
      })),
    };
  });
}
