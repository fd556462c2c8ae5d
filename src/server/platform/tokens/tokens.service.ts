import { z } from 'zod';
import type { Database, TenantTx } from '../../db/database.js';
import { type Actor, audit } from '../audit/audit.js';
import { forgetTokens } from '../auth/principal.js';
import type { Role } from '../auth/roles.js';
import { newSecret, sha256 } from '../auth/secrets.js';
import { AppError } from '../errors.js';
import { decodeCursor, page } from '../http/pagination.js';

type Ctx = { tenantId: string; actor: Actor };
type TokenRow = {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
  created_by: string | null;
};

const COLUMNS = 'id, name, role, prefix, created_at, last_used_at, revoked_at, created_by';

function toToken(r: TokenRow) {
  return {
    id: r.id,
    name: r.name,
    role: r.role,
    prefix: r.prefix,
    createdAt: r.created_at.toISOString(),
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
    revokedAt: r.revoked_at?.toISOString() ?? null,
    createdBy: r.created_by,
  };
}

/** Inserts a token in the caller's transaction; answers the secret, which is never stored. */
export async function insertToken(tx: TenantTx, input: { name: string; role: Role; createdBy: string | null }) {
  const token = `mdg_${newSecret()}`;
  const [row] = await tx.query<TokenRow>(
    `INSERT INTO api_tokens (tenant_id, name, role, token_hash, prefix, created_by) VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING ${COLUMNS}`,
    [tx.tenantId, input.name, input.role, sha256(token), token.slice(0, 8), input.createdBy],
  );
  if (!row) throw new Error('insert api_tokens returned nothing');
  return { ...toToken(row), token };
}

export async function createToken(db: Database, ctx: Ctx, input: { name: string; role: Role }) {
  return db.withTenant(ctx.tenantId, async (tx) => {
    const created = await insertToken(tx, { ...input, createdBy: ctx.actor.type === 'user' ? ctx.actor.id : null });
    await audit(tx, ctx.actor, {
      action: 'token.create',
      objectType: 'token',
      objectId: created.id,
      detail: { role: input.role },
    });
    return created;
  });
}

export async function listTokens(db: Database, ctx: Ctx, q: { limit: number; cursor?: string }) {
  const after = decodeCursor(q.cursor, z.tuple([z.iso.datetime(), z.uuid()]));
  return db.withTenant(ctx.tenantId, async (tx) => {
    // The cursor keeps created_at to the microsecond (a Date would cut it to the millisecond and
    // skip tokens created within the same millisecond).
    const rows = await tx.query<TokenRow & { created_key: string }>(
      `SELECT ${COLUMNS}, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_key
         FROM api_tokens WHERE tenant_id = $1
          AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $4`,
      [ctx.tenantId, after?.[0] ?? null, after?.[1] ?? null, q.limit + 1],
    );
    return page(rows, q.limit, toToken, (r) => [r.created_key, r.id]);
  });
}

export async function revokeToken(db: Database, ctx: Ctx, id: string) {
  await db.withTenant(ctx.tenantId, async (tx) => {
    const rows = await tx.query(
      'UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, now()) WHERE tenant_id = $1 AND id = $2 RETURNING id',
      [ctx.tenantId, id],
    );
    if (rows.length === 0) throw AppError.notFound('object.token');
    await audit(tx, ctx.actor, { action: 'token.revoke', objectType: 'token', objectId: id });
  });
  forgetTokens();
}
