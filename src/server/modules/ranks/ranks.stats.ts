// Customer statistics, fed by the orders module (a later issue) inside the order's transaction:
//
//   import { recordPurchase, reversePurchase } from '../ranks/ranks.stats.js';
//   await recordPurchase(tx, order.customerId, order.total, order.orderedAt);   // an order counts
//   await reversePurchase(tx, order.customerId, order.total, order.orderedAt);  // cancelled/returned
//
// `amount` is integer yen, `at` the purchase's time (its Asia/Tokyo day is the day it counts on;
// a reversal names the same `at` as the purchase it reverses). Both mark the customer for the rank
// job in the same transaction: the rank follows within a minute of the commit. Call them with an
// active (not merged) customer of the transaction's tenant; anything else is a foreign-key error.
import { prepared, type TenantTx } from '../../db/database.js';

function checkAmount(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount < 0)
    throw new Error('purchase amount must be a non-negative integer (yen)');
}

export async function recordPurchase(tx: TenantTx, customerId: string, amount: number, at: Date): Promise<void> {
  await recordPurchases(tx, [{ customerId, amount, at }]);
}

/** recordPurchase for many purchases in three statements (a batch of generated orders). */
export async function recordPurchases(
  tx: TenantTx,
  purchases: { customerId: string; amount: number; at: Date }[],
): Promise<void> {
  if (purchases.length === 0) return;
  for (const p of purchases) checkAmount(p.amount);
  const rows = JSON.stringify(
    purchases.map((p) => ({ customer_id: p.customerId, amount: p.amount, at: p.at.toISOString() })),
  );
  // Rows in customer order: two transactions writing the same customers lock them in one order.
  await tx.query(
    prepared(`WITH items AS (
       SELECT x.customer_id, x.amount, x.at, (x.at AT TIME ZONE 'Asia/Tokyo')::date AS day
         FROM jsonb_to_recordset($2::jsonb) AS x(customer_id uuid, amount bigint, at timestamptz)),
     days AS (
       INSERT INTO customer_purchase_days AS d (tenant_id, customer_id, day, purchase_count, purchase_amount, last_at)
       SELECT $1, customer_id, day, count(*), sum(amount), max(at) FROM items GROUP BY customer_id, day
       ORDER BY customer_id, day
       ON CONFLICT (tenant_id, customer_id, day) DO UPDATE
         SET purchase_count = d.purchase_count + EXCLUDED.purchase_count,
             purchase_amount = d.purchase_amount + EXCLUDED.purchase_amount,
             last_at = greatest(d.last_at, EXCLUDED.last_at)
       RETURNING 1),
     stats AS (
       INSERT INTO customer_stats AS s (tenant_id, customer_id, purchase_count, purchase_amount, first_purchase_at, last_purchase_at)
       SELECT $1, customer_id, count(*), sum(amount), min(at), max(at) FROM items GROUP BY customer_id
       ORDER BY customer_id
       ON CONFLICT (tenant_id, customer_id) DO UPDATE
         SET purchase_count = s.purchase_count + EXCLUDED.purchase_count,
             purchase_amount = s.purchase_amount + EXCLUDED.purchase_amount,
             first_purchase_at = least(s.first_purchase_at, EXCLUDED.first_purchase_at),
             last_purchase_at = greatest(s.last_purchase_at, EXCLUDED.last_purchase_at), updated_at = now()
       RETURNING 1)
     INSERT INTO rank_dirty (tenant_id, customer_id) SELECT DISTINCT $1::uuid, customer_id FROM items ORDER BY 2
     ON CONFLICT (tenant_id, customer_id) DO NOTHING`),
    [tx.tenantId, rows],
  );
}

/** Undoes one recordPurchase (same customer, amount and `at`). Counts never go below zero. */
export async function reversePurchase(tx: TenantTx, customerId: string, amount: number, at: Date): Promise<void> {
  checkAmount(amount);
  const day = `($3::timestamptz AT TIME ZONE 'Asia/Tokyo')::date`;
  await tx.query(
    `UPDATE customer_purchase_days
        SET purchase_count = greatest(purchase_count - 1, 0), purchase_amount = greatest(purchase_amount - $4, 0)
      WHERE tenant_id = $1 AND customer_id = $2 AND day = ${day}`,
    [tx.tenantId, customerId, at, amount],
  );
  await tx.query(
    `DELETE FROM customer_purchase_days
      WHERE tenant_id = $1 AND customer_id = $2 AND day = ${day} AND purchase_count = 0`,
    [tx.tenantId, customerId, at],
  );
  // The last purchase is the latest day still holding one (its latest time); none left → null.
  await tx.query(
    `WITH latest AS (
       SELECT max(last_at) AS at FROM customer_purchase_days WHERE tenant_id = $1 AND customer_id = $2),
     stats AS (
       UPDATE customer_stats s
          SET purchase_count = greatest(s.purchase_count - 1, 0), purchase_amount = greatest(s.purchase_amount - $3, 0),
              last_purchase_at = (SELECT at FROM latest),
              first_purchase_at = CASE WHEN (SELECT at FROM latest) IS NULL THEN NULL ELSE s.first_purchase_at END,
              updated_at = now()
        WHERE s.tenant_id = $1 AND s.customer_id = $2
        RETURNING 1)
     INSERT INTO rank_dirty (tenant_id, customer_id) VALUES ($1, $2) ON CONFLICT (tenant_id, customer_id) DO NOTHING`,
    [tx.tenantId, customerId, amount],
  );
}

/**
 * Merge (duplicates module): the merged customer's purchases count for the kept one. Per-day sums
 * and totals are added, the merged customer's statistics removed, the kept one marked for the
 * rank job. A manual rank moves when the kept customer has none. Answers the rows moved.
 */
export async function mergeRankData(tx: TenantTx, keepId: string, mergeId: string): Promise<number> {
  const p = [tx.tenantId, keepId, mergeId];
  const [days] = await tx.query<{ n: number }>(
    `WITH gone AS (
       DELETE FROM customer_purchase_days WHERE tenant_id = $1 AND customer_id = $3
       RETURNING day, purchase_count, purchase_amount, last_at),
     ins AS (
       INSERT INTO customer_purchase_days AS d (tenant_id, customer_id, day, purchase_count, purchase_amount, last_at)
       SELECT $1, $2, day, purchase_count, purchase_amount, last_at FROM gone
       ON CONFLICT (tenant_id, customer_id, day) DO UPDATE
         SET purchase_count = d.purchase_count + EXCLUDED.purchase_count,
             purchase_amount = d.purchase_amount + EXCLUDED.purchase_amount, last_at = greatest(d.last_at, EXCLUDED.last_at)
       RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
    p,
  );
  const [stats] = await tx.query<{ n: number }>(
    `WITH gone AS (
       DELETE FROM customer_stats WHERE tenant_id = $1 AND customer_id = $3
       RETURNING purchase_count, purchase_amount, first_purchase_at, last_purchase_at),
     ins AS (
       INSERT INTO customer_stats AS s (tenant_id, customer_id, purchase_count, purchase_amount, first_purchase_at, last_purchase_at)
       SELECT $1, $2, purchase_count, purchase_amount, first_purchase_at, last_purchase_at FROM gone
       ON CONFLICT (tenant_id, customer_id) DO UPDATE
         SET purchase_count = s.purchase_count + EXCLUDED.purchase_count,
             purchase_amount = s.purchase_amount + EXCLUDED.purchase_amount,
             first_purchase_at = least(s.first_purchase_at, EXCLUDED.first_purchase_at),
             last_purchase_at = greatest(s.last_purchase_at, EXCLUDED.last_purchase_at), updated_at = now()
       RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
    p,
  );
  const [override] = await tx.query<{ n: number }>(
    `WITH gone AS (
       DELETE FROM customer_rank_overrides WHERE tenant_id = $1 AND customer_id = $3
       RETURNING rank_id, reason, set_by, set_at),
     ins AS (
       INSERT INTO customer_rank_overrides (tenant_id, customer_id, rank_id, reason, set_by, set_at)
       SELECT $1, $2, rank_id, reason, set_by, set_at FROM gone
       ON CONFLICT (tenant_id, customer_id) DO NOTHING
       RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
    p,
  );
  await tx.query('DELETE FROM rank_dirty WHERE tenant_id = $1 AND customer_id = $2', [tx.tenantId, mergeId]);
  await tx.query(
    'INSERT INTO rank_dirty (tenant_id, customer_id) VALUES ($1, $2) ON CONFLICT (tenant_id, customer_id) DO NOTHING',
    [tx.tenantId, keepId],
  );
  return (days?.n ?? 0) + (stats?.n ?? 0) + (override?.n ?? 0);
}
