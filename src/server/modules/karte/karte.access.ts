// Who may see and change a customer's karte (health notes, 要配慮個人情報): admins and supervisors
// by their role, and operators signed in as a user holding the `karte` grant. API tokens never
// hold a grant: an operator token gets 403 whatever grants exist.
import type { Database, TenantTx } from '../../db/database.js';
import { type Actor, audit } from '../../platform/audit/audit.js';
import type { Principal } from '../../platform/auth/principal.js';
import { AppError } from '../../platform/errors.js';

export const GRANTS = ['karte'] as const;
export type Grant = (typeof GRANTS)[number];

type Ctx = { tenantId: string; actor: Actor; principal: Principal };

/** True when the caller may read and write kartes (checked in the caller's transaction). */
export async function hasKarteAccess(tx: TenantTx, p: Principal): Promise<boolean> {
  if (p.role === 'admin' || p.role === 'supervisor') return true;
  if (p.role !== 'operator' || p.kind !== 'session' || !p.userId) return false;
  const rows = await tx.query(
    `SELECT 1 FROM user_grants WHERE tenant_id = $1 AND user_id = $2 AND grant_name = 'karte'`,
    [tx.tenantId, p.userId],
  );
  return rows.length > 0;
}

/** Throws 403 `karte.forbidden` unless the caller may handle kartes. */
export async function requireKarteAccess(tx: TenantTx, p: Principal): Promise<void> {
  if (!(await hasKarteAccess(tx, p))) throw new AppError(403, 'karte.forbidden', 'karte.forbidden');
}

async function mustFindUser(tx: TenantTx, userId: string): Promise<void> {
  const rows = await tx.query('SELECT 1 FROM users WHERE tenant_id = $1 AND id = $2', [tx.tenantId, userId]);
  if (rows.length === 0) throw AppError.notFound('object.user');
}

export async function listGrants(db: Database, ctx: Pick<Ctx, 'tenantId'>, userId: string): Promise<Grant[]> {
  return db.withTenant(ctx.tenantId, async (tx) => {
    await mustFindUser(tx, userId);
    const rows = await tx.query<{ grant_name: Grant }>(
      'SELECT grant_name FROM user_grants WHERE tenant_id = $1 AND user_id = $2 ORDER BY grant_name',
      [tx.tenantId, userId],
    );
    return rows.map((r) => r.grant_name);
  });
}

/** Gives or takes a grant; idempotent, audited only when something changed. */
export async function setGrant(db: Database, ctx: Ctx, userId: string, grant: Grant, on: boolean): Promise<void> {
  await db.withTenant(ctx.tenantId, async (tx) => {
    await mustFindUser(tx, userId);
    const changed = on
      ? await tx.query(
          `INSERT INTO user_grants (tenant_id, user_id, grant_name, granted_by) VALUES ($1, $2, $3, $4)
           ON CONFLICT (tenant_id, user_id, grant_name) DO NOTHING RETURNING 1`,
          [tx.tenantId, userId, grant, ctx.actor.id],
        )
      : await tx.query(
          'DELETE FROM user_grants WHERE tenant_id = $1 AND user_id = $2 AND grant_name = $3 RETURNING 1',
          [tx.tenantId, userId, grant],
        );
    if (changed.length > 0) {
      await audit(tx, ctx.actor, {
        action: on ? 'user.grant' : 'user.revoke',
        objectType: 'user',
        objectId: userId,
        detail: { grant },
      });
    }
  });
}
