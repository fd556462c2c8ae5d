// Merging two customers (POST /customers/merge), in ONE transaction: either all of it or nothing.
// The kept customer receives the merged one's phone numbers (deduplicated by E.164), e-mails and
// tags (deduplicated), delivery addresses, its home address (as a delivery address labelled
// 統合元 <code> when the kept customer has another one, or as the home address when it has none),
// blanks filled (company, birth date …), notes and alerts appended, its karte, purchase statistics
// and manual rank, and whatever the modules' merge handlers move (merge-registry.ts). Opt-ins
// (DM, mail magazine) stay the kept customer's: consent is never widened by a merge.
// The merged customer is not deleted: it is marked merged_into the kept one, which hides it from
// every read (RLS policy hide_merged, 0006), and GET /customers/{id}/merge says where it went.
import type { Database, TenantTx } from '../../db/database.js';
import { type Actor, audit } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors.js';
import { mergeKarte } from '../karte/karte.service.js';
import { mergeRankData } from '../ranks/ranks.stats.js';
import { runMergeHandlers } from './merge-registry.js';

type Ctx = { tenantId: string; actor: Actor; now: Date };
export type MergeResult = { keepId: string; mergeId: string; mergedAt: string; moved: Record<string, number> };

/** This transaction sees merged customers too (the merge, and its look-up). */
async function includeMerged(tx: TenantTx): Promise<void> {
  await tx.query(`SELECT set_config('app.include_merged', 'on', true)`);
}

const count = async (rows: Promise<unknown[]>) => (await rows).length;

async function moveAddresses(tx: TenantTx, keepId: string, mergeId: string): Promise<number> {
  const p = [tx.tenantId, keepId, mergeId];
  // The merged customer's home address, when the kept one has a different one and no delivery
  // address of either is the same place.
  const home = await count(
    tx.query(
      `INSERT INTO customer_addresses (tenant_id, customer_id, label, name, name_kana, postal_code, prefecture, city,
                                       address1, address2, company, department, phone, phone_e164)
       SELECT $1, k.id, left('統合元 ' || m.code, 50), m.name, m.name_kana, m.postal_code, m.prefecture, m.city,
              m.address1, m.address2, m.company, m.department, ph.number, ph.e164
         FROM customers m
         JOIN customers k ON k.tenant_id = $1 AND k.id = $2
         LEFT JOIN LATERAL (SELECT number, e164 FROM customer_phones
                             WHERE tenant_id = $1 AND customer_id = $3 ORDER BY position LIMIT 1) ph ON true
        WHERE m.tenant_id = $1 AND m.id = $3 AND m.address1 IS NOT NULL
          AND num_nonnulls(k.postal_code, k.prefecture, k.city, k.address1, k.address2) > 0
          AND (m.postal_code IS DISTINCT FROM k.postal_code
               OR customer_address_key(m.address1) IS DISTINCT FROM customer_address_key(k.address1))
          AND NOT EXISTS (SELECT 1 FROM customer_addresses a
                           WHERE a.tenant_id = $1 AND a.customer_id IN ($2, $3)
                             AND a.postal_code IS NOT DISTINCT FROM m.postal_code
                             AND customer_address_key(a.address1) = customer_address_key(m.address1))
       RETURNING 1`,
      p,
    ),
  );
  const moved = await count(
    tx.query(
      `UPDATE customer_addresses SET customer_id = $2, updated_at = now()
        WHERE tenant_id = $1 AND customer_id = $3 RETURNING 1`,
      p,
    ),
  );
  return home + moved;
}

/** Appends the merged customer's numbers the kept one lacks, after its own; answers [moved, dropped]. */
async function movePhones(tx: TenantTx, keepId: string, mergeId: string): Promise<[number, number]> {
  const p = [tx.tenantId, keepId, mergeId];
  const moved = await count(
    tx.query(
      `INSERT INTO customer_phones (tenant_id, customer_id, position, number, e164, national, kind)
       SELECT $1, $2, (base.n + row_number() OVER (ORDER BY m.position))::smallint, m.number, m.e164, m.national, m.kind
         FROM (SELECT DISTINCT ON (e164) position, number, e164, national, kind FROM customer_phones
                WHERE tenant_id = $1 AND customer_id = $3 ORDER BY e164, position) m
        CROSS JOIN (SELECT coalesce(max(position), -1) AS n FROM customer_phones
                     WHERE tenant_id = $1 AND customer_id = $2) base
        WHERE NOT EXISTS (SELECT 1 FROM customer_phones k WHERE k.tenant_id = $1 AND k.customer_id = $2 AND k.e164 = m.e164)
       RETURNING 1`,
      p,
    ),
  );
  const all = await count(
    tx.query('DELETE FROM customer_phones WHERE tenant_id = $1 AND customer_id = $2 RETURNING 1', [
      tx.tenantId,
      mergeId,
    ]),
  );
  return [moved, all - moved];
}

/** The kept customer's record takes what it lacks from the merged one (never its opt-ins). */
async function mergeRecord(tx: TenantTx, keepId: string, mergeId: string): Promise<void> {
  const appended = (col: string, max: number) =>
    `${col} = CASE WHEN m.${col} IS NULL OR m.${col} = k.${col} THEN k.${col} WHEN k.${col} IS NULL THEN m.${col}
                   ELSE left(k.${col} || E'\\n' || m.${col}, ${max}) END`;
  const noAddress = 'num_nonnulls(k.postal_code, k.prefecture, k.city, k.address1, k.address2) = 0';
  const address = ['postal_code', 'prefecture', 'city', 'address1', 'address2']
    .map((c) => `${c} = CASE WHEN ${noAddress} THEN m.${c} ELSE k.${c} END`)
    .join(', ');
  await tx.query(
    `UPDATE customers k SET
       emails = k.emails || coalesce((SELECT array_agg(e ORDER BY n) FROM unnest(m.emails) WITH ORDINALITY AS u(e, n)
                                       WHERE NOT EXISTS (SELECT 1 FROM unnest(k.emails) AS x WHERE lower(x) = lower(e))), '{}'),
       tags = k.tags || coalesce((SELECT array_agg(t ORDER BY n) FROM unnest(m.tags) WITH ORDINALITY AS u(t, n)
                                   WHERE t <> ALL (k.tags)), '{}'),
       company = coalesce(k.company, m.company), department = coalesce(k.department, m.department),
       birth_date = coalesce(k.birth_date, m.birth_date),
       gender = CASE WHEN k.gender IS NULL OR k.gender = 'unknown' THEN coalesce(m.gender, k.gender) ELSE k.gender END,
       staff_id = coalesce(k.staff_id, m.staff_id), ad_medium = coalesce(k.ad_medium, m.ad_medium),
       ${appended('note', 4000)}, ${appended('alert', 500)}, ${address},
       version = k.version + 1, updated_at = now()
      FROM customers m
     WHERE k.tenant_id = $1 AND k.id = $2 AND m.tenant_id = $1 AND m.id = $3`,
    [tx.tenantId, keepId, mergeId],
  );
}

export async function mergeCustomers(
  db: Database,
  ctx: Ctx,
  input: { keepId: string; mergeId: string },
): Promise<MergeResult> {
  const { keepId, mergeId } = input;
  if (keepId === mergeId) throw AppError.field(400, 'validation', 'mergeId', 'duplicates.same_customer');
  return db.withTenant(ctx.tenantId, async (tx) => {
    await includeMerged(tx);
    // Both rows locked, in id order (two merges of the same pair cannot deadlock); writers of
    // kartes and ranks hold key-share locks on the customer, so they wait and then see it merged.
    const locked = await tx.query<{ id: string; merged_into: string | null }>(
      'SELECT id, merged_into FROM customers WHERE tenant_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE',
      [tx.tenantId, [keepId, mergeId]],
    );
    if (locked.length < 2) throw AppError.notFound('object.customer');
    if (locked.some((c) => c.merged_into !== null)) {
      throw new AppError(409, 'duplicates.already_merged', 'duplicates.already_merged');
    }
    const phones = await tx.query<{ number: string; e164: string; kind: string }>(
      'SELECT number, e164, kind FROM customer_phones WHERE tenant_id = $1 AND customer_id = $2 ORDER BY position',
      [tx.tenantId, mergeId],
    );
    const moved: Record<string, number> = {};
    moved.addresses = await moveAddresses(tx, keepId, mergeId);
    [moved.phones, moved.phonesDropped] = await movePhones(tx, keepId, mergeId);
    await mergeRecord(tx, keepId, mergeId);
    moved.karte = await mergeKarte(tx, ctx.actor, keepId, mergeId);
    moved.ranks = await mergeRankData(tx, keepId, mergeId);
    Object.assign(moved, await runMergeHandlers(tx, keepId, mergeId));
    // Customers merged into this one earlier now point at the kept one: one hop resolves any id.
    moved.earlierMerges = await count(
      tx.query('UPDATE customers SET merged_into = $2 WHERE tenant_id = $1 AND merged_into = $3 RETURNING 1', [
        tx.tenantId,
        keepId,
        mergeId,
      ]),
    );
    await tx.query(
      `UPDATE customers SET merged_into = $2, merged_at = $4, version = version + 1, updated_at = now()
        WHERE tenant_id = $1 AND id = $3`,
      [tx.tenantId, keepId, mergeId, ctx.now],
    );
    await tx.query('SELECT customer_search_forget_merged($1)', [mergeId]);
    await tx.query(
      `INSERT INTO customer_merges (tenant_id, merged_id, keep_id, merged_by, merged_at, moved, phones)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [tx.tenantId, mergeId, keepId, ctx.actor.id, ctx.now, JSON.stringify(moved), JSON.stringify(phones)],
    );
    await audit(tx, ctx.actor, {
      action: 'customer.merge',
      objectType: 'customer',
      objectId: keepId,
      detail: { mergeId, moved },
    });
    await audit(tx, ctx.actor, {
      action: 'customer.merged',
      objectType: 'customer',
      objectId: mergeId,
      detail: { keepId },
    });
    return { keepId, mergeId, mergedAt: ctx.now.toISOString(), moved };
  });
}

export type MergedInto = {
  id: string;
  code: string;
  mergedInto: { id: string; code: string };
  mergedAt: string;
};

/** Where a merged customer went; 404 for any id that is not a merged customer of the tenant. */
export async function mergedInto(db: Database, ctx: { tenantId: string }, id: string): Promise<MergedInto> {
  return db.withTenant(ctx.tenantId, async (tx) => {
    await includeMerged(tx);
    const [row] = await tx.query<{ code: string; keep_id: string; keep_code: string; merged_at: Date }>(
      `SELECT m.code, k.id AS keep_id, k.code AS keep_code, m.merged_at
         FROM customers m JOIN customers k ON k.tenant_id = m.tenant_id AND k.id = m.merged_into
        WHERE m.tenant_id = $1 AND m.id = $2`,
      [tx.tenantId, id],
    );
    if (!row) throw AppError.notFound('object.customer_merge');
    return {
      id,
      code: row.code,
      mergedInto: { id: row.keep_id, code: row.keep_code },
      mergedAt: row.merged_at.toISOString(),
    };
  });
}
