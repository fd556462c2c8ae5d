import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Database, prepared } from '../../db/database.js';
import { AppError } from '../errors.js';
import type { Locale } from '../i18n/messages.js';
import type { Role, RouteRoles } from './roles.js';
import { safeEqual, sha256 } from './secrets.js';

/** Who is calling, once verified: a signed-in user (cookie session) or an API token. */
export type Principal = {
  kind: 'session' | 'token';
  tenantId: string;
  tenantName: string;
  role: Role;
  /** The user for a session; null for a token. */
  userId: string | null;
  tokenId: string | null;
  sessionId: string | null;
  /** Shown in the audit log: the user's e-mail or the token's name. */
  label: string;
  csrfToken: string | null;
  user: { email: string; name: string; locale: Locale; mustChangePassword: boolean; totpEnabled: boolean } | null;
};

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** Every /api route with the roles it declared, in registration order. */
    routeRoles: { method: string; url: string; roles: RouteRoles }[];
  }
  interface FastifyContextConfig {
    /** Every /api route declares who may call it; the app refuses to start a route that does not. */
    roles?: RouteRoles;
  }
}

export const SESSION_COOKIE = '__Host-madoguchi_session';
export const SESSION_COOKIE_INSECURE = 'madoguchi_session';

type SessionRow = {
  tenant_id: string;
  session_id: string;
  user_id: string;
  csrf_token: string;
  email: string;
  name: string;
  role: Role;
  locale: Locale;
  must_change_password: boolean;
  totp_enabled: boolean;
  tenant_name: string;
};
type TokenRow = { tenant_id: string; token_id: string; name: string; role: Role; tenant_name: string };

/**
 * API tokens are looked up on every call; a short cache keeps the hot path to the query the
 * caller asked for. A revoked token is dropped from this process's cache at once and from
 * others' within TOKEN_CACHE_MS.
 */
const TOKEN_CACHE_MS = 5_000;
const TOKEN_LOOKUP = prepared('SELECT * FROM auth_api_token($1)');
const SESSION_LOOKUP = prepared('SELECT * FROM auth_session($1, $2::interval)');
const tokenCache = new Map<string, { principal: Principal; until: number }>();

export function forgetTokens(): void {
  tokenCache.clear();
}

async function fromToken(db: Database, secret: string, now: number): Promise<Principal | null> {
  const cached = tokenCache.get(secret);
  if (cached && cached.until > now) return cached.principal;
  const [row] = await db.app.query<TokenRow>(TOKEN_LOOKUP, [sha256(secret)]);
  if (!row) {
    tokenCache.delete(secret);
    return null;
  }
  const principal: Principal = {
    kind: 'token',
    tenantId: row.tenant_id,
    tenantName: row.tenant_name,
    role: row.role,
    userId: null,
    tokenId: row.token_id,
    sessionId: null,
    label: `token:${row.name}`,
    csrfToken: null,
    user: null,
  };
  if (tokenCache.size > 10_000) tokenCache.clear();
  tokenCache.set(secret, { principal, until: now + TOKEN_CACHE_MS });
  return principal;
}

async function fromSession(db: Database, secret: string, idleMinutes: number): Promise<Principal | null> {
  const [row] = await db.app.query<SessionRow>(SESSION_LOOKUP, [sha256(secret), `${idleMinutes} minutes`]);
  if (!row) return null;
  return {
    kind: 'session',
    tenantId: row.tenant_id,
    tenantName: row.tenant_name,
    role: row.role,
    userId: row.user_id,
    tokenId: null,
    sessionId: row.session_id,
    label: row.email,
    csrfToken: row.csrf_token,
    user: {
      email: row.email,
      name: row.name,
      locale: row.locale,
      mustChangePassword: row.must_change_password,
      totpEnabled: row.totp_enabled,
    },
  };
}

export function sessionSecretFrom(req: FastifyRequest): string | undefined {
  return req.cookies[SESSION_COOKIE] ?? req.cookies[SESSION_COOKIE_INSECURE];
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Resolves the principal for every /api request, then enforces the route's declared roles and,
 * for cookie sessions, the CSRF token on writes — both before the body is read.
 */
export function registerAuth(app: FastifyInstance, db: Database, idleMinutes: number): void {
  app.decorateRequest('principal', null);
  const table: FastifyInstance['routeRoles'] = [];
  app.decorate('routeRoles', table);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    const roles = (route.config as { roles?: RouteRoles } | undefined)?.roles;
    if (roles === undefined) throw new Error(`${route.method} ${route.url} declares no roles: add config.roles`);
    for (const method of [route.method].flat()) if (method !== 'HEAD') table.push({ method, url: route.url, roles });
  });
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    const header = req.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      req.principal = match?.[1] ? await fromToken(db, match[1], Date.now()) : null;
      if (!req.principal) throw AppError.unauthenticated();
      return;
    }
    const secret = sessionSecretFrom(req);
    if (secret) req.principal = await fromSession(db, secret, idleMinutes);
  });
  // Before the body is parsed or validated: a caller without the right learns nothing more.
  app.addHook('onRequest', async (req) => {
    const roles = req.routeOptions.config.roles;
    // Routes without roles are the web app's files and the not-found handler (checked at registration).
    if (roles === undefined) return;
    if (roles === 'public') return;
    const p = req.principal;
    if (!p) throw AppError.unauthenticated();
    if (roles !== 'any' && !roles.includes(p.role)) throw AppError.forbidden(p.role);
    if (p.kind === 'session' && UNSAFE.has(req.method)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !p.csrfToken || !safeEqual(sent, p.csrfToken)) {
        throw new AppError(403, 'csrf.invalid', 'error.detail.csrf');
      }
    }
  });
}

/** The verified principal of a route that is not public. */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw AppError.unauthenticated();
  return req.principal;
}

export function sessionPrincipalOf(req: FastifyRequest): Principal & { userId: string; sessionId: string } {
  const p = principalOf(req);
  if (p.kind !== 'session' || !p.userId || !p.sessionId) {
    throw new AppError(403, 'auth.session_required', 'auth.session_required');
  }
  return p as Principal & { userId: string; sessionId: string };
}

export function isSecureRequest(req: FastifyRequest): boolean {
  return req.protocol === 'https' || ['localhost', '127.0.0.1', '[::1]'].includes(req.hostname.replace(/:\d+$/, ''));
}

export function setSessionCookie(req: FastifyRequest, reply: FastifyReply, secret: string, maxAgeSeconds: number) {
  const secure = isSecureRequest(req);
  reply.setCookie(secure ? SESSION_COOKIE : SESSION_COOKIE_INSECURE, secret, {
    path: '/',
    httpOnly: true,
    secure,
    sameSite: 'lax',
    maxAge: maxAgeSeconds,
  });
}

export function clearSessionCookie(reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, { path: '/', secure: true, httpOnly: true, sameSite: 'lax' });
  reply.clearCookie(SESSION_COOKIE_INSECURE, { path: '/', httpOnly: true, sameSite: 'lax' });
}
