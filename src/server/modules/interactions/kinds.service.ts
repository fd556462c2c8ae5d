// 区分 (interaction kinds): a per-tenant master with six defaults, and the module's settings row.
import type { Database, TenantTx } from '../../db/database.js';
import { type Actor, audit, SYSTEM_ACTOR } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors.js';
import type { Kind } from './interactions.schema.js';

type Ctx = { tenantId: string; actor: Actor };

/** The defaults every tenant starts with; `code` lets the screens and reports recognise them. */
export const DEFAULT_KINDS = [
  { code: 'inquiry', name: '問い合わせ' },
  { code: 'complaint', name: 'クレーム' },
  { code: 'subscription_change', name: '定期変更' },
  { code: 'basic_change', name: '基本変更' },
  { code: 'order', name: '注文' },
  { code: 'other', name: 'その他' },
] as const;

type KindRow = { id: string; code: string | null; name: string; position: number; active: boolean };
const KIND_COLUMNS = 'id, code, name, position, active';

const toKind = (r: KindRow): Kind => ({ id: r.id, code: r.code, name: r.name, position: r.position, active: r.active });

/**
 * Gives the tenant its settings row and default kinds on first use, in the caller's tenant
 * transaction. Whichever transaction inserts the settings row seeds the kinds; a concurrent one
 * waits on that row and then finds it (no duplicate kinds). The row marks the seeding done, so
 * kinds an admin later deletes or renames do not come back. Every entry point that reads kinds
 * calls it; tenant set-up and the demo seed may call it too.
 */
export async function ensureInteractionSetup(tx: TenantTx): Promise<void> {
  const seen = await tx.query('SELECT 1 FROM interaction_settings WHERE tenant_id = $1', [tx.tenantId]);
  if (seen.length > 0) return;
  const created = await tx.query(
    'INSERT INTO interaction_settings (tenant_id) VALUES ($1) ON CONFLICT (tenant_id) DO NOTHING RETURNING tenant_id',
    [tx.tenantId],
  );
  if (created.length === 0) return;
  await tx.query(
    `INSERT INTO interaction_kinds (tenant_id, code, name, position)
     SELECT $1, k.code, k.name, k.position FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS k(code, name, position)
     ON CONFLICT DO NOTHING`,
    [tx.tenantId, DEFAULT_KINDS.map((k) => k.code), DEFAULT_KINDS.map((k) => k.name)],
  );
  await audit(tx, SYSTEM_ACTOR, {
    action: 'interaction_kind.seed',
    objectType: 'interaction_kind',
    detail: { codes: DEFAULT_KINDS.map((k) => k.code) },
  });
}

export async function listKinds(db: Database, ctx: Pick<Ctx, 'tenantId'>, q: { active?: boolean }) {
  return db.withTenant(ctx.tenantId, async (tx) => {
    await ensureInteractionSetup(tx);
    const rows = await tx.query<KindRow>(
      `SELECT ${KIND_COLUMNS} FROM interaction_kinds
        WHERE tenant_id = $1 AND ($2::boolean IS NULL OR active = $2)
        ORDER BY position, name, id`,
      [tx.tenantId, q.active ?? null],
    );
    return { items: rows.map(toKind) };
  });
}

async function findKind(tx: TenantTx, id: string): Promise<KindRow> {
  const [row] = await tx.query<KindRow>(
    `SELECT ${KIND_COLUMNS} FROM interaction_kinds WHERE tenant_id = $1 AND id = $2`,
    [tx.tenantId, id],
  );
  if (!row) throw AppError.notFound('object.interaction_kind');
  return row;
}

export async function getKind(db: Database, ctx: Pick<Ctx, 'tenantId'>, id: string): Promise<Kind> {
  return db.withTenant(ctx.tenantId, async (tx) => toKind(await findKind(tx, id)));
}

async function nameTaken(tx: TenantTx, name: string, except: string | null): Promise<boolean> {
  const rows = await tx.query(
    'SELECT 1 FROM interaction_kinds WHERE tenant_id = $1 AND name = $2 AND ($3::uuid IS NULL OR id <> $3)',
    [tx.tenantId, name, except],
  );
  return rows.length > 0;
}

const nameTakenError = () =>
  AppError.field(409, 'interactions.kind_name_taken', 'name', 'interactions.kind_name_taken');

export async function createKind(
  db: Database,
  ctx: Ctx,
  input: { name: string; position?: number; active?: boolean },
): Promise<Kind> {
  return db.withTenant(ctx.tenantId, async (tx) => {
    await ensureInteractionSetup(tx);
    if (await nameTaken(tx, input.name, null)) throw nameTakenError();
    const [row] = await tx.query<KindRow>(
      `INSERT INTO interaction_kinds (tenant_id, name, position, active)
       VALUES ($1, $2, coalesce($3, (SELECT coalesce(max(position), 0) + 1 FROM interaction_kinds WHERE tenant_id = $1)), $4)
       RETURNING ${KIND_COLUMNS}`,
      [tx.tenantId, input.name, input.position ?? null, input.active ?? true],
    );
    if (!row) throw new Error('insert interaction_kinds returned nothing');
    await audit(tx, ctx.actor, { action: 'interaction_kind.create', objectType: 'interaction_kind', objectId: row.id });
    return toKind(row);
  });
}

export async function updateKind(
  db: Database,
  ctx: Ctx,
  id: string,
  patch: { name?: string; position?: number; active?: boolean },
): Promise<Kind> {
  return db.withTenant(ctx.tenantId, async (tx) => {
    await findKind(tx, id);
    if (patch.name !== undefined && (await nameTaken(tx, patch.name, id))) throw nameTakenError();
    const [row] = await tx.query<KindRow>(
      `UPDATE interaction_kinds SET name = coalesce($3, name), position = coalesce($4, position),
              active = coalesce($5, active), updated_at = now()
        WHERE tenant_id = $1 AND id = $2 RETURNING ${KIND_COLUMNS}`,
      [tx.tenantId, id, patch.name ?? null, patch.position ?? null, patch.active ?? null],
    );
    if (!row) throw AppError.notFound('object.interaction_kind');
    await audit(tx, ctx.actor, {
      action: 'interaction_kind.update',
      objectType: 'interaction_kind',
      objectId: id,
      detail: { fields: Object.keys(patch).filter((k) => patch[k as keyof typeof patch] !== undefined) },
    });
    return toKind(row);
  });
}

/** Deletes a kind nothing refers to; a kind in use answers 409 (deactivate it instead). */
export async function deleteKind(db: Database, ctx: Ctx, id: string): Promise<void> {
  await db.withTenant(ctx.tenantId, async (tx) => {
    await tx.query('SELECT 1 FROM interaction_kinds WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [tx.tenantId, id]);
    await findKind(tx, id);
    const [used] = await tx.query<{ used: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM interactions WHERE tenant_id = $1 AND kind_id = $2)
           OR EXISTS (SELECT 1 FROM reply_templates WHERE tenant_id = $1 AND interaction_kind_id = $2) AS used`,
      [tx.tenantId, id],
    );
    if (used?.used) throw new AppError(409, 'interactions.kind_in_use', 'interactions.kind_in_use');
    await tx.query('DELETE FROM interaction_kinds WHERE tenant_id = $1 AND id = $2', [tx.tenantId, id]);
    await audit(tx, ctx.actor, { action: 'interaction_kind.delete', objectType: 'interaction_kind', objectId: id });
  });
}
