import { randomUUID } from 'node:crypto';
import type { Database, TenantTx } from '../../db/database.js';
import { type Actor, audit, SYSTEM_ACTOR } from '../audit/audit.js';
import { AppError } from '../errors.js';

export type ClosingDay = { date: string; note: string };
export type Settings = { name: string; closingDays: ClosingDay[] };

/**
 * Creates a tenant. Runs as the owner (CLI, first start), with app.tenant_id set to the new id
 * so that a non-superuser owner passes the FORCEd policies too.
 */
export async function createTenant(db: Database, input: { name: string }): Promise<{ tenantId: string }> {
  const tenantId = randomUUID();
  await db.owner.transaction(async (tx) => {
    await tx.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
    await tx.query('INSERT INTO tenants (id, name) VALUES ($1, $2)', [tenantId, input.name]);
    await audit({ ...tx, tenantId }, SYSTEM_ACTOR, {
      action: 'tenant.create',
      objectType: 'tenant',
      objectId: tenantId,
    });
  });
  return { tenantId };
}

/** Whether a tenant exists (owner query: used by the CLI before it acts on a tenant id). */
export async function tenantExists(db: Database, tenantId: string): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/i.test(tenantId)) return false;
  return db.owner.transaction(async (tx) => {
    await tx.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
    return (await tx.query('SELECT 1 FROM tenants WHERE id = $1', [tenantId])).length > 0;
  });
}

async function readSettings(tx: TenantTx): Promise<Settings> {
  const [tenant] = await tx.query<{ name: string }>('SELECT name FROM tenants WHERE id = $1', [tx.tenantId]);
  if (!tenant) throw AppError.notFound('object.tenant');
  const days = await tx.query<ClosingDay>(
    'SELECT date::text AS date, note FROM closing_days WHERE tenant_id = $1 ORDER BY date',
    [tx.tenantId],
  );
  return { name: tenant.name, closingDays: days };
}

export function getSettings(db: Database, tenantId: string): Promise<Settings> {
  return db.withTenant(tenantId, readSettings);
}

export async function updateSettings(
  db: Database,
  ctx: { tenantId: string; actor: Actor },
  patch: { name?: string; closingDays?: ClosingDay[] },
): Promise<Settings> {
  return db.withTenant(ctx.tenantId, async (tx) => {
    if (patch.name !== undefined) {
      await tx.query('UPDATE tenants SET name = $2, updated_at = now() WHERE id = $1', [ctx.tenantId, patch.name]);
    }
    if (patch.closingDays !== undefined) {
      await tx.query('DELETE FROM closing_days WHERE tenant_id = $1', [ctx.tenantId]);
      if (patch.closingDays.length > 0) {
        await tx.query(
          `INSERT INTO closing_days (tenant_id, date, note)
           SELECT $1, d.date, d.note FROM unnest($2::date[], $3::text[]) AS d(date, note)`,
          [ctx.tenantId, patch.closingDays.map((d) => d.date), patch.closingDays.map((d) => d.note)],
        );
      }
    }
    await audit(tx, ctx.actor, {
      action: 'settings.update',
      objectType: 'tenant',
      objectId: ctx.tenantId,
      detail: { fields: Object.keys(patch) },
    });
    return readSettings(tx);
  });
}

/** The tenant's closing days between two dates (inclusive), for business-day arithmetic. */
export async function closingDaysBetween(tx: TenantTx, from: string, to: string): Promise<ClosingDay[]> {
  return tx.query<ClosingDay>(
    'SELECT date::text AS date, note FROM closing_days WHERE tenant_id = $1 AND date BETWEEN $2 AND $3 ORDER BY date',
    [tx.tenantId, from, to],
  );
}
