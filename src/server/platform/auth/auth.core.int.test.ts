// Sign-in, sessions, CSRF, lockout, TOTP and recovery codes, through the HTTP API.
import { describe, expect, it } from 'vitest';
import { dbOf, makeTenant, type TestApp, testApp } from '../../test/harness.js';
import { ManualClock } from '../clock.js';
import { currentTotp } from './totp.js';

type Session = { cookie: string; csrf: string };

async function signIn(
  app: TestApp,
  email: string,
  password: string,
  extra: Record<string, string> = {},
): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password, ...extra } });
  expect(res.statusCode, res.body).toBe(200);
  const cookie = String(res.headers['set-cookie']).split(';')[0] ?? '';
  return { cookie, csrf: res.json().csrfToken };
}

const as = (s: Session) => ({ cookie: s.cookie, 'x-csrf-token': s.csrf });

describe('sign-in and sessions', () => {
  it('signs in with e-mail and password, sets a hardened cookie, and answers /auth/me', async () => {
    const app = await testApp();
    const t = await makeTenant(app);
    const u = await t.user('operator');
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: u.email.toUpperCase(), password: u.password },
    });
    expect(res.statusCode).toBe(200);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^__Host-madoguchi_session=/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/Secure/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).toMatch(/Path=\//);
    const cookie = setCookie.split(';')[0] ?? '';
    const me = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json().user).toMatchObject({ email: u.email, role: 'operator', tenant: { id: t.tenantId } });
    expect(me.json().csrfToken).toBe(res.json().csrfToken);
    // The session secret is stored only as a hash.
    const stored = await dbOf(app).withTenant(t.tenantId, (tx) =>
      tx.query<{ token_hash: Buffer }>('SELECT token_hash FROM sessions'),
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]?.token_hash.length).toBe(32);
    expect(stored[0]?.token_hash.toString('base64url')).not.toBe(cookie.split('=')[1]);
  });

  it('answers the same 401 for an unknown e-mail and a wrong password', async () => {
    const app = await testApp();
    const u = await (await makeTenant(app)).user('operator');
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'nobody@example.jp', password: 'whatever1' },
    });
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: u.email, password: 'wrong-password' },
    });
    for (const r of [unknown, wrong]) {
      expect(r.statusCode).toBe(401);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(r.json().code).toBe('auth.invalid_credentials');
    }
    expect(unknown.json().detail).toBe(wrong.json().detail);
  });

  it('locks the account after 5 failures for 15 minutes, audited, and tells the user until when', async () => {
    const app = await testApp();
    const t = await makeTenant(app);
    const u = await t.user('operator');
    for (let i = 0; i < 4; i++) {
      const r = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: u.email, password: 'wrong-password' },
      });
      expect(r.statusCode).toBe(401);
    }
    const fifth = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: u.email, password: 'wrong-password' },
    });
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().code).toBe('auth.locked');
    // Even the right password is refused while locked.
    const right = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: u.email, password: u.password },
    });
    expect(right.statusCode).toBe(423);
    const audit = await app.inject({
      method: 'GET',
      url: `/api/v1/audit?objectType=user&objectId=${u.userId}&limit=20`,
      headers: { authorization: `Bearer ${t.adminToken}` },
    });
    const actions = audit.json().items.map((i: { action: string }) => i.action);
    expect(actions.filter((a: string) => a === 'login.failed')).toHaveLength(5);
    expect(actions).toContain('login.locked');
    expect(actions).toContain('login.refused_locked');
    const [row] = await dbOf(app).withTenant(t.tenantId, (tx) =>
      tx.query<{ minutes: number }>(
        'SELECT round(extract(epoch FROM locked_until - now()) / 60)::int AS minutes FROM users WHERE id = $1',
        [u.userId],
      ),
    );
    expect(row?.minutes).toBe(15);
  });

  it('refuses cookie-authenticated writes without the CSRF token, and accepts them with it', async () => {
    const app = await testApp();
    const u = await (await makeTenant(app)).user('operator');
    const s = await signIn(app, u.email, u.password);
    const without = await app.inject({
      method: 'PATCH',
      url: '/api/v1/auth/me',
      headers: { cookie: s.cookie },
      payload: { locale: 'en' },
    });
    expect(without.statusCode).toBe(403);
    expect(without.json().code).toBe('csrf.invalid');
    const wrong = await app.inject({
      method: 'PATCH',
      url: '/api/v1/auth/me',
      headers: { cookie: s.cookie, 'x-csrf-token': 'nope' },
      payload: { locale: 'en' },
    });
    expect(wrong.statusCode).toBe(403);
    const ok = await app.inject({ method: 'PATCH', url: '/api/v1/auth/me', headers: as(s), payload: { locale: 'en' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.locale).toBe('en');
  });

  it('ends a session after 30 idle minutes and after 12 hours in all, and on logout', async () => {
    const app = await testApp();
    const t = await makeTenant(app);
    const u = await t.user('operator');
    const db = dbOf(app);
    const me = (s: Session) => app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: s.cookie } });
    const idle = await signIn(app, u.email, u.password);
    await db.withTenant(t.tenantId, (tx) =>
      tx.query("UPDATE sessions SET last_seen_at = now() - interval '31 minutes'"),
    );
    expect((await me(idle)).statusCode).toBe(401);

    const old = await signIn(app, u.email, u.password);
    await db.withTenant(t.tenantId, (tx) =>
      tx.query(
        "UPDATE sessions SET expires_at = now() - interval '1 second' WHERE last_seen_at > now() - interval '1 minute'",
      ),
    );
    expect((await me(old)).statusCode).toBe(401);

    const live = await signIn(app, u.email, u.password);
    expect((await me(live)).statusCode).toBe(200);
    const out = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: as(live) });
    expect(out.statusCode).toBe(204);
    expect((await me(live)).statusCode).toBe(401);
  });

  it('changes the password: the old one stops working and other sessions end', async () => {
    const app = await testApp();
    const u = await (await makeTenant(app)).user('supervisor');
    const first = await signIn(app, u.email, u.password);
    const second = await signIn(app, u.email, u.password);
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: as(second),
      payload: { currentPassword: 'nope-nope', newPassword: 'brand-new-pass' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].path).toBe('currentPassword');
    const short = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: as(second),
      payload: { currentPassword: u.password, newPassword: 'short' },
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().errors[0].path).toBe('newPassword');
    const ok = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: as(second),
      payload: { currentPassword: u.password, newPassword: 'brand-new-pass' },
    });
    expect(ok.statusCode).toBe(204);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: first.cookie } })).statusCode,
    ).toBe(401);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: second.cookie } })).statusCode,
    ).toBe(200);
    const old = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: u.email, password: u.password },
    });
    expect(old.statusCode).toBe(401);
    await signIn(app, u.email, 'brand-new-pass');
  });

  it('limits sign-in attempts per client', async () => {
    const app = await testApp({ env: { LOGIN_RATE_PER_MINUTE: '3' } });
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'x@example.jp', password: 'whatever1' },
      });
      codes.push(r.statusCode);
    }
    expect(codes).toEqual([401, 401, 401, 429]);
  });
});

describe('two-factor authentication', () => {
  it('enrols TOTP, then requires a code; a code works once; recovery codes work once each', async () => {
    const clock = new ManualClock(new Date());
    const app = await testApp({ clock });
    const t = await makeTenant(app);
    const u = await t.user('admin');
    const s = await signIn(app, u.email, u.password);

    const early = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/totp/enable',
      headers: as(s),
      payload: { code: '123456' },
    });
    expect(early.statusCode).toBe(409);
    const setup = await app.inject({ method: 'POST', url: '/api/v1/auth/totp/setup', headers: as(s) });
    expect(setup.statusCode).toBe(200);
    const { secret, otpauthUrl, qrDataUrl } = setup.json();
    expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\/Madoguchi:/);
    expect(qrDataUrl).toMatch(/^data:image\/png;base64,/);
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/totp/enable',
      headers: as(s),
      payload: { code: '000000' },
    });
    expect(bad.statusCode).toBe(400);
    const enabled = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/totp/enable',
      headers: as(s),
      payload: { code: currentTotp(secret, clock.now().getTime()) },
    });
    expect(enabled.statusCode).toBe(200);
    const codes: string[] = enabled.json().recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);

    const needCode = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: u.email, password: u.password },
    });
    expect(needCode.statusCode).toBe(401);
    expect(needCode.json().code).toBe('auth.totp_required');
    // The enrolment code was used: the same step is refused; the next step's code works once.
    const replay = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: u.email, password: u.password, totp: currentTotp(secret, clock.now().getTime()) },
    });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('auth.totp_invalid');
    clock.advance(30_000);
    const code = currentTotp(secret, clock.now().getTime());
    await signIn(app, u.email, u.password, { totp: code });
    const again = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: u.email, password: u.password, totp: code },
    });
    expect(again.statusCode).toBe(401);

    const recovery = codes[0] as string;
    await signIn(app, u.email, u.password, { recoveryCode: recovery.toUpperCase() });
    const reused = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: u.email, password: u.password, recoveryCode: recovery },
    });
    expect(reused.statusCode).toBe(401);

    const me = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: s.cookie } });
    expect(me.json().user.totpEnabled).toBe(true);
    const regenerated = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/recovery-codes',
      headers: as(s),
      payload: { password: u.password },
    });
    expect(regenerated.json().recoveryCodes).toHaveLength(10);
    const oldCode = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: u.email, password: u.password, recoveryCode: codes[1] },
    });
    expect(oldCode.statusCode).toBe(401);

    const disable = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/totp/disable',
      headers: as(s),
      payload: { password: u.password },
    });
    expect(disable.statusCode).toBe(204);
    await signIn(app, u.email, u.password);
  });

  it('refuses session-only actions to API tokens', async () => {
    const app = await testApp();
    const t = await makeTenant(app);
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/totp/setup',
      headers: { authorization: `Bearer ${t.adminToken}` },
    });
    expect(r.statusCode).toBe(403);
    expect(r.json().code).toBe('auth.session_required');
  });
});
