// Karte (health notes): who may read and write them (roles, the per-user grant, tokens), the
// audit of every request, their absence from every customer read, list, search and export, and
// tenant isolation.
import { beforeAll, describe, expect, it } from 'vitest';
import { crossTenantKit } from '../../test/cross-tenant.js';
import { auth, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';

type Headers = Record<string, string>;
type Session = { cookie: string; csrf: string };

let app: TestApp;
let t: TestTenant;

beforeAll(async () => {
  app = await testApp();
  t = await makeTenant(app);
});

async function signIn(email: string, password: string): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  expect(res.statusCode, res.body).toBe(200);
  const cookie = res.cookies.find((c) => c.name.endsWith('madoguchi_session'));
  return { cookie: `${cookie?.name}=${cookie?.value}`, csrf: res.json().csrfToken };
}

const as = (s: Session): Headers => ({ cookie: s.cookie, 'x-csrf-token': s.csrf });

async function createCustomer(token = t.adminToken, body: Record<string, unknown> = {}): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/customers',
    headers: auth(token),
    payload: { name: '窓口 花子', phones: [{ number: '090-1111-2222' }], ...body },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

const readKarte = (id: string, headers: Headers) =>
  app.inject({ method: 'GET', url: `/api/v1/customers/${id}/karte`, headers });
const writeKarte = (id: string, headers: Headers, payload: Record<string, unknown>) =>
  app.inject({ method: 'PUT', url: `/api/v1/customers/${id}/karte`, headers, payload });

async function karteAudit(customerId: string) {
  const res = await app.inject({
    method: 'GET',
    url: `/api/v1/audit?objectType=karte&objectId=${customerId}&limit=500`,
    headers: auth(t.adminToken),
  });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().items as { action: string; actor: { type: string; label: string }; detail: unknown }[]).reverse();
}

describe('permission matrix', () => {
  it('admins and supervisors (users and tokens) read and write; operators only with the grant, never by token', async () => {
    const id = await createCustomer();
    const admin = await t.user('admin');
    const supervisor = await t.user('supervisor');
    const operator = await t.user('operator');
    const sessions = {
      admin: await signIn(admin.email, admin.password),
      supervisor: await signIn(supervisor.email, supervisor.password),
      operator: await signIn(operator.email, operator.password),
    };
    const tokens = {
      admin: t.adminToken,
      supervisor: await t.token('supervisor'),
      operator: await t.token('operator'),
      appointer: await t.token('appointer'),
    };
    const access = async (h: Headers) =>
      (await app.inject({ method: 'GET', url: '/api/v1/karte/access', headers: h })).json().granted;

    for (const h of [as(sessions.admin), as(sessions.supervisor), auth(tokens.admin), auth(tokens.supervisor)]) {
      expect((await readKarte(id, h)).statusCode).toBe(200);
      expect((await writeKarte(id, h, { notes: 'ok' })).statusCode).toBe(200);
      expect(await access(h)).toBe(true);
    }

    // An operator without the grant, and any operator token: 403 karte.forbidden, nothing audited.
    const before = (await karteAudit(id)).length;
    for (const h of [as(sessions.operator), auth(tokens.operator)]) {
      for (const res of [await readKarte(id, h), await writeKarte(id, h, { notes: 'no' })]) {
        expect(res.statusCode, res.body).toBe(403);
        expect(res.json().code).toBe('karte.forbidden');
      }
      expect(await access(h)).toBe(false);
    }
    // Roles outside the desk are refused by the route itself.
    expect((await readKarte(id, auth(tokens.appointer))).json().code).toBe('forbidden');
    expect((await karteAudit(id)).length).toBe(before);

    // Only admins grant; the grant opens the karte to that operator's sessions, not to tokens.
    const grantUrl = `/api/v1/users/${operator.userId}/grants/karte`;
    for (const token of [tokens.supervisor, tokens.operator]) {
      expect((await app.inject({ method: 'PUT', url: grantUrl, headers: auth(token) })).statusCode).toBe(403);
    }
    expect((await app.inject({ method: 'PUT', url: grantUrl, headers: auth(tokens.admin) })).statusCode).toBe(204);
    expect((await app.inject({ method: 'PUT', url: grantUrl, headers: auth(tokens.admin) })).statusCode).toBe(204);
    const grants = await app.inject({
      method: 'GET',
      url: `/api/v1/users/${operator.userId}/grants`,
      headers: auth(tokens.admin),
    });
    expect(grants.json()).toEqual({ grants: ['karte'] });
    expect(await access(as(sessions.operator))).toBe(true);
    expect((await readKarte(id, as(sessions.operator))).statusCode).toBe(200);
    expect((await writeKarte(id, as(sessions.operator), { allergies: '卵' })).statusCode).toBe(200);
    expect((await readKarte(id, auth(tokens.operator))).statusCode).toBe(403);

    // Taken away: 403 again at once.
    expect((await app.inject({ method: 'DELETE', url: grantUrl, headers: auth(tokens.admin) })).statusCode).toBe(204);
    expect((await readKarte(id, as(sessions.operator))).statusCode).toBe(403);
    expect(await access(as(sessions.operator))).toBe(false);

    // Grant changes are audited once each (the repeated PUT changed nothing).
    const res = await app.inject({
      method: 'GET',
      url: `/api/v1/audit?objectType=user&objectId=${operator.userId}`,
      headers: auth(tokens.admin),
    });
    const actions = (res.json().items as { action: string }[]).map((i) => i.action);
    expect(actions.filter((a) => a === 'user.grant')).toHaveLength(1);
    expect(actions.filter((a) => a === 'user.revoke')).toHaveLength(1);
  });
});

describe('reads and writes', () => {
  it('PUT sets the given fields, keeps absent ones, clears on null or ""; If-Match guards; GET answers it', async () => {
    const id = await createCustomer();
    const empty = await readKarte(id, auth(t.adminToken));
    expect(empty.json()).toMatchObject({ customerId: id, conditions: null, notes: null, version: 0, updatedAt: null });

    const first = await writeKarte(id, auth(t.adminToken), {
      conditions: ' 高血圧 ',
      allergies: 'ペニシリン',
      medication: '降圧剤',
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ conditions: '高血圧', allergies: 'ペニシリン', notes: null, version: 1 });
    expect(first.headers.etag).toBe('"1"');

    const second = await writeKarte(id, auth(t.adminToken), { allergies: null, medication: '', notes: '食事制限あり' });
    expect(second.json()).toMatchObject({
      conditions: '高血圧',
      allergies: null,
      medication: null,
      notes: '食事制限あり',
      version: 2,
    });

    const stale = await app.inject({
      method: 'PUT',
      url: `/api/v1/customers/${id}/karte`,
      headers: { ...auth(t.adminToken), 'if-match': '"1"' },
      payload: { notes: 'x' },
    });
    expect(stale.statusCode).toBe(412);
    const fresh = await app.inject({
      method: 'PUT',
      url: `/api/v1/customers/${id}/karte`,
      headers: { ...auth(t.adminToken), 'if-match': '"2"' },
      payload: { notes: '更新' },
    });
    expect(fresh.statusCode).toBe(200);
    expect((await readKarte(id, auth(t.adminToken))).json()).toMatchObject({ notes: '更新', version: 3 });
  });

  it('refuses unknown fields and overlong text with field paths', async () => {
    const id = await createCustomer();
    const unknown = await writeKarte(id, auth(t.adminToken), { diagnosis: 'x' });
    expect(unknown.statusCode).toBe(400);
    const long = await writeKarte(id, auth(t.adminToken), { conditions: 'あ'.repeat(2001) });
    expect(long.statusCode).toBe(400);
    expect(long.json().errors[0].path).toBe('conditions');
  });

  it('answers 404 for a customer that does not exist', async () => {
    const missing = '00000000-0000-4000-8000-000000000001';
    expect((await readKarte(missing, auth(t.adminToken))).statusCode).toBe(404);
    expect((await writeKarte(missing, auth(t.adminToken), { notes: 'x' })).statusCode).toBe(404);
  });
});

describe('audit', () => {
  it('keeps one row per request: read for a GET, write for a PUT, with the actor and no values', async () => {
    const id = await createCustomer();
    const supervisor = await t.token('supervisor', 'karte-supervisor');
    await writeKarte(id, auth(t.adminToken), { conditions: '糖尿病' });
    await readKarte(id, auth(supervisor));
    await readKarte(id, auth(t.adminToken));
    await writeKarte(id, auth(supervisor), { notes: '週1回の通院' });
    await readKarte(id, auth(t.adminToken));

    const items = await karteAudit(id);
    expect(items.map((i) => i.action)).toEqual(['write', 'read', 'read', 'write', 'read']);
    expect(items[1]?.actor).toMatchObject({ type: 'token', label: 'token:karte-supervisor' });
    expect(items[3]?.detail).toEqual({ fields: ['notes'] });
    expect(JSON.stringify(items)).not.toMatch(/糖尿病|通院/);

    const reads = await app.inject({
      method: 'GET',
      url: `/api/v1/audit?objectType=karte&objectId=${id}&action=read`,
      headers: auth(t.adminToken),
    });
    expect(reads.json().items).toHaveLength(3);
  });
});

describe('never outside the karte', () => {
  it('is absent from the customer read, list, search, look-up and both CSV exports', async () => {
    const secret = 'カルテ秘密XYZZY';
    const id = await createCustomer(t.adminToken, { name: '健康 太郎', phones: [{ number: '03-5555-0101' }] });
    const put = await writeKarte(id, auth(t.adminToken), {
      conditions: `${secret}-c`,
      allergies: `${secret}-a`,
      medication: `${secret}-m`,
      notes: `${secret}-n`,
    });
    expect(put.statusCode).toBe(200);

    const bodies: string[] = [];
    for (const url of [
      `/api/v1/customers/${id}`,
      '/api/v1/customers?limit=500',
      `/api/v1/customers?q=${encodeURIComponent('健康')}`,
      '/api/v1/customers/lookup?phone=0355550101',
      '/api/v1/customers/export?encoding=utf8bom',
    ]) {
      const res = await app.inject({ method: 'GET', url, headers: auth(t.adminToken) });
      expect(res.statusCode, `${url}: ${res.body.slice(0, 200)}`).toBe(200);
      bodies.push(res.body);
    }
    expect(bodies[0]).toContain('健康 太郎');
    expect(bodies[4]).toContain('健康 太郎');
    for (const body of bodies) {
      expect(body).not.toContain(secret);
      expect(body).not.toMatch(/conditions|allergies|medication/);
    }
    const sjis = await app.inject({
      method: 'GET',
      url: '/api/v1/customers/export?encoding=sjis',
      headers: auth(t.adminToken),
    });
    expect(new TextDecoder('shift_jis').decode(sjis.rawPayload)).not.toContain(secret);
  });
});

describe('tenants', () => {
  it("answers 404 to another tenant's customer karte and user grants", async () => {
    const a = await makeTenant(app);
    const b = await makeTenant(app);
    await crossTenantKit(app, a, b).expectIsolated({
      create: async (token) => {
        const id = await createCustomer(token);
        expect((await writeKarte(id, auth(token), { notes: '秘' })).statusCode).toBe(200);
        return id;
      },
      read: (id) => `/api/v1/customers/${id}/karte`,
      writes: (id) => [{ method: 'PUT', url: `/api/v1/customers/${id}/karte`, payload: { notes: 'B' } }],
    });
    const aUser = await a.user('operator');
    for (const method of ['PUT', 'DELETE'] as const) {
      const res = await app.inject({
        method,
        url: `/api/v1/users/${aUser.userId}/grants/karte`,
        headers: auth(b.adminToken),
      });
      expect(res.statusCode).toBe(404);
    }
    const list = await app.inject({
      method: 'GET',
      url: `/api/v1/users/${aUser.userId}/grants`,
      headers: auth(b.adminToken),
    });
    expect(list.statusCode).toBe(404);
  });
});
