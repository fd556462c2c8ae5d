import { z } from 'zod';
import type { App, Deps } from '../../app.js';
import { actorOf } from '../audit/audit.js';
import { localeSchema, passwordSchema, userSchema } from '../users/users.schema.js';
import { getUser } from '../users/users.service.js';
import {
  changePassword,
  disableTotp,
  enableTotp,
  login,
  logout,
  regenerateRecoveryCodes,
  startTotp,
  updateOwnProfile,
} from './auth.service.js';
import { clearSessionCookie, principalOf, sessionPrincipalOf, setSessionCookie } from './principal.js';
import { newTotpSecret, totpEnrolment } from './totp.js';

const meSchema = z.object({
  user: userSchema.extend({ tenant: z.object({ id: z.uuid(), name: z.string() }) }),
  csrfToken: z.string().nullable(),
});
const recoveryCodesSchema = z.object({ recoveryCodes: z.array(z.string()) });
const tags = ['auth'];

export function authRoutes(app: App, deps: Deps) {
  const { db, config, clock } = deps;

  async function me(tenantId: string, tenantName: string, userId: string, csrfToken: string | null) {
    const user = await getUser(db, { tenantId, now: clock.now() }, userId);
    return { user: { ...user, tenant: { id: tenantId, name: tenantName } }, csrfToken };
  }

  app.post(
    '/auth/login',
    {
      config: { roles: 'public', rateLimit: { max: config.login.ratePerMinute, timeWindow: '1 minute' } },
      schema: {
        tags,
        body: z.object({
          email: z.string().trim().min(1).max(254),
          password: z.string().min(1).max(200),
          totp: z.string().max(20).optional(),
          recoveryCode: z.string().max(40).optional(),
        }),
        response: { 200: meSchema },
      },
    },
    async (req, reply) => {
      const session = await login(
        db,
        config,
        clock,
        req.body,
        { requestId: String(req.id), ip: req.ip },
        req.headers['user-agent'],
      );
      setSessionCookie(req, reply, session.secret, session.maxAgeSeconds);
      const [tenant] = await db.withTenant(session.tenantId, (tx) =>
        tx.query<{ name: string }>('SELECT name FROM tenants WHERE id = $1', [session.tenantId]),
      );
      return me(session.tenantId, tenant?.name ?? '', session.userId, session.csrfToken);
    },
  );

  app.post('/auth/logout', { config: { roles: 'any' }, schema: { tags } }, async (req, reply) => {
    const p = principalOf(req);
    if (p.kind === 'session' && p.sessionId) await logout(db, p.tenantId, p.sessionId, actorOf(req));
    clearSessionCookie(reply);
    return reply.status(204).send();
  });

  app.get('/auth/me', { config: { roles: 'any' }, schema: { tags, response: { 200: meSchema } } }, async (req) => {
    const p = sessionPrincipalOf(req);
    return me(p.tenantId, p.tenantName, p.userId, p.csrfToken);
  });

  app.patch(
    '/auth/me',
    {
      config: { roles: 'any' },
      schema: {
        tags,
        body: z.object({ locale: localeSchema.optional(), name: z.string().trim().min(1).max(100).optional() }),
        response: { 200: meSchema },
      },
    },
    async (req) => {
      const p = sessionPrincipalOf(req);
      await updateOwnProfile(db, { tenantId: p.tenantId, userId: p.userId, actor: actorOf(req) }, req.body);
      return me(p.tenantId, p.tenantName, p.userId, p.csrfToken);
    },
  );

  app.post(
    '/auth/password',
    {
      config: { roles: 'any' },
      schema: { tags, body: z.object({ currentPassword: z.string().min(1).max(200), newPassword: passwordSchema }) },
    },
    async (req, reply) => {
      const p = sessionPrincipalOf(req);
      await changePassword(db, { ...p, actor: actorOf(req) }, req.body.currentPassword, req.body.newPassword);
      return reply.status(204).send();
    },
  );

  app.post(
    '/auth/totp/setup',
    {
      config: { roles: 'any' },
      schema: {
        tags,
        response: { 200: z.object({ secret: z.string(), otpauthUrl: z.string(), qrDataUrl: z.string() }) },
      },
    },
    async (req) => {
      const p = sessionPrincipalOf(req);
      const secret = newTotpSecret();
      await startTotp(db, p.tenantId, p.userId, secret);
      return totpEnrolment(secret, p.label);
    },
  );

  app.post(
    '/auth/totp/enable',
    {
      config: { roles: 'any' },
      schema: { tags, body: z.object({ code: z.string().min(1).max(20) }), response: { 200: recoveryCodesSchema } },
    },
    async (req) => {
      const p = sessionPrincipalOf(req);
      return { recoveryCodes: await enableTotp(db, clock, { ...p, actor: actorOf(req) }, req.body.code) };
    },
  );

  app.post(
    '/auth/totp/disable',
    { config: { roles: 'any' }, schema: { tags, body: z.object({ password: z.string().min(1).max(200) }) } },
    async (req, reply) => {
      const p = sessionPrincipalOf(req);
      await disableTotp(db, { ...p, actor: actorOf(req) }, req.body.password);
      return reply.status(204).send();
    },
  );

  app.post(
    '/auth/recovery-codes',
    {
      config: { roles: 'any' },
      schema: {
        tags,
        body: z.object({ password: z.string().min(1).max(200) }),
        response: { 200: recoveryCodesSchema },
      },
    },
    async (req) => {
      const p = sessionPrincipalOf(req);
      return { recoveryCodes: await regenerateRecoveryCodes(db, { ...p, actor: actorOf(req) }, req.body.password) };
    },
  );
}
