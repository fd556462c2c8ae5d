// A customer's rank: the manual one when set (with its reason), else the rule rank the job stored
// (or, for a customer the job never ranked, what the rules give on this read), with the stats.
import { tokyoDate } from '../../../shared/calendar.js';
import type { Database, TenantTx } from '../../db/database.js';
import { type Actor, audit } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors.js';
import { evaluateNow } from './ranks.compute.js';
import type { CustomerRank } from './ranks.schema.js';

type Ctx = { tenantId: string; actor: Actor; now: Date };
type RankRef = { id: string; name: string; color: string | null };

type Row = {
  purchase_count: number | null;
  purchase_amount: number | null;
  first_purchase_at: Date | null;
  last_purchase_at: Date | null;
  rule_rank_id: string | null;
  ranked_at: Date | null;
  manual_rank_id: string | null;
  manual_reason: string | null;
  manual_set_by: string | null;
  manual_set_at: Date | null;
  pending: boolean;
};

/** 404 unless the customer is one of the tenant's (and not merged); writers keep a key-share lock. */
async function mustFindCustomer(tx: TenantTx, customerId: string, lock: boolean): Promise<void> {
  const rows = await tx.query(
    `SELECT 1 FROM customers WHERE tenant_id = $1 AND id = $2${lock ? ' FOR KEY SHARE' : ''}`,
    [tx.tenantId, customerId],
  );
  if (rows.length === 0) throw AppError.notFound('object.customer');
}

async function rankRefs(tx: TenantTx, ids: (string | null)[]): Promise<Map<string, RankRef>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await tx.query<RankRef>(
    'SELECT id, name, color FROM ranks WHERE tenant_id = $1 AND id = ANY($2::uuid[])',
    [tx.tenantId, wanted],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

async function readRank(tx: TenantTx, customerId: string, now: Date): Promise<CustomerRank> {
  await mustFindCustomer(tx, customerId, false);
  const [row] = await tx.query<Row>(
    `SELECT s.purchase_count, s.purchase_amount, s.first_purchase_at, s.last_purchase_at, s.rule_rank_id, s.ranked_at,
            o.rank_id AS manual_rank_id, o.reason AS manual_reason, o.set_by AS manual_set_by, o.set_at AS manual_set_at,
            EXISTS (SELECT 1 FROM rank_dirty d WHERE d.tenant_id = $1 AND d.customer_id = $2) AS pending
       FROM (SELECT 1) AS one
       LEFT JOIN customer_stats s ON s.tenant_id = $1 AND s.customer_id = $2
       LEFT JOIN customer_rank_overrides o ON o.tenant_id = $1 AND o.customer_id = $2`,
    [tx.tenantId, customerId],
  );
  if (!row) throw new Error('customer rank: no row');
  const stored = row.ranked_at !== null;
  const ruleRankId = stored
    ? row.rule_rank_id
    : ((await evaluateNow(tx, [customerId], tokyoDate(now))).get(customerId) ?? null);
  const refs = await rankRefs(tx, [ruleRankId, row.manual_rank_id]);
  const ruleRank = ruleRankId ? (refs.get(ruleRankId) ?? null) : null;
  const manualRank = row.manual_rank_id ? (refs.get(row.manual_rank_id) ?? null) : null;
  const manual =
    manualRank && row.manual_reason !== null && row.manual_set_at
      ? {
          rank: manualRank,
          reason: row.manual_reason,
          setBy: row.manual_set_by,
          setAt: row.manual_set_at.toISOString(),
        }
      : null;
  return {
    customerId,
    rank: manual ? manual.rank : ruleRank,
    source: manual ? 'manual' : 'rule',
    reason: manual?.reason ?? null,
    ruleRank,
    manual,
    stats: {
      purchaseCount: row.purchase_count ?? 0,
      purchaseAmount: Number(row.purchase_amount ?? 0),
      firstPurchaseAt: row.first_purchase_at?.toISOString() ?? null,
      lastPurchaseAt: row.last_purchase_at?.toISOString() ?? null,
    },
    rankedAt: row.ranked_at?.toISOString() ?? null,
    pending: row.pending,
  };
}

export async function getCustomerRank(
  db: Database,
  ctx: Omit<Ctx, 'actor'>,
  customerId: string,
): Promise<CustomerRank> {
  return db.withTenant(ctx.tenantId, (tx) => readRank(tx, customerId, ctx.now));
}

/** Sets the rank by hand with a reason (kept on the override; the audit names the rank only). */
export async function setOverride(
  db: Database,
  ctx: Ctx,
  customerId: string,
  input: { rankId: string; reason: string },
): Promise<CustomerRank> {
  return db.withTenant(ctx.tenantId, async (tx) => {
    await mustFindCustomer(tx, customerId, true);
    const rank = await tx.query('SELECT 1 FROM ranks WHERE tenant_id = $1 AND id = $2', [tx.tenantId, input.rankId]);
    if (rank.length === 0) throw AppError.field(400, 'validation', 'rankId', 'ranks.not_found');
    await tx.query(
      `INSERT INTO customer_rank_overrides (tenant_id, customer_id, rank_id, reason, set_by, set_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tenant_id, customer_id) DO UPDATE
         SET rank_id = EXCLUDED.rank_id, reason = EXCLUDED.reason, set_by = EXCLUDED.set_by, set_at = EXCLUDED.set_at`,
      [tx.tenantId, customerId, input.rankId, input.reason, ctx.actor.id, ctx.now],
    );
    await audit(tx, ctx.actor, {
      action: 'customer.rank.set',
      objectType: 'customer',
      objectId: customerId,
      detail: { rankId: input.rankId },
    });
    return readRank(tx, customerId, ctx.now);
  });
}

/** Back to the rule rank; idempotent, audited when an override was removed. */
export async function clearOverride(db: Database, ctx: Ctx, customerId: string): Promise<void> {
  await db.withTenant(ctx.tenantId, async (tx) => {
    await mustFindCustomer(tx, customerId, true);
    const gone = await tx.query<{ rank_id: string }>(
      'DELETE FROM customer_rank_overrides WHERE tenant_id = $1 AND customer_id = $2 RETURNING rank_id',
      [tx.tenantId, customerId],
    );
    if (gone.length > 0) {
      await audit(tx, ctx.actor, {
        action: 'customer.rank.clear',
        objectType: 'customer',
        objectId: customerId,
        detail: { rankId: gone[0]?.rank_id },
      });
    }
  });
}
