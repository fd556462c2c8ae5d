// 区分 master: the defaults made once per tenant (also under concurrent first reads), CRUD for
// admins and supervisors, read-only for operators, in-use kinds kept, tenant isolation.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossTenantKit } from '../../test/cross-tenant.js';
import { auth, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';
import { createCustomer, expectProblem, getJson, kindIds, postInteraction } from './interactions.test-util.js';

let app: TestApp;
let t: TestTenant;

beforeAll(async () => {
  app = await testApp();
  t = await makeTenant(app);
});

type Kind = { id: string; code: string | null; name: string; position: number; active: boolean };
const list = async (token = t.adminToken, query = '') =>
  (await getJson<{ items: Kind[] }>(app, token, `/api/v1/interaction-kinds${query}`)).items;
const send = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, token = t.adminToken) =>
  app.inject({ method, url: `/api/v1/interaction-kinds${url}`, headers: auth(token), ...(payload ? { payload } : {}) });

describe('defaults', () => {
  it('concurrent first reads of a new tenant make the six defaults once', async () => {
    const fresh = await makeTenant(app);
    const lists = await Promise.all(Array.from({ length: 4 }, () => list(fresh.adminToken)));
    for (const items of lists) expect(items).toHaveLength(6);
    expect(await list(fresh.adminToken)).toHaveLength(6);
    const { items } = await getJson<{ items: { action: string; actor: { type: string } }[] }>(
      app,
      fresh.adminToken,
      '/api/v1/audit?objectType=interaction_kind',
    );
    expect(items).toEqual([
      expect.objectContaining({ action: 'interaction_kind.seed', actor: expect.objectContaining({ type: 'system' }) }),
    ]);
  });

  it('defaults an admin deleted do not come back', async () => {
    const fresh = await makeTenant(app);
    const [first] = await list(fresh.adminToken);
    expect((await send('DELETE', `/${first?.id}`, undefined, fresh.adminToken)).statusCode).toBe(204);
    expect((await list(fresh.adminToken)).map((k) => k.id)).not.toContain(first?.id);
    expect(await list(fresh.adminToken)).toHaveLength(5);
  });
});

describe('master', () => {
  it('create, rename, reorder, deactivate; the list filters by active', async () => {
    const created = await send('POST', '', { name: '返品' });
    expect(created.statusCode, created.body).toBe(201);
    const kind = created.json() as Kind;
    expect(kind).toMatchObject({ name: '返品', code: null, active: true, position: 7 });
    const renamed = await send('PATCH', `/${kind.id}`, { name: '返品・交換', position: 2, active: false });
    expect(renamed.json()).toMatchObject({ name: '返品・交換', position: 2, active: false });
    expect((await list(t.adminToken, '?active=true')).map((k) => k.id)).not.toContain(kind.id);
    expect((await list(t.adminToken, '?active=false')).map((k) => k.id)).toEqual([kind.id]);
    const one = await getJson<Kind>(app, t.adminToken, `/api/v1/interaction-kinds/${kind.id}`);
    expect(one.name).toBe('返品・交換');
  });

  it('a name taken → 409 on name; an unknown id → 404', async () => {
    const dup = await send('POST', '', { name: 'クレーム' });
    expect(expectProblem(dup, 409, 'interactions.kind_name_taken').errors?.[0]?.path).toBe('name');
    const other = (await send('POST', '', { name: '要望' })).json() as Kind;
    expectProblem(await send('PATCH', `/${other.id}`, { name: '問い合わせ' }), 409, 'interactions.kind_name_taken');
    expect((await send('PATCH', `/${other.id}`, { name: '要望' })).statusCode).toBe(200);
    expectProblem(await send('PATCH', `/${randomUUID()}`, { name: 'x' }), 404, 'not_found');
    expectProblem(await send('DELETE', `/${randomUUID()}`), 404, 'not_found');
  });

  it('a kind in use cannot be deleted (409); an inactive kind stays on its interactions', async () => {
    const kind = (await send('POST', '', { name: '使用中区分' })).json() as Kind;
    const customerId = await createCustomer(app, t.adminToken);
    const interaction = await postInteraction(app, t.adminToken, { customerId, kindId: kind.id });
    expectProblem(await send('DELETE', `/${kind.id}`), 409, 'interactions.kind_in_use');
    await send('PATCH', `/${kind.id}`, { active: false });
    // Its interactions keep it, and may be changed without choosing another kind.
    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/v1/interactions/${interaction.id}`,
      headers: auth(t.adminToken),
      payload: { kindId: kind.id, status: 'done' },
    });
    expect(patched.json()).toMatchObject({ kindName: '使用中区分', status: 'done' });
    // A template naming a kind holds it too.
    const unused = (await send('POST', '', { name: 'テンプレ用区分' })).json() as Kind;
    await app.inject({
      method: 'POST',
      url: '/api/v1/templates',
      headers: auth(t.adminToken),
      payload: { kind: 'talk', name: '区分付き', body: 'x', interactionKindId: unused.id },
    });
    expectProblem(await send('DELETE', `/${unused.id}`), 409, 'interactions.kind_in_use');
  });
});

describe('roles and audit', () => {
  it('operators read kinds but change none; client_viewer reads none; supervisors keep the master', async () => {
    const operator = await t.token('operator');
    const kinds = await kindIds(app, operator);
    expect(Object.keys(kinds)).toContain('inquiry');
    expectProblem(await send('POST', '', { name: 'x' }, operator), 403, 'forbidden');
    expectProblem(await send('PATCH', `/${kinds.inquiry}`, { name: 'x' }, operator), 403, 'forbidden');
    expectProblem(await send('DELETE', `/${kinds.inquiry}`, undefined, operator), 403, 'forbidden');
    const viewer = await t.token('client_viewer');
    const denied = await app.inject({ method: 'GET', url: '/api/v1/interaction-kinds', headers: auth(viewer) });
    expectProblem(denied, 403, 'forbidden');
    const supervisor = await t.token('supervisor');
    const made = await send('POST', '', { name: '監督者の区分' }, supervisor);
    expect(made.statusCode).toBe(201);
    const { items } = await getJson<{ items: { action: string }[] }>(
      app,
      t.adminToken,
      `/api/v1/audit?objectType=interaction_kind&objectId=${made.json().id}`,
    );
    expect(items.map((i) => i.action)).toEqual(['interaction_kind.create']);
  });
});

describe('tenant isolation', () => {
  it("another tenant's kinds answer 404 and never appear in its list", async () => {
    let n = 0;
    await crossTenantKit(app, t, await makeTenant(app)).expectIsolated({
      create: async (token) => {
        const res = await send('POST', '', { name: `分離区分 ${++n}` }, token);
        expect(res.statusCode, res.body).toBe(201);
        return res.json().id;
      },
      read: (id) => `/api/v1/interaction-kinds/${id}`,
      list: '/api/v1/interaction-kinds',
      writes: (id) => [
        { method: 'PATCH', url: `/api/v1/interaction-kinds/${id}`, payload: { name: '乗っ取り' } },
        { method: 'DELETE', url: `/api/v1/interaction-kinds/${id}` },
      ],
    });
  });
});
