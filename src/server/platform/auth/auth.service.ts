import type { Config } from '../../config.js';
import type { Database, TenantTx } from '../../db/database.js';
import { type Actor, audit } from '../audit/audit.js';
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';
import type { Locale } from '../i18n/messages.js';
import {
  dummyPasswordHash,
  hashPassword,
  hashRecoveryCode,
  newRecoveryCodes,
  newSecret,
  sha256,
  verifyPassword,
} from './secrets.js';
import { checkTotp } from './totp.js';

type LoginUser = {
  tenant_id: string;
  id: string;
  email: string;
  password_hash: string;
  active: boolean;
  locked_until: Date | null;
  totp_secret: string | null;
  totp_last_step: number | null;
  recovery_code_hashes: string[];
};

export type LoginInput = { email: string; password: string; totp?: string; recoveryCode?: string };
export type NewSession = { tenantId: string; userId: string; secret: string; csrfToken: string; maxAgeSeconds: number };

const tokyo = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', dateStyle: 'short', timeStyle: 'short' });

/**
 * Signs a user in: password (argon2id), then TOTP or a recovery code when enrolled. Failures
 * count towards a lockout and are audited. The password is verified outside any transaction so
 * that no connection waits on argon2.
 */
export async function login(
  db: Database,
  config: Config,
  clock: Clock,
  input: LoginInput,
  actor: Omit<Actor, 'type' | 'id' | 'label'>,
  userAgent: string | undefined,
): Promise<NewSession> {
  const [candidate] = await db.app.query<{ tenant_id: string; user_id: string }>(
    'SELECT * FROM auth_login_candidate($1)',
    [input.email.trim()],
  );
  if (!candidate) {
    await verifyPassword(await dummyPasswordHash(), input.password);
    throw new AppError(401, 'auth.invalid_credentials', 'auth.invalid_credentials');
  }
  const tenantId = candidate.tenant_id;
  const userActor = (u: { id: string; email: string }): Actor => ({ ...actor, type: 'user', id: u.id, label: u.email });
  const user = await db.withTenant(tenantId, async (tx) => {
    const [row] = await tx.query<LoginUser>(
      `SELECT tenant_id, id, email, password_hash, active, locked_until, totp_secret, totp_last_step, recovery_code_hashes
         FROM users WHERE tenant_id = $1 AND id = $2`,
      [tenantId, candidate.user_id],
    );
    return row;
  });
  if (!user) throw new AppError(401, 'auth.invalid_credentials', 'auth.invalid_credentials');
  const now = clock.now();
  if (user.locked_until && user.locked_until > now) {
    await db.withTenant(tenantId, (tx) =>
      audit(tx, userActor(user), { action: 'login.refused_locked', objectType: 'user', objectId: user.id }),
    );
    throw new AppError(423, 'auth.locked', 'auth.locked', { until: tokyo.format(user.locked_until) });
  }
  const passwordOk = await verifyPassword(user.password_hash, input.password);
  let totpStep: number | null = null;
  let usedRecovery: string | null = null;
  let secondFactorOk = true;
  if (passwordOk && user.totp_secret) {
    if (!input.totp && !input.recoveryCode) throw new AppError(401, 'auth.totp_required', 'auth.totp_required');
    if (input.totp) {
      totpStep = checkTotp(user.totp_secret, input.totp, now.getTime(), user.totp_last_step);
      secondFactorOk = totpStep !== null;
    } else if (input.recoveryCode) {
      usedRecovery = hashRecoveryCode(input.recoveryCode);
      secondFactorOk = user.recovery_code_hashes.includes(usedRecovery);
    }
  }
  if (!passwordOk || !secondFactorOk) {
    const locked = await db.withTenant(tenantId, async (tx) => {
      const [r] = await tx.query<{ failed_logins: number }>(
        'UPDATE users SET failed_logins = failed_logins + 1 WHERE tenant_id = $1 AND id = $2 RETURNING failed_logins',
        [tenantId, user.id],
      );
      const failures = r?.failed_logins ?? 0;
      await audit(tx, userActor(user), {
        action: 'login.failed',
        objectType: 'user',
        objectId: user.id,
        detail: { reason: passwordOk ? 'second_factor' : 'password', failures },
      });
      if (failures < config.login.maxFailures) return null;
      const until = new Date(now.getTime() + config.login.lockMinutes * 60_000);
      await tx.query('UPDATE users SET failed_logins = 0, locked_until = $3 WHERE tenant_id = $1 AND id = $2', [
        tenantId,
        user.id,
        until,
      ]);
      await audit(tx, userActor(user), {
        action: 'login.locked',
        objectType: 'user',
        objectId: user.id,
        detail: { until },
      });
      return until;
    });
    if (locked) throw new AppError(423, 'auth.locked', 'auth.locked', { until: tokyo.format(locked) });
    if (passwordOk) throw new AppError(401, 'auth.totp_invalid', 'auth.totp_invalid');
    throw new AppError(401, 'auth.invalid_credentials', 'auth.invalid_credentials');
  }
  if (!user.active) throw new AppError(401, 'auth.inactive', 'auth.inactive');
  return db.withTenant(tenantId, async (tx) => {
    await tx.query(
      `UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = $3,
              totp_last_step = COALESCE($4, totp_last_step),
              recovery_code_hashes = CASE WHEN $5::text IS NULL THEN recovery_code_hashes
                                          ELSE array_remove(recovery_code_hashes, $5::text) END
        WHERE tenant_id = $1 AND id = $2`,
      [tenantId, user.id, now, totpStep, usedRecovery],
    );
    const session = await createSession(tx, config, now, user.id, actor.ip, userAgent);
    await audit(tx, userActor(user), {
      action: 'login',
      objectType: 'user',
      objectId: user.id,
      detail: { secondFactor: totpStep !== null ? 'totp' : usedRecovery ? 'recovery_code' : 'none' },
    });
    return session;
  });
}

async function createSession(
  tx: TenantTx,
  config: Config,
  now: Date,
  userId: string,
  ip: string | null,
  userAgent: string | undefined,
): Promise<NewSession> {
  const secret = newSecret();
  const csrfToken = newSecret(24);
  const maxAgeSeconds = config.session.absoluteHours * 3600;
  await tx.query(
    `INSERT INTO sessions (tenant_id, user_id, token_hash, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent)
     VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8)`,
    [
      tx.tenantId,
      userId,
      sha256(secret),
      csrfToken,
      now,
      new Date(now.getTime() + maxAgeSeconds * 1000),
      ip,
      userAgent?.slice(0, 300) ?? null,
    ],
  );
  return { tenantId: tx.tenantId, userId, secret, csrfToken, maxAgeSeconds };
}

export async function logout(db: Database, tenantId: string, sessionId: string, actor: Actor) {
  await db.withTenant(tenantId, async (tx) => {
    await tx.query('DELETE FROM sessions WHERE tenant_id = $1 AND id = $2', [tenantId, sessionId]);
    await audit(tx, actor, { action: 'logout', objectType: 'user', objectId: actor.id });
  });
}

async function passwordHashOf(tx: TenantTx, userId: string): Promise<string> {
  const [row] = await tx.query<{ password_hash: string }>(
    'SELECT password_hash FROM users WHERE tenant_id = $1 AND id = $2',
    [tx.tenantId, userId],
  );
  if (!row) throw AppError.notFound('object.user');
  return row.password_hash;
}

async function requirePassword(db: Database, tenantId: string, userId: string, password: string, field = 'password') {
  const hashed = await db.withTenant(tenantId, (tx) => passwordHashOf(tx, userId));
  if (!(await verifyPassword(hashed, password))) {
    throw AppError.field(400, 'auth.wrong_password', field, 'auth.wrong_password');
  }
}

/** Changes the signed-in user's password; every other session of the user ends. */
export async function changePassword(
  db: Database,
  ctx: { tenantId: string; userId: string; sessionId: string; actor: Actor },
  current: string,
  next: string,
) {
  await requirePassword(db, ctx.tenantId, ctx.userId, current, 'currentPassword');
  if (current === next) throw AppError.field(400, 'auth.password_reused', 'newPassword', 'auth.password_reused');
  const hashed = await hashPassword(next);
  await db.withTenant(ctx.tenantId, async (tx) => {
    await tx.query(
      'UPDATE users SET password_hash = $3, must_change_password = false, updated_at = now() WHERE tenant_id = $1 AND id = $2',
      [ctx.tenantId, ctx.userId, hashed],
    );
    await tx.query('DELETE FROM sessions WHERE tenant_id = $1 AND user_id = $2 AND id <> $3', [
      ctx.tenantId,
      ctx.userId,
      ctx.sessionId,
    ]);
    await audit(tx, ctx.actor, { action: 'password.change', objectType: 'user', objectId: ctx.userId });
  });
}

export async function startTotp(db: Database, tenantId: string, userId: string, secret: string) {
  await db.withTenant(tenantId, (tx) =>
    tx.query('UPDATE users SET totp_pending_secret = $3 WHERE tenant_id = $1 AND id = $2', [tenantId, userId, secret]),
  );
}

/** Confirms the pending TOTP secret with a code; answers the new recovery codes (shown once). */
export async function enableTotp(
  db: Database,
  clock: Clock,
  ctx: { tenantId: string; userId: string; actor: Actor },
  code: string,
) {
  return db.withTenant(ctx.tenantId, async (tx) => {
    const [row] = await tx.query<{ totp_pending_secret: string | null }>(
      'SELECT totp_pending_secret FROM users WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
      [ctx.tenantId, ctx.userId],
    );
    const pending = row?.totp_pending_secret;
    if (!pending) throw new AppError(409, 'auth.totp_not_pending', 'auth.totp_not_pending');
    const step = checkTotp(pending, code, clock.now().getTime(), null);
    if (step === null) throw AppError.field(400, 'auth.totp_invalid', 'code', 'auth.totp_invalid');
    const codes = newRecoveryCodes();
    await tx.query(
      `UPDATE users SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_last_step = $3,
              recovery_code_hashes = $4, updated_at = now() WHERE tenant_id = $1 AND id = $2`,
      [ctx.tenantId, ctx.userId, step, codes.map(hashRecoveryCode)],
    );
    await audit(tx, ctx.actor, { action: 'totp.enable', objectType: 'user', objectId: ctx.userId });
    return codes;
  });
}

export async function disableTotp(
  db: Database,
  ctx: { tenantId: string; userId: string; actor: Actor },
  password: string,
) {
  await requirePassword(db, ctx.tenantId, ctx.userId, password);
  await db.withTenant(ctx.tenantId, async (tx) => {
    await tx.query(
      `UPDATE users SET totp_secret = NULL, totp_pending_secret = NULL, totp_last_step = NULL, recovery_code_hashes = '{}',
              updated_at = now() WHERE tenant_id = $1 AND id = $2`,
      [ctx.tenantId, ctx.userId],
    );
    await audit(tx, ctx.actor, { action: 'totp.disable', objectType: 'user', objectId: ctx.userId });
  });
}

export async function regenerateRecoveryCodes(
  db: Database,
  ctx: { tenantId: string; userId: string; actor: Actor },
  password: string,
) {
  await requirePassword(db, ctx.tenantId, ctx.userId, password);
  return db.withTenant(ctx.tenantId, async (tx) => {
    const [row] = await tx.query<{ totp_secret: string | null }>(
      'SELECT totp_secret FROM users WHERE tenant_id = $1 AND id = $2',
      [ctx.tenantId, ctx.userId],
    );
    if (!row?.totp_secret) throw new AppError(409, 'auth.totp_not_enabled', 'auth.totp_not_enabled');
    const codes = newRecoveryCodes();
    await tx.query('UPDATE users SET recovery_code_hashes = $3 WHERE tenant_id = $1 AND id = $2', [
      ctx.tenantId,
      ctx.userId,
      codes.map(hashRecoveryCode),
    ]);
    await audit(tx, ctx.actor, { action: 'recovery_codes.regenerate', objectType: 'user', objectId: ctx.userId });
    return codes;
  });
}

export async function updateOwnProfile(
  db: Database,
  ctx: { tenantId: string; userId: string; actor: Actor },
  patch: { locale?: Locale; name?: string },
) {
  await db.withTenant(ctx.tenantId, async (tx) => {
    await tx.query(
      'UPDATE users SET locale = COALESCE($3, locale), name = COALESCE($4, name), updated_at = now() WHERE tenant_id = $1 AND id = $2',
      [ctx.tenantId, ctx.userId, patch.locale ?? null, patch.name ?? null],
    );
    await audit(tx, ctx.actor, {
      action: 'profile.update',
      objectType: 'user',
      objectId: ctx.userId,
      detail: { fields: Object.keys(patch) },
    });
  });
}
