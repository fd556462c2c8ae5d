// Escalation groups: supervisors and admins keep them, everyone who works cases reads them.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossTenantKit, walkList } from '../../test/cross-tenant.js';
import { auth, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';
import { escalate, makeInteraction } from './cases.test-util.js';

let app: TestApp;
let t: TestTenant;

beforeAll(async () => {
  app = await testApp();
  t = await makeTenant(app);
});

const due = () => new Date(Date.now() + 3_600_000).toISOString();

async function create(payload: Record<string, unknown>, token = t.adminToken) {
  return app.inject({ method: 'POST', url: '/api/v1/escalation-groups', headers: auth(token), payload });
}

describe('escalation groups', () => {
  it('creates, reads, renames, replaces members and deactivates a group', async () => {
    const a = await t.user('technician', { name: 'い 技術' });
    const b = await t.user('technician', { name: 'あ 技術' });
    const c = await t.user('closer', { name: 'う 営業' });
    const res = await create({ name: 'クライアント技術部', description: '二次対応', memberIds: [a.userId, b.userId] });
    expect(res.statusCode, res.body).toBe(201);
    const g = res.json();
    expect(g).toMatchObject({ name: 'クライアント技術部', description: '二次対応', active: true });
    expect(g.members.map((m: { name: string }) => m.name)).toEqual(['あ 技術', 'い 技術']);

    const dup = await create({ name: 'クライアント技術部' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors[0]).toMatchObject({ path: 'name', code: 'cases.group_name_taken' });
    expect((await create({ name: 'Field Support' })).statusCode).toBe(201);
    expect((await create({ name: 'FIELD SUPPORT' })).statusCode).toBe(409);
    const stranger = await (await makeTenant(app)).user('technician');
    const bad = await create({ name: '他社', memberIds: [c.userId, stranger.userId] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ path: 'memberIds.1', code: 'not_found' });

    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/v1/escalation-groups/${g.id}`,
      headers: auth(t.adminToken),
      payload: { name: '技術部', description: null, memberIds: [c.userId, a.userId] },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ name: '技術部', description: null });
    expect(
      patched
        .json()
        .members.map((m: { id: string }) => m.id)
        .sort(),
    ).toEqual([a.userId, c.userId].sort());

    const off = await app.inject({
      method: 'PATCH',
      url: `/api/v1/escalation-groups/${g.id}`,
      headers: auth(t.adminToken),
      payload: { active: false },
    });
    expect(off.json()).toMatchObject({ active: false, name: '技術部' });
    const i = await makeInteraction(app, t.adminToken);
    const refused = await app.inject({
      method: 'POST',
      url: `/api/v1/interactions/${i.id}/escalate`,
      headers: auth(t.adminToken),
      payload: { groupId: g.id, dueAt: due() },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0]).toMatchObject({ path: 'groupId', code: 'not_found' });
  });

  it('lists by name in keyset pages, by active', async () => {
    const tag = randomUUID().slice(0, 6);
    for (const name of [`${tag}-c`, `${tag}-a`, `${tag}-b`]) expect((await create({ name })).statusCode).toBe(201);
    const pages = (await walkList(app, t.adminToken, '/api/v1/escalation-groups', 1)) as {
      items: { name: string }[];
    }[];
    const names = pages.flatMap((p) => p.items.map((g) => g.name)).filter((n) => n.startsWith(tag));
    expect(names).toEqual([`${tag}-a`, `${tag}-b`, `${tag}-c`]);
    const inactive = await app.inject({
      method: 'GET',
      url: '/api/v1/escalation-groups?active=false',
      headers: auth(t.adminToken),
    });
    expect(inactive.json().items.every((g: { active: boolean }) => !g.active)).toBe(true);
  });

  it('deletes a group no case used; refuses one a case used', async () => {
    const unused = (await create({ name: `未使用 ${randomUUID().slice(0, 6)}` })).json();
    const del = await app.inject({
      method: 'DELETE',
      url: `/api/v1/escalation-groups/${unused.id}`,
      headers: auth(t.adminToken),
    });
    expect(del.statusCode).toBe(204);
    const gone = await app.inject({
      method: 'GET',
      url: `/api/v1/escalation-groups/${unused.id}`,
      headers: auth(t.adminToken),
    });
    expect(gone.statusCode).toBe(404);

    const member = await t.user('technician');
    const used = (await create({ name: `使用中 ${randomUUID().slice(0, 6)}`, memberIds: [member.userId] })).json();
    await escalate(app, t.adminToken, (await makeInteraction(app, t.adminToken)).id, {
      groupId: used.id,
      dueAt: due(),
    });
    const refused = await app.inject({
      method: 'DELETE',
      url: `/api/v1/escalation-groups/${used.id}`,
      headers: auth(t.adminToken),
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('cases.group_in_use');
  });

  it('lets operators and technicians read groups, only supervisors and admins change them', async () => {
    const g = (await create({ name: `権限 ${randomUUID().slice(0, 6)}` })).json();
    for (const role of ['operator', 'technician'] as const) {
      const token = await t.token(role);
      expect(
        (await app.inject({ method: 'GET', url: '/api/v1/escalation-groups', headers: auth(token) })).statusCode,
      ).toBe(200);
      expect((await create({ name: `x ${role}` }, token)).statusCode).toBe(403);
      const patch = await app.inject({
        method: 'PATCH',
        url: `/api/v1/escalation-groups/${g.id}`,
        headers: auth(token),
        payload: { name: 'y' },
      });
      expect(patch.statusCode).toBe(403);
    }
    const supervisor = await t.token('supervisor');
    expect((await create({ name: `監督者作成 ${randomUUID().slice(0, 6)}` }, supervisor)).statusCode).toBe(201);
    const viewer = await t.token('client_viewer');
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/escalation-groups', headers: auth(viewer) })).statusCode,
    ).toBe(403);
  });

  it('keeps groups to their tenant', async () => {
    const b = await makeTenant(app);
    await crossTenantKit(app, t, b).expectIsolated({
      create: async (token) => (await create({ name: `分離 ${randomUUID().slice(0, 8)}` }, token)).json().id,
      read: (id) => `/api/v1/escalation-groups/${id}`,
      list: '/api/v1/escalation-groups',
      writes: (id) => [
        { method: 'PATCH', url: `/api/v1/escalation-groups/${id}`, payload: { name: '乗っ取り' } },
        { method: 'DELETE', url: `/api/v1/escalation-groups/${id}` },
      ],
    });
  });
});
