// Generation of 定期 deliveries, exactly once.
//
// A delivery is due on day D when its date minus the tenant's lead days is on or before D.
// Deliveries are made in batches (BATCH per transaction). A batch (1) locks its due subscriptions
// (FOR UPDATE SKIP LOCKED: a concurrent generator takes other rows, never the same), (2) prices
// and writes each one's next delivery as an order (createOrders: the masters read once, the rows
// written in a fixed number of statements) with subscription_delivery_date = that delivery's date,
// and (3) advances those subscriptions — in one transaction. The unique index
// orders_subscription_delivery_key forbids a second order for the same delivery whatever happens;
// because (2) and (3) commit together, a run killed at any point leaves every delivery either made
// and advanced, or neither, and the next run picks up where it stopped. Nothing is skipped: a
// subscription several deliveries behind (downtime) gets each of them, oldest first, in turn, the
// late ones (ship date already passed) shipping on the first business day and flagged.
// A delivery that cannot be made (product off sale, short stock, …) is left out of its batch and
// lands in subscription_exceptions; the others go on, and every later run retries it until it
// succeeds or an operator skips the delivery. A batch that fails as a whole (an unexpected error)
// is redone one subscription per transaction, so one bad row cannot hold the others back.
import { addDays, deliveryDate } from '../../../shared/subscriptions/schedule.js';
import type { Database, TenantTx } from '../../db/database.js';
import { type Actor, SYSTEM_ACTOR } from '../../platform/audit/audit.js';
import { AppError, toProblem } from '../../platform/errors.js';
import { getOrderSettings } from '../../platform/tenants/tenants.service.js';
import type { OrderInput } from '../orders/orders.pricing.js';
import { type BatchResult, createOrders } from '../orders/orders.service.js';
import { cycleOf, type ScheduleColumns, type SubscriptionRow } from './subscriptions.service.js';

export type GenerateResult = {
  date: string;
  tenants: number;
  generated: number;
  late: number;
  exceptions: number;
  orders: { subscriptionId: string; deliveryDate: string; orderId: string; orderNumber: number; late: boolean }[];
};

/** Deliveries made per transaction. */
const BATCH = 500;
/** Transactions at once on a server database (PGlite runs one at a time anyway). */
const WORKERS = 2;

/** The tenants with deliveries due on or before `until` (read as the owner through a narrow function). */
async function tenantsWithWork(db: Database, until: string): Promise<string[]> {
  const rows = await db.owner.query<{ tenant_id: string }>('SELECT tenant_id FROM subscription_job_tenants($1::date)', [
    until,
  ]);
  return rows.map((r) => r.tenant_id);
}

const DUE = `s.tenant_id = $1 AND s.next_delivery_date <= $2::date
  AND (s.status = 'active' OR (s.status = 'paused' AND s.paused_until IS NOT NULL AND s.next_delivery_date >= s.paused_until))`;

/** What a delivery needs of its subscription (no joins: the order's pricing reads the rest). */
const DUE_COLUMNS = `s.id, s.number, s.customer_id, s.cycle_every, s.cycle_unit, s.cycle_day_of_month, s.cycle_nth,
  s.cycle_weekday, s.anchor_date::text, s.next_n, s.next_delivery_date::text, s.deliveries_made, s.carrier, s.time_slot,
  s.origin_id, s.address_id, s.payment_method_id, s.ad_medium_id`;
type DueRow = Pick<
  SubscriptionRow,
  | ScheduleColumns
  | 'id'
  | 'number'
  | 'customer_id'
  | 'carrier'
  | 'time_slot'
  | 'origin_id'
  | 'address_id'
  | 'payment_method_id'
  | 'ad_medium_id'
>;

type RunOpts = { date: string; now: Date; tenantId?: string; actor?: Actor };

/**
 * Makes every delivery due on `date` (YYYY-MM-DD, Asia/Tokyo) for one tenant or all, and returns
 * what it made. Safe to run at any time, as often and as concurrently as you like.
 */
export async function generateDue(db: Database, opts: RunOpts): Promise<GenerateResult> {
  const result: GenerateResult = { date: opts.date, tenants: 0, generated: 0, late: 0, exceptions: 0, orders: [] };
  // Lead days are at most 60 (settings): a tenant can only have work before date + 60.
  const tenants = opts.tenantId ? [opts.tenantId] : await tenantsWithWork(db, addDays(opts.date, 60));
  for (const tenantId of tenants) {
    result.tenants++;
    const leadDays = await db.withTenant(tenantId, async (tx) => (await getOrderSettings(tx)).subscriptions.leadDays);
    const until = addDays(opts.date, leadDays);
    // Subscriptions whose delivery failed in this run are not retried in it (the next run will).
    const failed = new Set<string>();
    // WORKERS batches at a time, each in its own transaction and connection: SKIP LOCKED gives
    // them disjoint subscriptions, and PostgreSQL uses a core per connection.
    const worker = async () => {
      for (;;) {
        let batch: Awaited<ReturnType<typeof generateBatch>>;
        try {
          batch = await db.withTenant(tenantId, (tx) => generateBatch(tx, until, failed, BATCH, opts));
        } catch (err) {
          // Not a delivery's own problem (those are answered per delivery): make this batch's
          // deliveries one by one, so that one bad row cannot hold the others back.
          batch = await oneByOne(db, tenantId, until, failed, opts, err);
        }
        if (batch.count === 0) return;
        for (const r of batch.results) {
          if (r.ok) {
            result.generated++;
            if (r.late) result.late++;
            result.orders.push({
              subscriptionId: r.subscriptionId,
              deliveryDate: r.deliveryDate,
              orderId: r.orderId,
              orderNumber: r.orderNumber,
              late: r.late,
            });
          } else {
            result.exceptions++;
            failed.add(r.subscriptionId);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: db.kind === 'pg' ? WORKERS : 1 }, worker));
  }
  return result;
}

type DeliveryResult =
  | { ok: true; subscriptionId: string; deliveryDate: string; orderId: string; orderNumber: number; late: boolean }
  | { ok: false; subscriptionId: string };

async function oneByOne(
  db: Database,
  tenantId: string,
  until: string,
  failed: Set<string>,
  opts: RunOpts,
  cause: unknown,
) {
  const results: DeliveryResult[] = [];
  const ids = await db.withTenant(tenantId, (tx) =>
    tx.query<{ id: string }>(
      `SELECT s.id FROM subscriptions s WHERE ${DUE} AND NOT (s.id = ANY($3::uuid[])) ORDER BY s.next_delivery_date, s.id LIMIT $4`,
      [tenantId, until, [...failed], BATCH],
    ),
  );
  for (const { id } of ids) {
    try {
      const one = await db.withTenant(tenantId, (tx) => generateBatch(tx, until, failed, 1, opts, id));
      results.push(...one.results);
    } catch (err) {
      await db.withTenant(tenantId, async (tx) => {
        const [row] = await tx.query<{ d: string }>(
          'SELECT next_delivery_date::text AS d FROM subscriptions WHERE tenant_id = $1 AND id = $2',
          [tenantId, id],
        );
        if (row) await recordExceptions(tx, opts.now, [{ id, delivery: row.d, ...describe(err ?? cause) }]);
      });
      results.push({ ok: false, subscriptionId: id });
    }
  }
  return { count: ids.length, results };
}

/**
 * One transaction: locks up to `limit` due subscriptions (skipping rows another generator holds),
 * makes each one's next delivery, advances them, and records the deliveries it could not make.
 */
async function generateBatch(
  tx: TenantTx,
  until: string,
  failed: Set<string>,
  limit: number,
  opts: RunOpts,
  onlyId?: string,
): Promise<{ count: number; results: DeliveryResult[] }> {
  const locked = await tx.query<DueRow>(
    `SELECT ${DUE_COLUMNS} FROM subscriptions s
      WHERE ${DUE} AND NOT (s.id = ANY($3::uuid[])) AND ($4::uuid IS NULL OR s.id = $4)
      ORDER BY s.next_delivery_date, s.id LIMIT $5
      FOR UPDATE OF s SKIP LOCKED`,
    [tx.tenantId, until, [...failed], onlyId ?? null, limit],
  );
  if (locked.length === 0) return { count: 0, results: [] };
  // Another worker's batch may have failed on one of these and committed between our reading of
  // `failed` and our lock: it added the id before its commit, so the set says so now.
  const subs = locked.filter((s) => !failed.has(s.id));
  if (subs.length === 0) return { count: locked.length, results: [] };
  const ids = subs.map((s) => s.id);
  const [lines, presents] = await Promise.all([
    tx.query<{
      subscription_id: string;
      product_id: string;
      quantity: number;
      first_price: number | null;
    }>(
      `SELECT l.subscription_id, l.product_id, l.quantity, p.first_price
       FROM subscription_lines l JOIN products p ON p.tenant_id = l.tenant_id AND p.id = l.product_id
      WHERE l.tenant_id = $1 AND l.subscription_id = ANY($2::uuid[]) ORDER BY l.subscription_id, l.line_no`,
      [tx.tenantId, ids],
    ),
    tx.query<{ subscription_id: string; present_product_id: string; quantity: number }>(
      `SELECT s.id AS subscription_id, pp.present_product_id, sum(pp.quantity)::int AS quantity
       FROM subscriptions s
       JOIN subscription_lines l ON l.tenant_id = s.tenant_id AND l.subscription_id = s.id
       JOIN product_delivery_presents pp ON pp.tenant_id = l.tenant_id AND pp.product_id = l.product_id
        AND pp.delivery_seq = s.deliveries_made + 1
      WHERE s.tenant_id = $1 AND s.id = ANY($2::uuid[])
      GROUP BY s.id, pp.present_product_id ORDER BY s.id, pp.present_product_id`,
      [tx.tenantId, ids],
    ),
  ]);
  const linesOf = groupBy(lines, (l) => l.subscription_id);
  const presentsOf = groupBy(presents, (p) => p.subscription_id);
  const inputs: OrderInput[] = subs.map((row) => {
    const seq = row.deliveries_made + 1;
    return {
      customerId: row.customer_id,
      kind: 'subscription',
      channel: 'subscription',
      subscriptionId: row.id,
      subscriptionDeliveryDate: row.next_delivery_date as string,
      subscriptionDeliverySeq: seq,
      lines: (linesOf.get(row.id) ?? []).map((l) => ({
        productId: l.product_id,
        quantity: l.quantity,
        ...(seq === 1 && l.first_price !== null ? { unitPrice: l.first_price } : {}),
      })),
      presents: (presentsOf.get(row.id) ?? []).map((p) => ({ productId: p.present_product_id, quantity: p.quantity })),
      arriveBy: row.next_delivery_date as string,
      today: opts.date,
      carrier: row.carrier,
      deliveryTimeSlot: row.time_slot ?? undefined,
      originId: row.origin_id ?? undefined,
      addressId: row.address_id ?? undefined,
      paymentMethodId: row.payment_method_id ?? undefined,
      adMediumId: row.ad_medium_id ?? undefined,
      note: `定期 #${row.number} 第${seq}回`,
    };
  });
  const made = await createOrders(
    tx,
    { tenantId: tx.tenantId, actor: opts.actor ?? SYSTEM_ACTOR, now: opts.now },
    inputs,
  );

  const results: DeliveryResult[] = [];
  const advanced: { id: string; next: string; delivery: string; data: Record<string, unknown> }[] = [];
  const problems: { id: string; delivery: string; code: string; message: string }[] = [];
  subs.forEach((row, i) => {
    const r = made[i] as BatchResult;
    const delivery = row.next_delivery_date as string;
    if (!r.ok) {
      problems.push({ id: row.id, delivery, ...describe(r.error) });
      results.push({ ok: false, subscriptionId: row.id });
      return;
    }
    const next = deliveryDate(row.anchor_date, cycleOf(row), row.next_n + 1);
    advanced.push({
      id: row.id,
      next,
      delivery,
      data: {
        orderId: r.id,
        orderNumber: r.number,
        shipDate: r.shipDate,
        late: r.late,
        nextDeliveryDate: next,
        seq: row.deliveries_made + 1,
      },
    });
    results.push({
      ok: true,
      subscriptionId: row.id,
      deliveryDate: delivery,
      orderId: r.id,
      orderNumber: r.number,
      late: r.late,
    });
  });
  if (advanced.length > 0) {
    const rows = JSON.stringify(advanced.map((a) => ({ id: a.id, next: a.next, delivery: a.delivery, data: a.data })));
    // The advance, the exceptions it clears and the events: one round trip.
    await Promise.all([
      tx.query(
        `UPDATE subscriptions s
          SET next_n = s.next_n + 1, next_override_date = NULL, next_delivery_date = x.next,
              deliveries_made = s.deliveries_made + 1,
              status = CASE WHEN s.status = 'paused' THEN 'active' ELSE s.status END,
              paused_until = CASE WHEN s.status = 'paused' THEN NULL ELSE s.paused_until END,
              version = s.version + 1, updated_at = now()
         FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, next date)
        WHERE s.tenant_id = $1 AND s.id = x.id`,
        [tx.tenantId, rows],
      ),
      tx.query(
        `UPDATE subscription_exceptions e SET resolved_at = $3
         FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, delivery date)
        WHERE e.tenant_id = $1 AND e.subscription_id = x.id AND e.delivery_date = x.delivery AND e.resolved_at IS NULL`,
        [tx.tenantId, rows, opts.now],
      ),
      tx.query(
        `INSERT INTO subscription_events (tenant_id, subscription_id, at, user_id, kind, before, after)
       SELECT $1, x.id, $3, NULL, 'generated', jsonb_build_object('nextDeliveryDate', x.delivery), x.data
         FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, delivery date, data jsonb)`,
        [tx.tenantId, rows, opts.now],
      ),
    ]);
  }
  await recordExceptions(tx, opts.now, problems);
  // Before this transaction commits (and releases the locks): no other worker of the run takes
  // these deliveries again once it can lock them.
  for (const p of problems) failed.add(p.id);
  return { count: locked.length, results };
}

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const group = groups.get(k);
    if (group) group.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

async function recordExceptions(
  tx: TenantTx,
  now: Date,
  problems: { id: string; delivery: string; code: string; message: string }[],
): Promise<void> {
  if (problems.length === 0) return;
  await tx.query(
    `INSERT INTO subscription_exceptions AS x (tenant_id, subscription_id, delivery_date, code, message, first_at, last_at)
     SELECT $1, p.id, p.delivery, p.code, p.message, $3, $3 FROM jsonb_to_recordset($2::jsonb) AS p(id uuid, delivery date, code text, message text)
     ON CONFLICT (tenant_id, subscription_id, delivery_date) WHERE resolved_at IS NULL
     DO UPDATE SET attempts = x.attempts + 1, code = EXCLUDED.code, message = EXCLUDED.message, last_at = EXCLUDED.last_at`,
    [tx.tenantId, JSON.stringify(problems), now],
  );
}

function describe(err: unknown): { code: string; message: string } {
  if (err instanceof AppError) {
    const problem = toProblem(err, 'ja');
    const field = problem.errors?.[0];
    return { code: field?.code ?? err.code, message: field ? `${field.path}: ${field.message}` : problem.detail };
  }
  return { code: 'error', message: err instanceof Error ? err.message.slice(0, 500) : 'unknown error' };
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
