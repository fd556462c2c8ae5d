// The rank master: create, read, change, reorder, delete. Every change is audited and enqueues,
// in the same transaction, a recompute of every customer's rank (ranks.recompute_all).
import { z } from 'zod';
import type { Database, TenantTx } from '../../db/database.js';
import { type Actor, audit } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors.js';
import { ifMatchAccepts } from '../../platform/http/etag.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import { recomputeAllJob } from './ranks.jobs.js';
import { RANK_COLUMNS, type Rank, type RankInput, type RankRow, toRank } from './ranks.schema.js';

type Ctx = { tenantId: string; actor: Actor };
type Read = { rank: Rank; etag: string };

const read = (r: RankRow): Read => ({ rank: toRank(r), etag: `"${r.version}"` });

// Column of each input field; names come from this list only, never from the request.
const COLUMNS: Record<keyof RankInput, string> = {
  name: 'name',
  color: 'color',
  priority: 'priority',
  minCount: 'min_count',
  minAmount: 'min_amount',
  combine: 'combine',
  periodDays: 'period_days',
  recencyDays: 'recency_days',
  active: 'active',
};

function isUniqueViolation(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
}

const nameTaken = () => AppError.field(409, 'ranks.name_taken', 'name', 'ranks.name_taken');

async function mustFind(tx: TenantTx, id: string, lock = false): Promise<RankRow> {
  const [row] = await tx.query<RankRow>(
    `SELECT ${RANK_COLUMNS} FROM ranks WHERE tenant_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
    [tx.tenantId, id],
  );
  if (!row) throw AppError.notFound('object.rank');
  return row;
}

/** Enqueues the full recompute with the change (one waiting job per tenant is enough). */
async function recomputeLater(tx: TenantTx, jobs: JobQueue | null): Promise<void> {
  await jobs?.send(recomputeAllJob, { tenantId: tx.tenantId }, { tx, singletonKey: tx.tenantId });
}

const cursorShape = z.tuple([z.number().int(), z.uuid()]);

export async function listRanks(db: Database, ctx: Pick<Ctx, 'tenantId'>, q: { limit: number; cursor?: string }) {
  const after = decodeCursor(q.cursor, cursorShape);
  return db.withTenant(ctx.tenantId, async (tx) => {
    const rows = await tx.query<RankRow>(
      `SELECT ${RANK_COLUMNS} FROM ranks
        WHERE tenant_id = $1 AND ($2::int IS NULL OR (priority, id) > ($2, $3::uuid))
        ORDER BY priority, id LIMIT $4`,
      [tx.tenantId, after?.[0] ?? null, after?.[1] ?? null, q.limit + 1],
    );
    return page(rows, q.limit, toRank, (r) => [r.priority, r.id]);
  });
}

export async function getRank(db: Database, ctx: Pick<Ctx, 'tenantId'>, id: string): Promise<Read> {
  return db.withTenant(ctx.tenantId, async (tx) => read(await mustFind(tx, id)));
}

export async function createRank(
  db: Database,
  jobs: JobQueue | null,
  ctx: Ctx,
  input: RankInput & { name: string },
): Promise<Read> {
  return db.withTenant(ctx.tenantId, async (tx) => {
    let row: RankRow | undefined;
    try {
      [row] = await tx.query<RankRow>(
        `INSERT INTO ranks (tenant_id, name, color, priority, min_count, min_amount, combine, period_days, recency_days, active)
         VALUES ($1, $2, $3, coalesce($4, (SELECT coalesce(max(priority), 0) + 10 FROM ranks WHERE tenant_id = $1)),
                 $5, $6, $7, $8, $9, $10)
         RETURNING ${RANK_COLUMNS}`,
        [
          tx.tenantId,
          input.name,
          input.color ?? null,
          input.priority ?? null,
          input.minCount ?? null,
          input.minAmount ?? null,
          input.combine ?? 'all',
          input.periodDays ?? 365,
          input.recencyDays ?? null,
          input.active ?? true,
        ],
      );
    } catch (err) {
      throw isUniqueViolation(err) ? nameTaken() : err;
    }
    if (!row) throw new Error('ranks: insert returned nothing');
    await audit(tx, ctx.actor, { action: 'rank.create', objectType: 'rank', objectId: row.id });
    await recomputeLater(tx, jobs);
    return read(row);
  });
}

export async function updateRank(
  db: Database,
  jobs: JobQueue | null,
  ctx: Ctx,
  id: string,
  input: RankInput,
  ifMatch: string | undefined,
): Promise<Read> {
  return db.withTenant(ctx.tenantId, async (tx) => {
    const current = await mustFind(tx, id, true);
    if (ifMatch !== undefined && !ifMatchAccepts(ifMatch, current.version)) throw AppError.stale();
    const entries = (Object.keys(COLUMNS) as (keyof RankInput)[])
      .filter((k) => input[k] !== undefined)
      .map((k) => [COLUMNS[k], input[k] ?? null] as const);
    if (entries.length === 0) return read(current);
    let row: RankRow | undefined;
    try {
      [row] = await tx.query<RankRow>(
        `UPDATE ranks SET ${entries.map(([c], i) => `${c} = $${i + 3}`).join(', ')}, version = version + 1, updated_at = now()
          WHERE tenant_id = $1 AND id = $2 RETURNING ${RANK_COLUMNS}`,
        [tx.tenantId, id, ...entries.map(([, v]) => v)],
      );
    } catch (err) {
      throw isUniqueViolation(err) ? nameTaken() : err;
    }
    if (!row) throw AppError.notFound('object.rank');
    await audit(tx, ctx.actor, {
      action: 'rank.update',
      objectType: 'rank',
      objectId: id,
      detail: { fields: Object.keys(input).filter((k) => input[k as keyof RankInput] !== undefined) },
    });
    await recomputeLater(tx, jobs);
    return read(row);
  });
}

/** Refused (409) while customers hold the rank by hand; rule ranks pointing at it become none. */
export async function deleteRank(db: Database, jobs: JobQueue | null, ctx: Ctx, id: string): Promise<void> {
  await db.withTenant(ctx.tenantId, async (tx) => {
    await mustFind(tx, id, true);
    const [held] = await tx.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM customer_rank_overrides WHERE tenant_id = $1 AND rank_id = $2',
      [tx.tenantId, id],
    );
    if ((held?.n ?? 0) > 0) throw new AppError(409, 'ranks.in_use', 'ranks.in_use', { count: held?.n ?? 0 });
    await tx.query('DELETE FROM ranks WHERE tenant_id = $1 AND id = $2', [tx.tenantId, id]);
    await audit(tx, ctx.actor, { action: 'rank.delete', objectType: 'rank', objectId: id });
    await recomputeLater(tx, jobs);
  });
}

/** Sets the order of every rank of the tenant (first = tried first): priorities 10, 20, 30 … */
export async function reorderRanks(db: Database, jobs: JobQueue | null, ctx: Ctx, ids: string[]): Promise<Rank[]> {
  return db.withTenant(ctx.tenantId, async (tx) => {
    const existing = await tx.query<{ id: string }>('SELECT id FROM ranks WHERE tenant_id = $1 FOR UPDATE', [
      tx.tenantId,
    ]);
    const known = new Set(existing.map((r) => r.id));
    if (ids.length !== known.size || new Set(ids).size !== ids.length || !ids.every((id) => known.has(id))) {
      throw AppError.field(400, 'validation', 'ids', 'ranks.order_mismatch');
    }
    const rows = await tx.query<RankRow>(
      `UPDATE ranks r SET priority = o.n * 10, version = r.version + 1, updated_at = now()
         FROM unnest($2::uuid[]) WITH ORDINALITY AS o(id, n)
        WHERE r.tenant_id = $1 AND r.id = o.id AND r.priority <> o.n * 10
        RETURNING r.id`,
      [tx.tenantId, ids],
    );
    if (rows.length > 0) {
      await audit(tx, ctx.actor, { action: 'rank.reorder', objectType: 'rank', detail: { ids } });
      await recomputeLater(tx, jobs);
    }
    const all = await tx.query<RankRow>(
      `SELECT ${RANK_COLUMNS} FROM ranks WHERE tenant_id = $1 ORDER BY priority, id`,
      [tx.tenantId],
    );
    return all.map(toRank);
  });
}
