// Karte (health notes, 要配慮個人情報): one per customer, in its own table, never part of a
// customer read, list, search or export. Every read and every write is audited as
// objectType 'karte', objectId = the customer's id, action 'read' | 'write' — one row per request,
// in the transaction that reads or writes.
import { z } from 'zod';
import type { Database, TenantTx } from '../../db/database.js';
import { type Actor, audit } from '../../platform/audit/audit.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError } from '../../platform/errors.js';
import { ifMatchAccepts } from '../../platform/http/etag.js';
import { requireKarteAccess } from './karte.access.js';

const field = (max: number) => z.string().trim().max(max).nullish();

/** PUT body: an absent field is left as it is, null (or an empty string) clears it. */
export const karteInputSchema = z.strictObject({
  conditions: field(2000),
  allergies: field(2000),
  medication: field(2000),
  notes: field(4000),
});
export type KarteInput = z.infer<typeof karteInputSchema>;

export const karteSchema = z.object({
  customerId: z.uuid(),
  conditions: z.string().nullable(),
  allergies: z.string().nullable(),
  medication: z.string().nullable(),
  notes: z.string().nullable(),
  /** 0 while nothing was ever written. */
  version: z.number().int(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type Karte = z.infer<typeof karteSchema>;

const FIELDS = ['conditions', 'allergies', 'medication', 'notes'] as const;

type Row = {
  conditions: string | null;
  allergies: string | null;
  medication: string | null;
  notes: string | null;
  version: number;
  updated_at: Date;
  updated_by: string | null;
};
type Ctx = { tenantId: string; actor: Actor; principal: Principal };

const etag = (version: number) => `"${version}"`;

function toKarte(customerId: string, r: Row | undefined): Karte {
  return {
    customerId,
    conditions: r?.conditions ?? null,
    allergies: r?.allergies ?? null,
    medication: r?.medication ?? null,
    notes: r?.notes ?? null,
    version: r?.version ?? 0,
    updatedAt: r?.updated_at.toISOString() ?? null,
    updatedBy: r?.updated_by ?? null,
  };
}

/** 404 unless the customer is one of the tenant's (and not merged); a writer keeps a key-share lock. */
async function mustFindCustomer(tx: TenantTx, customerId: string, lock: boolean): Promise<void> {
  const rows = await tx.query(
    `SELECT 1 FROM customers WHERE tenant_id = $1 AND id = $2${lock ? ' FOR KEY SHARE' : ''}`,
    [tx.tenantId, customerId],
  );
  if (rows.length === 0) throw AppError.notFound('object.customer');
}

async function readRow(tx: TenantTx, customerId: string, lock = false): Promise<Row | undefined> {
  const [row] = await tx.query<Row>(
    `SELECT conditions, allergies, medication, notes, version, updated_at, updated_by FROM customer_kartes
      WHERE tenant_id = $1 AND customer_id = $2${lock ? ' FOR UPDATE' : ''}`,
    [tx.tenantId, customerId],
  );
  return row;
}

export async function getKarte(db: Database, ctx: Ctx, customerId: string): Promise<{ karte: Karte; etag: string }> {
  return db.withTenant(ctx.tenantId, async (tx) => {
    await requireKarteAccess(tx, ctx.principal);
    await mustFindCustomer(tx, customerId, false);
    const karte = toKarte(customerId, await readRow(tx, customerId));
    await audit(tx, ctx.actor, { action: 'read', objectType: 'karte', objectId: customerId });
    return { karte, etag: etag(karte.version) };
  });
}

export async function putKarte(
  db: Database,
  ctx: Ctx,
  customerId: string,
  input: KarteInput,
  ifMatch: string | undefined,
): Promise<{ karte: Karte; etag: string }> {
  return db.withTenant(ctx.tenantId, async (tx) => {
    await requireKarteAccess(tx, ctx.principal);
    await mustFindCustomer(tx, customerId, true);
    const current = await readRow(tx, customerId, true);
    if (ifMatch !== undefined && !ifMatchAccepts(ifMatch, current?.version ?? 0)) {
      throw AppError.stale();
    }
    const given = FIELDS.filter((f) => input[f] !== undefined);
    const value = (f: (typeof FIELDS)[number]) => {
      const v = input[f];
      if (v === undefined) return current?.[f] ?? null;
      return v === null || v === '' ? null : v;
    };
    const [row] = await tx.query<Row>(
      `INSERT INTO customer_kartes AS k (tenant_id, customer_id, conditions, allergies, medication, notes, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (tenant_id, customer_id) DO UPDATE
         SET conditions = EXCLUDED.conditions, allergies = EXCLUDED.allergies, medication = EXCLUDED.medication,
             notes = EXCLUDED.notes, updated_by = EXCLUDED.updated_by, version = k.version + 1, updated_at = now()
       RETURNING conditions, allergies, medication, notes, version, updated_at, updated_by`,
      [
        tx.tenantId,
        customerId,
        value('conditions'),
        value('allergies'),
        value('medication'),
        value('notes'),
        ctx.actor.id,
      ],
    );
    // Field names only: the values are the sensitive part.
    await audit(tx, ctx.actor, {
      action: 'write',
      objectType: 'karte',
      objectId: customerId,
      detail: { fields: given },
    });
    const karte = toKarte(customerId, row);
    return { karte, etag: etag(karte.version) };
  });
}

/**
 * Merge (duplicates module): the merged customer's karte joins the kept one's — taken over when
 * the kept one has none, else each field that differs is appended. Audited as a write of both.
 * Answers 1 when a karte moved, else 0.
 */
export async function mergeKarte(tx: TenantTx, actor: Actor, keepId: string, mergeId: string): Promise<number> {
  const from = await readRow(tx, mergeId, true);
  if (!from) return 0;
  const into = await readRow(tx, keepId, true);
  const join = (a: string | null, b: string | null, max: number) =>
    a === null || a === b ? b : b === null ? a : `${a}\n---\n${b}`.slice(0, max);
  const limits = { conditions: 2000, allergies: 2000, medication: 2000, notes: 4000 } as const;
  const merged = FIELDS.map((f) => join(into?.[f] ?? null, from[f], limits[f]));
  await tx.query(
    `INSERT INTO customer_kartes AS k (tenant_id, customer_id, conditions, allergies, medication, notes, updated_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (tenant_id, customer_id) DO UPDATE
       SET conditions = EXCLUDED.conditions, allergies = EXCLUDED.allergies, medication = EXCLUDED.medication,
           notes = EXCLUDED.notes, updated_by = EXCLUDED.updated_by, version = k.version + 1, updated_at = now()`,
    [tx.tenantId, keepId, ...merged, actor.id],
  );
  await tx.query('DELETE FROM customer_kartes WHERE tenant_id = $1 AND customer_id = $2', [tx.tenantId, mergeId]);
  for (const [objectId, other] of [
    [keepId, mergeId],
    [mergeId, keepId],
  ] as const) {
    await audit(tx, actor, {
      action: 'write',
      objectType: 'karte',
      objectId,
      detail: { via: 'customer.merge', [objectId === keepId ? 'mergeId' : 'keepId']: other },
    });
  }
  return 1;
}
