// Rank computation, set-based: one statement ranks a batch of customers (5,000 by default)
// against the tenant's rules, reading customer_stats and the per-day purchase sums. Three ways in:
//   - processDirty: the customers marked in rank_dirty (their data changed), taken with SKIP LOCKED;
//   - recomputeAll: every customer with statistics, in keyset batches (the rank master changed);
//   - sweep: nightly, marks the customers whose rolling window or recency just passed a day.
// Each batch is its own transaction, so a tenant of 1,000,000 customers never holds long locks.
// Customers without statistics have the rank the rules give to no purchases (evaluated on read).
import type { Database, TenantTx } from '../../db/database.js';

export const BATCH = 5000;

/**
 * SELECT customer_id, rank_id for the customers that `source` (SQL yielding `customer_id`)
 * names. $1 is the tenant, $2 the Asia/Tokyo day the windows end on. Set-based: the window sums
 * are taken once per customer and distinct period (index probes: a batch never reads the whole
 * tenant), then every active rank is tried in priority order (DISTINCT ON).
 */
export function evaluateSql(source: string): string {
  return `
    WITH x AS (
      SELECT src.customer_id,
             (SELECT (s.last_purchase_at AT TIME ZONE 'Asia/Tokyo')::date FROM customer_stats s
               WHERE s.tenant_id = $1 AND s.customer_id = src.customer_id) AS last_day
        FROM (${source}) AS src),
    rules AS (SELECT * FROM ranks WHERE tenant_id = $1 AND active),
    periods AS (SELECT DISTINCT period_days FROM rules WHERE min_count IS NOT NULL OR min_amount IS NOT NULL),
    sums AS (
      SELECT x.customer_id, p.period_days, w.n, w.amount
        FROM x CROSS JOIN periods p
        CROSS JOIN LATERAL (
          SELECT sum(d.purchase_count) AS n, sum(d.purchase_amount) AS amount FROM customer_purchase_days d
           WHERE d.tenant_id = $1 AND d.customer_id = x.customer_id AND d.day > $2::date - p.period_days) AS w),
    ranked AS (
      SELECT DISTINCT ON (x.customer_id) x.customer_id, r.id AS rank_id
        FROM x CROSS JOIN rules r
        LEFT JOIN sums w ON w.customer_id = x.customer_id AND w.period_days = r.period_days
       WHERE (r.recency_days IS NULL OR x.last_day > $2::date - r.recency_days)
         AND CASE WHEN r.combine = 'all'
                  THEN (r.min_count IS NULL OR coalesce(w.n, 0) >= r.min_count)
                   AND (r.min_amount IS NULL OR coalesce(w.amount, 0) >= r.min_amount)
                  ELSE (r.min_count IS NULL AND r.min_amount IS NULL)
                    OR coalesce(w.n, 0) >= r.min_count OR coalesce(w.amount, 0) >= r.min_amount
             END
       ORDER BY x.customer_id, r.priority, r.id)
    SELECT x.customer_id, ranked.rank_id FROM x LEFT JOIN ranked ON ranked.customer_id = x.customer_id`;
}

/** Stores the evaluated ranks of the `batch` CTE where they changed. */
function storeSql(batchCte: string): string {
  return `
    WITH batch AS (${batchCte}),
    evaluated AS (${evaluateSql('SELECT customer_id FROM batch')}),
    stored AS (
      UPDATE customer_stats s SET rule_rank_id = e.rank_id, ranked_at = $3
        FROM evaluated e
       WHERE s.tenant_id = $1 AND s.customer_id = ANY (ARRAY(SELECT customer_id FROM batch))
         AND s.customer_id = e.customer_id
         AND (s.ranked_at IS NULL OR s.rule_rank_id IS DISTINCT FROM e.rank_id)
      RETURNING 1)
    SELECT (SELECT count(*) FROM batch)::int AS taken, (SELECT count(*) FROM stored)::int AS changed,
           (SELECT customer_id FROM batch ORDER BY customer_id DESC LIMIT 1) AS last`;
}

type BatchResult = { taken: number; changed: number; last: string | null };

export type ComputeResult = { customers: number; changed: number; batches: number };

/** Ranks every customer waiting in rank_dirty, a batch per transaction, until none is left. */
export async function processDirty(
  db: Database,
  tenantId: string,
  today: string,
  now: Date,
  batch = BATCH,
): Promise<ComputeResult> {
  const sql = storeSql(`
    DELETE FROM rank_dirty WHERE tenant_id = $1 AND customer_id = ANY (ARRAY(
      SELECT customer_id FROM rank_dirty WHERE tenant_id = $1 ORDER BY customer_id LIMIT $4 FOR UPDATE SKIP LOCKED))
    RETURNING customer_id`);
  const total: ComputeResult = { customers: 0, changed: 0, batches: 0 };
  for (;;) {
    const [r] = await db.withTenant(tenantId, (tx) => tx.query<BatchResult>(sql, [tenantId, today, now, batch]));
    if (!r || r.taken === 0) return total;
    total.customers += r.taken;
    total.changed += r.changed;
    total.batches++;
    if (r.taken < batch) return total;
  }
}

/** Ranks every customer with statistics again (the rank master changed), in keyset batches. */
export async function recomputeAll(
  db: Database,
  tenantId: string,
  today: string,
  now: Date,
  batch = BATCH,
): Promise<ComputeResult> {
  const sql = storeSql(`
    SELECT customer_id FROM customer_stats
     WHERE tenant_id = $1 AND ($5::uuid IS NULL OR customer_id > $5)
     ORDER BY customer_id LIMIT $4`);
  const total: ComputeResult = { customers: 0, changed: 0, batches: 0 };
  let after: string | null = null;
  for (;;) {
    const from: string | null = after;
    const rows: BatchResult[] = await db.withTenant(tenantId, (tx) =>
      tx.query<BatchResult>(sql, [tenantId, today, now, batch, from]),
    );
    const r = rows[0];
    if (!r || r.taken === 0) return total;
    total.customers += r.taken;
    total.changed += r.changed;
    total.batches++;
    if (r.taken < batch || !r.last) return total;
    after = r.last;
  }
}

/**
 * Marks the customers whose rank may have changed with the passing of days since the last sweep
 * (at most `today`): a purchase day left a rule's window, or a last purchase passed a recency
 * limit. Answers how many were marked. A first sweep covers yesterday to today.
 */
export async function sweep(db: Database, tenantId: string, today: string): Promise<number> {
  return db.withTenant(tenantId, async (tx: TenantTx) => {
    const [state] = await tx.query<{ swept_on: string }>(
      'SELECT swept_on::text AS swept_on FROM rank_sweeps WHERE tenant_id = $1 FOR UPDATE',
      [tenantId],
    );
    const from = state?.swept_on ?? null;
    if (from !== null && from >= today) return 0;
    const [marked] = await tx.query<{ n: number }>(
      `WITH f AS (SELECT coalesce($2::date, $3::date - 1) AS d),
       windows AS (SELECT DISTINCT period_days AS p FROM ranks
                    WHERE tenant_id = $1 AND active AND (min_count IS NOT NULL OR min_amount IS NOT NULL)),
       recencies AS (SELECT DISTINCT recency_days AS r FROM ranks WHERE tenant_id = $1 AND active AND recency_days IS NOT NULL),
       candidates AS (
         SELECT d.customer_id FROM customer_purchase_days d, windows w, f
          WHERE d.tenant_id = $1 AND d.day > f.d - w.p AND d.day <= $3::date - w.p
         UNION
         SELECT s.customer_id FROM customer_stats s, recencies c, f
          WHERE s.tenant_id = $1
            AND s.last_purchase_at >= ((f.d - c.r + 1)::timestamp AT TIME ZONE 'Asia/Tokyo')
            AND s.last_purchase_at < (($3::date - c.r + 1)::timestamp AT TIME ZONE 'Asia/Tokyo')),
       ins AS (
         INSERT INTO rank_dirty (tenant_id, customer_id) SELECT $1, customer_id FROM candidates
         ON CONFLICT (tenant_id, customer_id) DO NOTHING RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      [tenantId, from, today],
    );
    await tx.query(
      `INSERT INTO rank_sweeps (tenant_id, swept_on) VALUES ($1, $2)
       ON CONFLICT (tenant_id) DO UPDATE SET swept_on = EXCLUDED.swept_on`,
      [tenantId, today],
    );
    return marked?.n ?? 0;
  });
}

/** The rule rank of each given customer as the rules say today (no store): the read path. */
export async function evaluateNow(
  tx: TenantTx,
  customerIds: string[],
  today: string,
): Promise<Map<string, string | null>> {
  const rows = await tx.query<{ customer_id: string; rank_id: string | null }>(
    evaluateSql('SELECT unnest($3::uuid[]) AS customer_id'),
    [tx.tenantId, today, customerIds],
  );
  return new Map(rows.map((r) => [r.customer_id, r.rank_id]));
}
