import { z } from 'zod';
import { type Database, prepared, type TenantTx } from '../../db/database.js';
import { type Actor, audit } from '../audit/audit.js';
import type { Role } from '../auth/roles.js';
import { hashPassword } from '../auth/secrets.js';
import { AppError } from '../errors.js';
import { decodeCursor, page } from '../http/pagination.js';
import type { JobQueue } from '../jobs/queue.js';
import { passwordResetNoticeJob } from './users.jobs.js';
import { toUser, USER_COLUMNS, type User, type UserRow } from './users.schema.js';

type Ctx = { tenantId: string; actor: Actor; now: Date };

export async function listUsers(db: Database, ctx: Ctx, q: { q?: string; limit: number; cursor?: string }) {
  const after = decodeCursor(q.cursor, z.tuple([z.string(), z.uuid()]));
  return db.withTenant(ctx.tenantId, async (tx) => {
    const rows = await tx.query<UserRow>(
      `SELECT ${USER_COLUMNS} FROM users
        WHERE tenant_id = $1
          AND ($2::text IS NULL OR name ILIKE '%' || $2 || '%' OR email ILIKE '%' || $2 || '%')
          AND ($3::text IS NULL OR (name, id) > ($3, $4::uuid))
        ORDER BY name, id LIMIT $5`,
      // q is matched literally: LIKE's wildcards and escape character are escaped.
      [
        ctx.tenantId,
        q.q?.trim().replace(/[%_\\]/g, (c) => `\\${c}`) || null,
        after?.[0] ?? null,
        after?.[1] ?? null,
        q.limit + 1,
      ],
    );
    return page(
      rows,
      q.limit,
      (r) => toUser(r, ctx.now),
      (r) => [r.name, r.id],
    );
  });
}

const USER_BY_ID = prepared(`SELECT ${USER_COLUMNS} FROM users WHERE tenant_id = $1 AND id = $2`);

async function findUser(tx: TenantTx, id: string): Promise<UserRow> {
  const [row] = await tx.query<UserRow>(USER_BY_ID, [tx.tenantId, id]);
  if (!row) throw AppError.notFound('object.user');
  return row;
}

export async function getUser(db: Database, ctx: Pick<Ctx, 'tenantId' | 'now'>, id: string): Promise<User> {
  const [row] = await db.queryInTenant<UserRow>(ctx.tenantId, USER_BY_ID, [ctx.tenantId, id]);
  if (!row) throw AppError.notFound('object.user');
  return toUser(row, ctx.now);
}

/** Inserts a user inside the caller's tenant transaction (also used by tenant set-up and the CLI). */
export async function insertUser(
  tx: TenantTx,
  input: {
    email: string;
    name: string;
    role: Role;
    passwordHash: string;
    locale?: 'ja' | 'en';
    mustChangePassword?: boolean;
  },
): Promise<UserRow> {
  const taken = await tx.query<{ taken: boolean }>('SELECT EXISTS (SELECT 1 FROM auth_login_candidate($1)) AS taken', [
    input.email,
  ]);
  if (taken[0]?.taken) throw AppError.field(409, 'users.email_taken', 'email', 'users.email_taken');
  const [row] = await tx.query<UserRow>(
    `INSERT INTO users (tenant_id, email, name, role, locale, password_hash, must_change_password)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${USER_COLUMNS}`,
    [
      tx.tenantId,
      input.email.trim(),
      input.name,
      input.role,
      input.locale ?? 'ja',
      input.passwordHash,
      input.mustChangePassword ?? false,
    ],
  );
  if (!row) throw new Error('insert users returned nothing');
  return row;
}

export async function createUser(
  db: Database,
  ctx: Ctx,
  input: { email: string; name: string; role: Role; password: string; locale?: 'ja' | 'en' },
): Promise<User> {
  const passwordHash = await hashPassword(input.password);
  return db.withTenant(ctx.tenantId, async (tx) => {
    const row = await insertUser(tx, { ...input, passwordHash, mustChangePassword: true });
    await audit(tx, ctx.actor, {
      action: 'user.create',
      objectType: 'user',
      objectId: row.id,
      detail: { role: input.role },
    });
    return toUser(row, ctx.now);
  });
}

export async function updateUser(
  db: Database,
  ctx: Ctx,
  id: string,
  patch: { name?: string; role?: Role; active?: boolean },
): Promise<User> {
  if (id === ctx.actor.id && ((patch.role && patch.role !== 'admin') || patch.active === false)) {
    throw AppError.field(
      409,
      'users.self_demote',
      patch.role && patch.role !== 'admin' ? 'role' : 'active',
      'users.self_demote',
    );
  }
  return db.withTenant(ctx.tenantId, async (tx) => {
    const before = await findUser(tx, id);
    const [row] = await tx.query<UserRow>(
      `UPDATE users SET name = COALESCE($3, name), role = COALESCE($4, role), active = COALESCE($5, active), updated_at = now()
        WHERE tenant_id = $1 AND id = $2 RETURNING ${USER_COLUMNS}`,
      [ctx.tenantId, id, patch.name ?? null, patch.role ?? null, patch.active ?? null],
    );
    if (!row) throw AppError.notFound('object.user');
    // A role change or deactivation takes effect at once: the user's sessions end.
    if ((patch.role && patch.role !== before.role) || patch.active === false) {
      await tx.query('DELETE FROM sessions WHERE tenant_id = $1 AND user_id = $2', [ctx.tenantId, id]);
    }
    const changed = Object.keys(patch).filter((k) => patch[k as keyof typeof patch] !== undefined);
    await audit(tx, ctx.actor, {
      action: 'user.update',
      objectType: 'user',
      objectId: id,
      detail: { fields: changed, ...(patch.role ? { role: { from: before.role, to: patch.role } } : {}) },
    });
    return toUser(row, ctx.now);
  });
}

export async function resetPassword(
  db: Database,
  jobs: JobQueue | null,
  ctx: Ctx,
  id: string,
  password: string,
): Promise<void> {
  const passwordHash = await hashPassword(password);
  await db.withTenant(ctx.tenantId, async (tx) => {
    await findUser(tx, id);
    await tx.query(
      `UPDATE users SET password_hash = $3, must_change_password = true, failed_logins = 0, locked_until = NULL, updated_at = now()
        WHERE tenant_id = $1 AND id = $2`,
      [ctx.tenantId, id, passwordHash],
    );
    await tx.query('DELETE FROM sessions WHERE tenant_id = $1 AND user_id = $2', [ctx.tenantId, id]);
    await audit(tx, ctx.actor, { action: 'user.reset_password', objectType: 'user', objectId: id });
    await jobs?.send(passwordResetNoticeJob, { tenantId: ctx.tenantId, userId: id }, { tx });
  });
}

export async function unlockUser(db: Database, ctx: Ctx, id: string): Promise<void> {
  await db.withTenant(ctx.tenantId, async (tx) => {
    await findUser(tx, id);
    await tx.query('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE tenant_id = $1 AND id = $2', [
      ctx.tenantId,
      id,
    ]);
    await audit(tx, ctx.actor, { action: 'user.unlock', objectType: 'user', objectId: id });
  });
}

/** The tenant's active staff for pickers (assignees, 担当者): names and roles only, no e-mail. */
export async function staffDirectory(db: Database, tenantId: string, q: string | undefined) {
  const like = q?.trim() ? `%${q.trim().replace(/[%_\\]/g, (c) => `\\${c}`)}%` : null;
  return db.withTenant(tenantId, (tx) =>
    tx.query<{ id: string; name: string; role: Role }>(
      `SELECT id, name, role FROM users
        WHERE tenant_id = $1 AND active AND ($2::text IS NULL OR name ILIKE $2)
        ORDER BY name, id LIMIT 1000`,
      [tenantId, like],
    ),
  );
}
