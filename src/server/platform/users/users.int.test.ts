// /api/v1/users against a real database: the admin's user management, its effects on sign-in
// (sessions ended, lockout lifted), its refusals (roles, self-demotion, duplicates, bad input),
// tenant isolation and the audit row every write leaves.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossTenantKit } from '../../test/cross-tenant.js';
import { auth, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';

type Res = Awaited<ReturnType<TestApp['inject']>>;
type User = {
  id: string;
  email: string;
  name: string;
  role: string;
  locale: string;
  active: boolean;
  totpEnabled: boolean;
  lockedUntil: string | null;
  mustChangePassword: boolean;
  lastLoginAt: string | null;
  createdAt: string;
};
type Session = { cookie: string; csrf: string };

let app: TestApp;
let t: TestTenant;

beforeAll(async () => {
  app = await testApp();
  t = await makeTenant(app);
});

const email = (tag = 'u') => `${tag}-${randomUUID().slice(0, 12)}@test.madoguchi.jp`;

function expectProblem(res: Res, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json();
  expect(body).toMatchObject({ status, code, requestId: res.headers['x-request-id'] });
  return body as { title: string; detail: string; errors?: { path: string; code: string; message: string }[] };
}

async function createUser(token: string, body: Record<string, unknown> = {}): Promise<User> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/users',
    headers: auth(token),
    payload: { email: email(), name: '山田 太郎', role: 'operator', password: 'initial-pass-1', ...body },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function getUser(id: string): Promise<User> {
  const res = await app.inject({ method: 'GET', url: `/api/v1/users/${id}`, headers: auth(t.adminToken) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

function login(userEmail: string, password: string) {
  return app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: userEmail, password } });
}

async function signIn(userEmail: string, password: string): Promise<Session> {
  const res = await login(userEmail, password);
  expect(res.statusCode, res.body).toBe(200);
  const cookie = res.cookies.find((c) => c.name.endsWith('madoguchi_session'));
  expect(cookie, 'login sets the session cookie').toBeDefined();
  return { cookie: `${cookie?.name}=${cookie?.value}`, csrf: res.json().csrfToken };
}

function me(s: Session) {
  return app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: s.cookie } });
}

/** The tenant's audit rows for one user, oldest first. */
async function auditOf(userId: string) {
  const res = await app.inject({
    method: 'GET',
    url: `/api/v1/audit?objectType=user&objectId=${userId}&limit=500`,
    headers: auth(t.adminToken),
  });
  expect(res.statusCode, res.body).toBe(200);
  const items = res.json().items as {
    action: string;
    objectId: string;
    actor: { type: string; label: string };
    detail: unknown;
    requestId: string;
  }[];
  for (const item of items) expect(item.objectId).toBe(userId);
  return items.reverse();
}

describe('GET /users', () => {
  it('searches name and e-mail and pages by keyset, in name order, with limit=1', async () => {
    const tag = randomUUID().slice(0, 6);
    // Inserted out of order: the list orders by name.
    const c = await t.user('operator', { name: `検索${tag} う` });
    const a = await t.user('operator', { name: `検索${tag} あ` });
    const b = await t.user('supervisor', { name: `検索${tag} い` });
    await t.user('operator', { name: 'ほか 花子' });

    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 5; i++) {
      const url: string = `/api/v1/users?q=${encodeURIComponent(`検索${tag}`)}&limit=1${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await app.inject({ method: 'GET', url, headers: auth(t.adminToken) });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as { items: User[]; nextCursor: string | null };
      expect(body.items).toHaveLength(1);
      seen.push(body.items[0]?.id ?? '');
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual([a.userId, b.userId, c.userId]);
    expect(cursor).toBeNull();

    // q matches the e-mail too, case-insensitively, and answers whole User objects.
    const byEmail = await app.inject({
      method: 'GET',
      url: `/api/v1/users?q=${encodeURIComponent(b.email.slice(0, 20).toUpperCase())}`,
      headers: auth(t.adminToken),
    });
    expect(byEmail.json()).toEqual({
      items: [
        {
          id: b.userId,
          email: b.email,
          name: b.name,
          role: 'supervisor',
          locale: 'ja',
          active: true,
          totpEnabled: false,
          lockedUntil: null,
          mustChangePassword: false,
          lastLoginAt: null,
          createdAt: expect.any(String),
        },
      ],
      nextCursor: null,
    });
  });

  it('treats % and _ in q literally', async () => {
    const tag = randomUUID().slice(0, 6);
    const pct = await t.user('operator', { name: `達成${tag} 100%` });
    await t.user('operator', { name: `達成${tag} 1000` });
    const search = async (q: string) => {
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/users?q=${encodeURIComponent(q)}`,
        headers: auth(t.adminToken),
      });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as User[]).map((u) => u.id);
    };
    expect(await search('100%')).toEqual([pct.userId]);
    expect(await search(`達成${tag} 10_0`)).toEqual([]);
  });

  it('refuses a cursor it did not make (400 naming cursor, never a server error)', async () => {
    const forged = (values: unknown) => Buffer.from(JSON.stringify(values)).toString('base64url');
    for (const cursor of ['not-a-cursor', forged(['a']), forged(['a', 'not-a-uuid']), forged([1, {}])]) {
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/users?cursor=${cursor}`,
        headers: auth(t.adminToken),
      });
      const body = expectProblem(res, 400, 'validation');
      expect(body.errors?.[0]?.path).toBe('cursor');
    }
  });
});

describe('POST /users', () => {
  it('creates a user who must change the password, readable by GET, audited', async () => {
    const address = email('new');
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { ...auth(t.adminToken), 'x-request-id': `create-${randomUUID().slice(0, 8)}` },
      payload: { email: address, name: '  佐藤 花子  ', role: 'closer', password: 'initial-pass-1', locale: 'en' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json() as User;
    expect(created).toMatchObject({
      email: address,
      name: '佐藤 花子',
      role: 'closer',
      locale: 'en',
      active: true,
      totpEnabled: false,
      lockedUntil: null,
      mustChangePassword: true,
      lastLoginAt: null,
    });
    expect(res.json()).not.toHaveProperty('password');
    expect(res.json()).not.toHaveProperty('passwordHash');
    expect(await getUser(created.id)).toEqual(created);

    // The password given works; the user is told to change it.
    const session = await signIn(address, 'initial-pass-1');
    expect((await me(session)).json().user).toMatchObject({ id: created.id, mustChangePassword: true });

    const [row] = await auditOf(created.id);
    expect(row).toMatchObject({
      action: 'user.create',
      actor: { type: 'token', label: 'token:test-admin' },
      detail: { role: 'closer' },
      requestId: res.headers['x-request-id'],
    });
  });

  it('refuses an e-mail already used, in this tenant or another, with 409 on email', async () => {
    const other = await makeTenant(app);
    const theirs = await createUser(other.adminToken);
    const ours = await createUser(t.adminToken);
    for (const [taken, who] of [
      [theirs.email, "another tenant's"],
      [ours.email.toUpperCase(), 'this tenant’s (other case)'],
    ] as const) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: auth(t.adminToken),
        payload: { email: taken, name: '重複', role: 'operator', password: 'initial-pass-1' },
      });
      const body = expectProblem(res, 409, 'users.email_taken');
      expect(body.errors?.[0], who).toMatchObject({
        path: 'email',
        code: 'users.email_taken',
        message: 'このメールアドレスは既に使われています。',
      });
    }
    // Nothing was created under the taken address in this tenant.
    const list = await app.inject({
      method: 'GET',
      url: `/api/v1/users?q=${encodeURIComponent(theirs.email)}`,
      headers: auth(t.adminToken),
    });
    expect(list.json().items).toEqual([]);
  });

  it('answers 400 problem+json naming each bad field, in Japanese or English', async () => {
    const payload = { email: 'not-an-email', name: '', role: 'boss', password: 'short' };
    const ja = await app.inject({ method: 'POST', url: '/api/v1/users', headers: auth(t.adminToken), payload });
    const jaBody = expectProblem(ja, 400, 'validation');
    expect(jaBody.title).toBe('入力内容に誤りがあります');
    const byPath = (errors: { path: string; message: string }[] | undefined) =>
      Object.fromEntries((errors ?? []).map((e) => [e.path, e.message]));
    expect(byPath(jaBody.errors)).toEqual({
      email: 'メールアドレスの形式が正しくありません。',
      name: '必須項目です。',
      role: expect.stringMatching(/^選択できない値です: admin, supervisor, operator/),
      password: '8 文字以上で入力してください。',
    });
    expect(jaBody.detail).toBe('4 件の項目に誤りがあります。');

    const en = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { ...auth(t.adminToken), 'accept-language': 'en' },
      payload: { name: 123, role: 'operator', password: 'long-enough-1' },
    });
    const enBody = expectProblem(en, 400, 'validation');
    expect(enBody.title).toBe('Some fields are invalid');
    // A missing field is "required"; a field of the wrong type is not.
    expect(byPath(enBody.errors)).toEqual({ email: 'Required.', name: 'Wrong format.' });
  });
});

describe('GET /users/:id', () => {
  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    const missing = await app.inject({
      method: 'GET',
      url: `/api/v1/users/${randomUUID()}`,
      headers: auth(t.adminToken),
    });
    expect(expectProblem(missing, 404, 'not_found').detail).toBe('指定されたユーザーは見つかりません。');
    const malformed = await app.inject({ method: 'GET', url: '/api/v1/users/123', headers: auth(t.adminToken) });
    expect(expectProblem(malformed, 400, 'validation').errors?.[0]?.path).toBe('id');
  });
});

describe('PATCH /users/:id', () => {
  it('changes the name without ending sessions, and the role ending them at once', async () => {
    const u = await t.user('operator');
    const session = await signIn(u.email, u.password);
    expect((await me(session)).statusCode).toBe(200);

    const renamed = await app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${u.userId}`,
      headers: auth(t.adminToken),
      payload: { name: '新しい 名前' },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ id: u.userId, name: '新しい 名前', role: 'operator', active: true });
    const still = await me(session);
    expect(still.statusCode).toBe(200);
    expect(still.json().user.name).toBe('新しい 名前');

    const promoted = await app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${u.userId}`,
      headers: auth(t.adminToken),
      payload: { role: 'supervisor' },
    });
    expect(promoted.statusCode, promoted.body).toBe(200);
    expect(promoted.json()).toMatchObject({ role: 'supervisor', name: '新しい 名前' });
    expectProblem(await me(session), 401, 'unauthenticated');
    // A new sign-in carries the new role.
    const again = await signIn(u.email, u.password);
    expect((await me(again)).json().user.role).toBe('supervisor');

    const rows = await auditOf(u.userId);
    const updates = rows.filter((r) => r.action === 'user.update');
    expect(updates.map((r) => r.detail)).toEqual([
      { fields: ['name'] },
      { fields: ['role'], role: { from: 'operator', to: 'supervisor' } },
    ]);
  });

  it('deactivates: sessions end and sign-in is refused until reactivated', async () => {
    const u = await t.user('operator');
    const session = await signIn(u.email, u.password);
    const off = await app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${u.userId}`,
      headers: auth(t.adminToken),
      payload: { active: false },
    });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json().active).toBe(false);
    expectProblem(await me(session), 401, 'unauthenticated');
    expectProblem(await login(u.email, u.password), 401, 'auth.inactive');

    const on = await app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${u.userId}`,
      headers: auth(t.adminToken),
      payload: { active: true },
    });
    expect(on.json().active).toBe(true);
    expect((await login(u.email, u.password)).statusCode).toBe(200);
    expect((await auditOf(u.userId)).filter((r) => r.action === 'user.update').map((r) => r.detail)).toEqual([
      { fields: ['active'] },
      { fields: ['active'] },
    ]);
  });

  it('refuses a bad role and an unknown user', async () => {
    const u = await t.user('operator');
    const bad = await app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${u.userId}`,
      headers: auth(t.adminToken),
      payload: { role: 'root', name: '' },
    });
    const body = expectProblem(bad, 400, 'validation');
    expect(body.errors?.map((e) => e.path).sort()).toEqual(['name', 'role']);
    const missing = await app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${randomUUID()}`,
      headers: auth(t.adminToken),
      payload: { name: 'x' },
    });
    expectProblem(missing, 404, 'not_found');
    expect((await getUser(u.userId)).role).toBe('operator');
    expect(await auditOf(u.userId)).toEqual([]);
  });

  it('an admin cannot demote or deactivate themself (409), but may rename themself', async () => {
    const admin = await t.user('admin');
    const s = await signIn(admin.email, admin.password);
    const patchSelf = (payload: Record<string, unknown>) =>
      app.inject({
        method: 'PATCH',
        url: `/api/v1/users/${admin.userId}`,
        headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
        payload,
      });
    const demote = expectProblem(await patchSelf({ role: 'operator' }), 409, 'users.self_demote');
    expect(demote.errors?.[0]).toMatchObject({ path: 'role', code: 'users.self_demote' });
    const deactivate = expectProblem(await patchSelf({ active: false }), 409, 'users.self_demote');
    expect(deactivate.errors?.[0]).toMatchObject({ path: 'active' });
    const both = expectProblem(await patchSelf({ role: 'admin', active: false }), 409, 'users.self_demote');
    expect(both.errors?.[0]).toMatchObject({ path: 'active' });

    const rename = await patchSelf({ name: '管理 自分', role: 'admin', active: true });
    expect(rename.statusCode, rename.body).toBe(200);
    expect(rename.json()).toMatchObject({ name: '管理 自分', role: 'admin', active: true });
    // Still signed in (no role change), still admin.
    expect((await me(s)).json().user).toMatchObject({ role: 'admin', name: '管理 自分' });

    // Another admin may demote them.
    const demoted = await app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${admin.userId}`,
      headers: auth(t.adminToken),
      payload: { role: 'operator' },
    });
    expect(demoted.statusCode).toBe(200);
    expectProblem(await me(s), 401, 'unauthenticated');
    const audited = (await auditOf(admin.userId)).filter((r) => r.action === 'user.update');
    expect(audited.map((r) => r.actor.type)).toEqual(['user', 'token']);
  });
});

describe('POST /users/:id/reset-password', () => {
  it('sets the password, forces a change at next sign-in and ends sessions', async () => {
    const u = await t.user('operator');
    const s = await signIn(u.email, u.password);
    const short = await app.inject({
      method: 'POST',
      url: `/api/v1/users/${u.userId}/reset-password`,
      headers: auth(t.adminToken),
      payload: { password: 'short' },
    });
    expect(expectProblem(short, 400, 'validation').errors?.[0]?.path).toBe('password');
    expect((await me(s)).statusCode).toBe(200);

    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/users/${u.userId}/reset-password`,
      headers: auth(t.adminToken),
      payload: { password: 'temporary-pass-9' },
    });
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');
    expectProblem(await me(s), 401, 'unauthenticated');
    expect((await getUser(u.userId)).mustChangePassword).toBe(true);
    expectProblem(await login(u.email, u.password), 401, 'auth.invalid_credentials');
    const fresh = await signIn(u.email, 'temporary-pass-9');
    expect((await me(fresh)).json().user.mustChangePassword).toBe(true);

    const rows = await auditOf(u.userId);
    expect(rows.filter((r) => r.action === 'user.reset_password')).toHaveLength(1);
    // Nothing of the password reaches the audit log.
    expect(JSON.stringify(rows)).not.toContain('temporary-pass-9');
  });
});

describe('POST /users/:id/unlock', () => {
  it('lifts the lockout that five wrong passwords set', async () => {
    const u = await t.user('operator');
    for (let i = 1; i <= 4; i++) expectProblem(await login(u.email, `wrong-${i}`), 401, 'auth.invalid_credentials');
    const fifth = expectProblem(await login(u.email, 'wrong-5'), 423, 'auth.locked');
    expect(fifth.title).toBe('アカウントがロックされています');
    // Locked even with the right password.
    expectProblem(await login(u.email, u.password), 423, 'auth.locked');
    const locked = await getUser(u.userId);
    expect(locked.lockedUntil).not.toBeNull();
    expect(Date.parse(locked.lockedUntil ?? '')).toBeGreaterThan(Date.now());

    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/users/${u.userId}/unlock`,
      headers: auth(t.adminToken),
    });
    expect(res.statusCode, res.body).toBe(204);
    expect((await getUser(u.userId)).lockedUntil).toBeNull();
    const s = await signIn(u.email, u.password);
    expect((await me(s)).json().user.id).toBe(u.userId);

    const actions = (await auditOf(u.userId)).map((r) => r.action);
    expect(actions).toEqual([
      'login.failed',
      'login.failed',
      'login.failed',
      'login.failed',
      'login.failed',
      'login.locked',
      'login.refused_locked',
      'user.unlock',
      'login',
    ]);
  });

  it('answers 404 for an unknown user', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/users/${randomUUID()}/unlock`,
      headers: auth(t.adminToken),
    });
    expectProblem(res, 404, 'not_found');
  });
});

describe('who may call /users', () => {
  let target: User;
  const routes = () =>
    [
      { method: 'GET', url: '/api/v1/users' },
      {
        method: 'POST',
        url: '/api/v1/users',
        payload: { email: email('x'), name: '侵入', role: 'admin', password: 'intruder-pass-1' },
      },
      { method: 'GET', url: `/api/v1/users/${target.id}` },
      { method: 'PATCH', url: `/api/v1/users/${target.id}`, payload: { role: 'admin' } },
      { method: 'POST', url: `/api/v1/users/${target.id}/reset-password`, payload: { password: 'intruder-pass-1' } },
      { method: 'POST', url: `/api/v1/users/${target.id}/unlock` },
    ] as const;

  beforeAll(async () => {
    target = await createUser(t.adminToken, { role: 'operator' });
  });

  it.each(['supervisor', 'operator'] as const)(
    'a %s token gets 403 on every route and changes nothing',
    async (role) => {
      const token = await t.token(role);
      for (const r of routes()) {
        const res = await app.inject({ ...r, headers: auth(token) });
        const body = expectProblem(res, 403, 'forbidden');
        expect(body.detail, `${r.method} ${r.url}`).toContain(role);
      }
      expect(await getUser(target.id)).toEqual(target);
      expect((await auditOf(target.id)).map((r) => r.action)).toEqual(['user.create']);
    },
  );

  it('a signed-in operator gets 403 too', async () => {
    const op = await t.user('operator');
    const s = await signIn(op.email, op.password);
    for (const r of routes()) {
      const res = await app.inject({ ...r, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
      expectProblem(res, 403, 'forbidden');
    }
  });

  it('no credentials, or a bad token, get 401 on every route', async () => {
    for (const r of routes()) {
      expectProblem(await app.inject({ ...r }), 401, 'unauthenticated');
      expectProblem(await app.inject({ ...r, headers: auth('mdg_not-a-real-token') }), 401, 'unauthenticated');
    }
    expect(await getUser(target.id)).toEqual(target);
  });
});

describe('tenant isolation', () => {
  it("another tenant's users are 404 to read, write, reset or unlock, and absent from its list", async () => {
    const kit = crossTenantKit(app, await makeTenant(app), await makeTenant(app));
    await kit.expectIsolated({
      create: async (token) => (await createUser(token)).id,
      read: (id) => `/api/v1/users/${id}`,
      list: '/api/v1/users',
      pageSize: 1,
      writes: (id) => [
        { method: 'PATCH', url: `/api/v1/users/${id}`, payload: { name: '乗っ取り', role: 'admin' } },
        { method: 'POST', url: `/api/v1/users/${id}/reset-password`, payload: { password: 'taken-over-1' } },
        { method: 'POST', url: `/api/v1/users/${id}/unlock` },
      ],
    });
  });
});

describe('staff directory', () => {
  it('lists active colleagues by name for every working role, without e-mail, and not to client viewers', async () => {
    const app = await testApp();
    const t = await makeTenant(app);
    const kept = await t.user('operator', { name: '検索 太郎' });
    const gone = await t.user('operator', { name: '検索 次郎' });
    await app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${gone.userId}`,
      headers: auth(t.adminToken),
      payload: { active: false },
    });
    const supervisor = await t.token('supervisor');
    const res = await app.inject({
      method: 'GET',
      url: `/api/v1/staff?q=${encodeURIComponent('検索')}`,
      headers: auth(supervisor),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([{ id: kept.userId, name: '検索 太郎', role: 'operator' }]);
    const viewer = await t.token('client_viewer');
    expect((await app.inject({ method: 'GET', url: '/api/v1/staff', headers: auth(viewer) })).statusCode).toBe(403);
    const other = await makeTenant(app);
    const foreign = await app.inject({ method: 'GET', url: '/api/v1/staff', headers: auth(other.adminToken) });
    expect(foreign.json().items.map((i: { id: string }) => i.id)).not.toContain(kept.userId);
  });
});
