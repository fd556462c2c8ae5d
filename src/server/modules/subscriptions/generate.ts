// Generation of 定期 deliveries, exactly once.
//
// A delivery is due on day D when its date minus the tenant's lead days is on or before D.
// Each delivery is made in its own transaction that (1) locks the subscription row (FOR UPDATE
// SKIP LOCKED: a concurrent generator leaves it to whoever holds it), (2) re-reads whether it is
// still due, (3) creates the order with subscription_delivery_date = that delivery's date, and
// (4) advances the subscription to its next delivery. The unique index
// orders_subscription_delivery_key forbids a second order for the same delivery whatever happens;
// because (3) and (4) commit together, a run killed at any point leaves each delivery either made
// and advanced, or neither — the next run picks up exactly where it stopped. Nothing is skipped:
// a subscription that is several deliveries behind (downtime) gets each of them, oldest first,
// flagged late when its ship date has passed.
// A delivery that cannot be made (product discontinued, stock, payment) rolls back to a savepoint
// and lands in subscription_exceptions; the run goes on with the others, and every later run
// retries it until it succeeds or an operator skips the delivery or resolves the exception.

import { isBusinessDay } from '../../../shared/calendar.js';
import { addDays, deliveryDate } from '../../../shared/subscriptions/schedule.js';
import type { Database, TenantTx } from '../../db/database.js';
import { type Actor, SYSTEM_ACTOR } from '../../platform/audit/audit.js';
import { AppError, toProblem } from '../../platform/errors.js';
import { getOrderSettings } from '../../platform/tenants/tenants.service.js';
import { createOrder } from '../orders/orders.service.js';
import { cycleOf, type SubscriptionRow, selectSubscription } from './subscriptions.service.js';

export type GenerateResult = {
  date: string;
  tenants: number;
  generated: number;
  late: number;
  exceptions: number;
  orders: { subscriptionId: string; deliveryDate: string; orderId: string; orderNumber: number; late: boolean }[];
};

const BATCH = 200;

/** The tenants with deliveries due on or before `until` (read as the owner through a narrow function). */
async function tenantsWithWork(db: Database, until: string): Promise<string[]> {
  const rows = await db.owner.query<{ tenant_id: string }>('SELECT tenant_id FROM subscription_job_tenants($1::date)', [
    until,
  ]);
  return rows.map((r) => r.tenant_id);
}

const DUE = `s.tenant_id = $1 AND s.next_delivery_date <= $2::date
  AND (s.status = 'active' OR (s.status = 'paused' AND s.paused_until IS NOT NULL AND s.next_delivery_date >= s.paused_until))`;

/**
 * Makes every delivery due on `date` (YYYY-MM-DD, Asia/Tokyo) for one tenant or all, and returns
 * what it made. Safe to run at any time, as often and as concurrently as you like.
 */
export async function generateDue(
  db: Database,
  opts: { date: string; now: Date; tenantId?: string; actor?: Actor },
): Promise<GenerateResult> {
  const result: GenerateResult = { date: opts.date, tenants: 0, generated: 0, late: 0, exceptions: 0, orders: [] };
  // Lead days are at most 60 (settings): a tenant can only have work before date + 60.
  const tenants = opts.tenantId ? [opts.tenantId] : await tenantsWithWork(db, addDays(opts.date, 60));
  for (const tenantId of tenants) {
    result.tenants++;
    const leadDays = await db.withTenant(tenantId, async (tx) => (await getOrderSettings(tx)).subscriptions.leadDays);
    const until = addDays(opts.date, leadDays);
    let afterId = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const ids = await db.withTenant(tenantId, (tx) =>
        tx.query<{ id: string }>(
          `SELECT s.id FROM subscriptions s WHERE ${DUE} AND s.id > $3 ORDER BY s.id LIMIT ${BATCH}`,
          [tenantId, until, afterId],
        ),
      );
      if (ids.length === 0) break;
      for (const { id } of ids) {
        // One transaction per delivery; repeat while this subscription still has one due.
        for (let guard = 0; guard < 1000; guard++) {
          const outcome = await db.withTenant(tenantId, (tx) => generateOne(tx, id, until, opts));
          if (outcome.kind === 'generated') {
            result.generated++;
            if (outcome.late) result.late++;
            result.orders.push({
              subscriptionId: id,
              deliveryDate: outcome.deliveryDate,
              orderId: outcome.orderId,
              orderNumber: outcome.orderNumber,
              late: outcome.late,
            });
            continue;
          }
          if (outcome.kind === 'exception') result.exceptions++;
          break;
        }
      }
      afterId = ids[ids.length - 1]?.id ?? afterId;
    }
  }
  return result;
}

type Outcome =
  | { kind: 'generated'; deliveryDate: string; orderId: string; orderNumber: number; late: boolean }
  | { kind: 'exception' }
  | { kind: 'not_due' };

async function generateOne(
  tx: TenantTx,
  id: string,
  until: string,
  opts: { date: string; now: Date; actor?: Actor },
): Promise<Outcome> {
  const locked = await tx.query<{ id: string }>(
    `SELECT s.id FROM subscriptions s WHERE ${DUE} AND s.id = $3 FOR UPDATE SKIP LOCKED`,
    [tx.tenantId, until, id],
  );
  if (locked.length === 0) return { kind: 'not_due' };
  const row = (await selectSubscription(tx, id)) as SubscriptionRow;
  const delivery = row.next_delivery_date as string;
  const seq = row.deliveries_made + 1;
  const actor = opts.actor ?? SYSTEM_ACTOR;

  await tx.query('SAVEPOINT delivery');
  let order: { id: string; number: number; shipDate: string };
  let late = false;
  try {
    const made = await placeDeliveryOrder(tx, row, { delivery, seq, today: opts.date, now: opts.now, actor });
    order = made.order;
    late = made.late;
  } catch (err) {
    await tx.query('ROLLBACK TO SAVEPOINT delivery');
    if (
      (err as { code?: string }).code === '23505' &&
      String((err as Error).message).includes('orders_subscription_delivery_key')
    ) {
      // Made by an earlier run that then lost its advance? Impossible in one transaction, but if an
      // order for this delivery exists, it is the delivery: advance without a second order.
      const [existing] = await tx.query<{ id: string; number: string; ship_date: string }>(
        `SELECT id, number, ship_date::text FROM orders WHERE tenant_id = $1 AND subscription_id = $2 AND subscription_delivery_date = $3`,
        [tx.tenantId, id, delivery],
      );
      if (!existing) throw err;
      order = { id: existing.id, number: Number(existing.number), shipDate: existing.ship_date };
    } else {
      const { code, message } = describe(err);
      await tx.query(
        `INSERT INTO subscription_exceptions AS x (tenant_id, subscription_id, delivery_date, code, message, first_at, last_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)
         ON CONFLICT (tenant_id, subscription_id, delivery_date) WHERE resolved_at IS NULL
         DO UPDATE SET attempts = x.attempts + 1, code = EXCLUDED.code, message = EXCLUDED.message, last_at = EXCLUDED.last_at`,
        [tx.tenantId, id, delivery, code, message, opts.now],
      );
      return { kind: 'exception' };
    }
  }
  await tx.query('RELEASE SAVEPOINT delivery');

  const cycle = cycleOf(row);
  const next = deliveryDate(row.anchor_date, cycle, row.next_n + 1);
  await tx.query(
    `UPDATE subscriptions
        SET next_n = next_n + 1, next_override_date = NULL, next_delivery_date = $3, deliveries_made = deliveries_made + 1,
            status = CASE WHEN status = 'paused' THEN 'active' ELSE status END,
            paused_until = CASE WHEN status = 'paused' THEN NULL ELSE paused_until END,
            version = version + 1, updated_at = now()
      WHERE tenant_id = $1 AND id = $2`,
    [tx.tenantId, id, next],
  );
  await tx.query(
    `UPDATE subscription_exceptions SET resolved_at = $4
      WHERE tenant_id = $1 AND subscription_id = $2 AND delivery_date = $3 AND resolved_at IS NULL`,
    [tx.tenantId, id, delivery, opts.now],
  );
  await tx.query(
    `INSERT INTO subscription_events (tenant_id, subscription_id, at, user_id, kind, before, after)
     VALUES ($1, $2, $3, NULL, 'generated', $4, $5)`,
    [
      tx.tenantId,
      id,
      opts.now,
      JSON.stringify({ nextDeliveryDate: delivery, seq }),
      JSON.stringify({
        orderId: order.id,
        orderNumber: order.number,
        shipDate: order.shipDate,
        late,
        nextDeliveryDate: next,
      }),
    ],
  );
  return { kind: 'generated', deliveryDate: delivery, orderId: order.id, orderNumber: order.number, late };
}

function describe(err: unknown): { code: string; message: string } {
  if (err instanceof AppError) {
    const problem = toProblem(err, 'ja');
    const field = problem.errors?.[0];
    return { code: field?.code ?? err.code, message: field ? `${field.path}: ${field.message}` : problem.detail };
  }
  return { code: 'error', message: err instanceof Error ? err.message.slice(0, 500) : 'unknown error' };
}

/** The latest business day on or before `date`. */
export function businessDayOnOrBefore(date: string, closing: ReadonlySet<string>): string {
  let d = date;
  while (!isBusinessDay(d, closing)) d = addDays(d, -1);
  return d;
}

/** The earliest business day on or after `date`. */
function businessDayOnOrAfter(date: string, closing: ReadonlySet<string>): string {
  let d = date;
  while (!isBusinessDay(d, closing)) d = addDays(d, 1);
  return d;
}

/**
 * The order of one delivery: the subscription's lines at the first-delivery price for delivery 1
 * (products.first_price) and the regular price after, the nth-delivery presents, shipped so as to
 * arrive on the delivery date (ship date counted back over the carrier's transit days and
 * non-business days); late when that ship date has already passed.
 */
async function placeDeliveryOrder(
  tx: TenantTx,
  row: SubscriptionRow,
  v: { delivery: string; seq: number; today: string; now: Date; actor: Actor },
): Promise<{ order: { id: string; number: number; shipDate: string }; late: boolean }> {
  const lines = await tx.query<{ product_id: string; quantity: number; first_price: number | null }>(
    `SELECT l.product_id, l.quantity, p.first_price
       FROM subscription_lines l JOIN products p ON p.tenant_id = l.tenant_id AND p.id = l.product_id
      WHERE l.tenant_id = $1 AND l.subscription_id = $2 ORDER BY l.line_no`,
    [tx.tenantId, row.id],
  );
  const presents = await tx.query<{ present_product_id: string; quantity: number }>(
    `SELECT pp.present_product_id, sum(pp.quantity)::int AS quantity
       FROM product_delivery_presents pp
      WHERE pp.tenant_id = $1 AND pp.delivery_seq = $2
        AND pp.product_id IN (SELECT product_id FROM subscription_lines WHERE tenant_id = $1 AND subscription_id = $3)
      GROUP BY pp.present_product_id ORDER BY pp.present_product_id`,
    [tx.tenantId, v.seq, row.id],
  );
  const transit = await transitDays(tx, row);
  const closing = await closingDays(tx, addDays(v.delivery, -40), addDays(v.delivery, 40));
  let shipDate = businessDayOnOrBefore(addDays(v.delivery, -transit), closing);
  const late = shipDate < v.today;
  if (late) shipDate = businessDayOnOrAfter(v.today, closing);
  const order = await createOrder(
    tx,
    { tenantId: tx.tenantId, actor: v.actor, now: v.now },
    {
      customerId: row.customer_id,
      kind: 'subscription',
      channel: 'subscription',
      subscriptionId: row.id,
      subscriptionDeliveryDate: v.delivery,
      subscriptionDeliverySeq: v.seq,
      lines: lines.map((l) => ({
        productId: l.product_id,
        quantity: l.quantity,
        ...(v.seq === 1 && l.first_price !== null ? { unitPrice: l.first_price } : {}),
      })),
      presents: presents.map((p) => ({ productId: p.present_product_id, quantity: p.quantity })),
      shipDate,
      desiredDeliveryDate: late ? undefined : v.delivery,
      carrier: row.carrier,
      deliveryTimeSlot: row.time_slot ?? undefined,
      originId: row.origin_id ?? undefined,
      addressId: row.address_id ?? undefined,
      paymentMethodId: row.payment_method_id ?? undefined,
      adMediumId: row.ad_medium_id ?? undefined,
      note: late
        ? `定期 #${row.number} 第${v.seq}回 (遅延: お届け予定 ${v.delivery})`
        : `定期 #${row.number} 第${v.seq}回`,
    },
  );
  return { order: { id: order.id, number: Number(order.number), shipDate: order.shipDate }, late };
}

async function transitDays(tx: TenantTx, row: SubscriptionRow): Promise<number> {
  const [r] = await tx.query<{ days: number }>(
    `SELECT ld.days
       FROM delivery_lead_days ld,
            LATERAL (SELECT coalesce(
               (SELECT a.prefecture FROM customer_addresses a WHERE a.tenant_id = $1 AND a.id = $3),
               (SELECT c.prefecture FROM customers c WHERE c.tenant_id = $1 AND c.id = $4)) AS prefecture) dest
      WHERE ld.tenant_id = $1 AND ld.carrier = $2 AND ld.prefecture = dest.prefecture
        AND (ld.origin_id IS NULL OR ld.origin_id = $5)
      ORDER BY (ld.origin_id IS NULL) LIMIT 1`,
    [tx.tenantId, row.carrier, row.address_id, row.customer_id, row.origin_id],
  );
  return r?.days ?? 1;
}

async function closingDays(tx: TenantTx, from: string, to: string): Promise<Set<string>> {
  const rows = await tx.query<{ date: string }>(
    'SELECT date::text AS date FROM closing_days WHERE tenant_id = $1 AND date BETWEEN $2 AND $3',
    [tx.tenantId, from, to],
  );
  return new Set(rows.map((r) => r.date));
}

export async function listExceptions(db: Database, ctx: { tenantId: string }) {
  return db.withTenant(ctx.tenantId, async (tx) => {
    const rows = await tx.query<{
      id: string;
      subscription_id: string;
      number: string;
      customer_id: string;
      customer_name: string;
      delivery_date: string;
      code: string;
      message: string;
      attempts: number;
      first_at: Date;
      last_at: Date;
    }>(
      `SELECT x.id, x.subscription_id, s.number, s.customer_id, c.name AS customer_name, x.delivery_date::text, x.code,
              x.message, x.attempts, x.first_at, x.last_at
         FROM subscription_exceptions x
         JOIN subscriptions s ON s.tenant_id = x.tenant_id AND s.id = x.subscription_id
         JOIN customers c ON c.tenant_id = s.tenant_id AND c.id = s.customer_id
        WHERE x.tenant_id = $1 AND x.resolved_at IS NULL
        ORDER BY x.last_at DESC, x.id LIMIT 500`,
      [tx.tenantId],
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        subscriptionId: r.subscription_id,
        subscriptionNumber: Number(r.number),
        customerId: r.customer_id,
        customerName: r.customer_name,
        deliveryDate: r.delivery_date,
        code: r.code,
        message: r.message,
        attempts: r.attempts,
        firstAt: r.first_at.toISOString(),
        lastAt: r.last_at.toISOString(),
      })),
    };
  });
}

export async function resolveException(db: Database, ctx: { tenantId: string; now: Date }, id: string): Promise<void> {
  await db.withTenant(ctx.tenantId, async (tx) => {
    const rows = await tx.query(
      'UPDATE subscription_exceptions SET resolved_at = $3 WHERE tenant_id = $1 AND id = $2 AND resolved_at IS NULL RETURNING id',
      [tx.tenantId, id, ctx.now],
    );
    if (rows.length === 0) throw AppError.notFound();
  });
}
