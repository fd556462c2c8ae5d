// 対応履歴 routes beyond the core flow: field checks, the signed-in user as 対応者, filters, the
// status `escalated` (cases module only), roles, audit and tenant isolation.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../platform/audit/audit.js';
import { crossTenantKit } from '../../test/cross-tenant.js';
import { auth, dbOf, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';
import { findInteraction, setInteractionStatus } from './interactions.service.js';
import {
  createCustomer,
  expectProblem,
  getJson,
  type Interaction,
  kindIds,
  postInteraction,
  signIn,
} from './interactions.test-util.js';

let app: TestApp;
let t: TestTenant;
let kinds: Record<string, string>;
let customerId: string;

beforeAll(async () => {
  app = await testApp();
  t = await makeTenant(app);
  kinds = await kindIds(app, t.adminToken);
  customerId = await createCustomer(app, t.adminToken);
});

const post = (payload: Record<string, unknown>, token = t.adminToken) =>
  app.inject({ method: 'POST', url: '/api/v1/interactions', headers: auth(token), payload });

describe('field checks', () => {
  it('names the field: unknown or inactive kind, unknown assignee, channel, a time in the future, escalated', async () => {
    const base = { customerId, kindId: kinds.inquiry, channel: 'mail', body: 'x' };
    const kind = expectProblem(await post({ ...base, kindId: randomUUID() }), 400, 'validation');
    expect(kind.errors).toEqual([{ path: 'kindId', code: 'not_found', message: '区分が見つかりません。' }]);
    const assignee = expectProblem(await post({ ...base, assigneeId: randomUUID() }), 400, 'validation');
    expect(assignee.errors).toEqual([{ path: 'assigneeId', code: 'not_found', message: 'ユーザーが見つかりません。' }]);
    expect(expectProblem(await post({ ...base, channel: 'fax' }), 400, 'validation').errors?.[0]?.path).toBe('channel');
    const future = expectProblem(await post({ ...base, at: '2999-01-01T00:00:00+09:00' }), 400, 'validation');
    expect(future.errors?.[0]).toMatchObject({ path: 'at', code: 'in_future' });
    // escalated comes from opening a case (POST /interactions/{id}/escalate), never from the form.
    expect(expectProblem(await post({ ...base, status: 'escalated' }), 400, 'validation').errors?.[0]?.path).toBe(
      'status',
    );
    expect(expectProblem(await post({ ...base, extra: 1 }), 400, 'validation').errors?.[0]?.code).toBe(
      'unrecognized_keys',
    );

    const kindRes = await app.inject({
      method: 'POST',
      url: '/api/v1/interaction-kinds',
      headers: auth(t.adminToken),
      payload: { name: '休止区分', active: false },
    });
    const inactive = expectProblem(await post({ ...base, kindId: kindRes.json().id }), 400, 'validation');
    expect(inactive.errors?.[0]).toMatchObject({ path: 'kindId', code: 'inactive' });
  });

  it('an unknown customer answers 404', async () => {
    expectProblem(await post({ customerId: randomUUID(), kindId: kinds.inquiry, channel: 'mail' }), 404, 'not_found');
  });

  it('PATCH cannot set escalated; setInteractionStatus (the cases module) can, with its history row', async () => {
    const created = await postInteraction(app, t.adminToken, { customerId, kindId: kinds.complaint });
    const res = await app.inject({
      method: 'PATCH',
      url: `/api/v1/interactions/${created.id}`,
      headers: auth(t.adminToken),
      payload: { status: 'escalated' },
    });
    expect(expectProblem(res, 400, 'validation').errors?.[0]?.path).toBe('status');

    const db = dbOf(app);
    const at = new Date('2030-05-01T10:00:00+09:00');
    const escalated = await db.withTenant(t.tenantId, (tx) =>
      setInteractionStatus(tx, SYSTEM_ACTOR, created.id, 'escalated', at),
    );
    expect(escalated).toMatchObject({ id: created.id, status: 'escalated', version: 2 });
    const { items } = await getJson<{ items: { field: string; to: string; at: string; actor: { type: string } }[] }>(
      app,
      t.adminToken,
      `/api/v1/interactions/${created.id}/events`,
    );
    expect(items.at(-1)).toMatchObject({
      field: 'status',
      to: 'escalated',
      at: at.toISOString(),
      actor: { type: 'system' },
    });
    // Another tenant's id is not there for it.
    const other = await makeTenant(app);
    await expect(
      dbOf(app).withTenant(other.tenantId, (tx) => setInteractionStatus(tx, SYSTEM_ACTOR, created.id, 'done')),
    ).rejects.toMatchObject({ status: 404 });
    expect(await db.withTenant(other.tenantId, (tx) => findInteraction(tx, created.id))).toBeNull();
    // People may close it afterwards.
    const done = await app.inject({
      method: 'PATCH',
      url: `/api/v1/interactions/${created.id}`,
      headers: auth(t.adminToken),
      payload: { status: 'done' },
    });
    expect(done.json()).toMatchObject({ status: 'done', version: 3 });
  });

  it('an empty PATCH changes nothing (same version)', async () => {
    const created = await postInteraction(app, t.adminToken, { customerId, kindId: kinds.other });
    const res = await app.inject({
      method: 'PATCH',
      url: `/api/v1/interactions/${created.id}`,
      headers: auth(t.adminToken),
      payload: {},
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(created);
  });
});

describe('who handled it', () => {
  it('a signed-in operator is the 対応者 by default; a supervisor may name another', async () => {
    const operator = await t.user('operator', { name: '窓口 一郎' });
    const session = await signIn(app, operator.email, operator.password);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/interactions',
      headers: session,
      payload: { customerId, kindId: kinds.inquiry, channel: 'outbound_call', body: '折り返し' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ staffId: operator.userId, staffName: '窓口 一郎' });
    // The call action names the same person.
    const actions = await getJson<{ items: { refId: string; staffId: string; kind: string }[] }>(
      app,
      t.adminToken,
      `/api/v1/customers/${customerId}/actions?kind=call&limit=500`,
    );
    expect(actions.items.find((a) => a.refId === res.json().id)).toMatchObject({ staffId: operator.userId });

    const named = await postInteraction(app, t.adminToken, {
      customerId,
      kindId: kinds.inquiry,
      staffId: operator.userId,
    });
    expect(named.staffName).toBe('窓口 一郎');
  });
});

describe('filters', () => {
  it('GET /interactions filters by customer, kind, staff, assignee, status, open, channel, call and Tokyo days', async () => {
    const other = await createCustomer(app, t.adminToken, { name: '絞込 三郎' });
    const staff = await t.user('operator');
    const assignee = await t.user('supervisor');
    const a = await postInteraction(app, t.adminToken, {
      customerId: other,
      kindId: kinds.subscription_change,
      channel: 'inbound_call',
      callId: 'CALL-FILTER-1',
      staffId: staff.userId,
      at: '2024-03-01T23:30:00+09:00',
    });
    const b = await postInteraction(app, t.adminToken, {
      customerId: other,
      kindId: kinds.basic_change,
      channel: 'web_form',
      status: 'done',
      assigneeId: assignee.userId,
      at: '2024-03-02T00:30:00+09:00',
    });
    const ids = async (query: string) =>
      (await getJson<{ items: Interaction[] }>(app, t.adminToken, `/api/v1/interactions?limit=500&${query}`)).items.map(
        (i) => i.id,
      );
    expect(await ids(`customerId=${other}`)).toEqual([b.id, a.id]);
    expect(await ids(`customerId=${other}&kindId=${kinds.subscription_change}`)).toEqual([a.id]);
    expect(await ids(`staffId=${staff.userId}`)).toEqual([a.id]);
    expect(await ids(`assigneeId=${assignee.userId}`)).toEqual([b.id]);
    expect(await ids(`customerId=${other}&status=done`)).toEqual([b.id]);
    expect(await ids(`customerId=${other}&open=true`)).toEqual([a.id]);
    expect(await ids(`customerId=${other}&channel=web_form`)).toEqual([b.id]);
    expect(await ids('callId=CALL-FILTER-1')).toEqual([a.id]);
    // 23:30 on 1 March and 00:30 on 2 March in Tokyo are both 1 March in UTC: days are Tokyo's.
    expect(await ids(`customerId=${other}&from=2024-03-02&to=2024-03-02`)).toEqual([b.id]);
    expect(await ids(`customerId=${other}&from=2024-03-01&to=2024-03-01`)).toEqual([a.id]);
  });

  it('a forged cursor is a 400 naming cursor', async () => {
    const forged = Buffer.from(JSON.stringify(['not a time', randomUUID()])).toString('base64url');
    const res = await app.inject({
      method: 'GET',
      url: `/api/v1/interactions?cursor=${forged}`,
      headers: auth(t.adminToken),
    });
    expect(expectProblem(res, 400, 'validation').errors?.[0]?.path).toBe('cursor');
  });

  it("an unknown customer's 対応履歴 answers 404", async () => {
    const res = await app.inject({
      method: 'GET',
      url: `/api/v1/customers/${randomUUID()}/interactions`,
      headers: auth(t.adminToken),
    });
    expectProblem(res, 404, 'not_found');
  });
});

describe('roles and audit', () => {
  it('client_viewer gets 403 everywhere; operators record and change interactions', async () => {
    const viewer = await t.token('client_viewer');
    const created = await postInteraction(app, t.adminToken, { customerId, kindId: kinds.inquiry });
    const calls: [string, string, unknown?][] = [
      ['POST', '/api/v1/interactions', { customerId, kindId: kinds.inquiry, channel: 'mail' }],
      ['GET', '/api/v1/interactions'],
      ['GET', `/api/v1/interactions/${created.id}`],
      ['PATCH', `/api/v1/interactions/${created.id}`, { status: 'done' }],
      ['GET', `/api/v1/interactions/${created.id}/events`],
      ['GET', `/api/v1/customers/${customerId}/interactions`],
    ];
    for (const [method, url, payload] of calls) {
      const res = await app.inject({
        method: method as 'GET',
        url,
        headers: auth(viewer),
        ...(payload ? { payload: payload as object } : {}),
      });
      expectProblem(res, 403, 'forbidden');
    }
    const operator = await t.token('operator');
    const mine = await postInteraction(app, operator, { customerId, kindId: kinds.inquiry });
    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/v1/interactions/${mine.id}`,
      headers: auth(operator),
      payload: { status: 'on_hold' },
    });
    expect(patched.statusCode).toBe(200);
  });

  it('every write is audited, without the text', async () => {
    const created = await postInteraction(app, t.adminToken, { customerId, kindId: kinds.inquiry, body: '秘密の内容' });
    await app.inject({
      method: 'PATCH',
      url: `/api/v1/interactions/${created.id}`,
      headers: auth(t.adminToken),
      payload: { status: 'done', body: '別の秘密' },
    });
    const { items } = await getJson<{ items: { action: string; detail: unknown }[] }>(
      app,
      t.adminToken,
      `/api/v1/audit?objectType=interaction&objectId=${created.id}`,
    );
    expect(items.map((i) => i.action).sort()).toEqual(['interaction.create', 'interaction.update']);
    expect(JSON.stringify(items)).not.toMatch(/秘密/);
    const update = items.find((i) => i.action === 'interaction.update');
    expect(update?.detail).toMatchObject({
      fields: expect.arrayContaining(['status', 'body']),
      status: { from: 'in_progress', to: 'done' },
    });
  });
});

describe('OpenAPI', () => {
  it('documents the routes of the module', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/interactions',
        '/api/v1/interactions/{id}',
        '/api/v1/interactions/{id}/events',
        '/api/v1/interactions/today',
        '/api/v1/interactions/today/export',
        '/api/v1/interactions/settings',
        '/api/v1/interaction-kinds',
        '/api/v1/customers/{id}/interactions',
        '/api/v1/customers/{id}/actions',
        '/api/v1/customers/neglected',
        '/api/v1/templates/{id}/render',
      ]),
    );
  });
});

describe('tenant isolation', () => {
  it("another tenant's interactions answer 404 and never appear in its lists", async () => {
    const a = t;
    const b = await makeTenant(app);
    const customers = new Map<string, string>();
    const kit = crossTenantKit(app, a, b);
    await kit.expectIsolated({
      create: async (token) => {
        const kindsOf = await kindIds(app, token);
        const cid = customers.get(token) ?? (await createCustomer(app, token));
        customers.set(token, cid);
        return (await postInteraction(app, token, { customerId: cid, kindId: kindsOf.inquiry })).id;
      },
      read: (id) => `/api/v1/interactions/${id}`,
      list: '/api/v1/interactions',
      writes: (id) => [
        { method: 'PATCH', url: `/api/v1/interactions/${id}`, payload: { status: 'done' } },
        { method: 'GET', url: `/api/v1/interactions/${id}/events` },
      ],
    });
    // B cannot file an interaction on A's customer, nor with A's kind, nor read A's customer's history.
    const aCustomer = customers.get(a.adminToken) as string;
    const bCustomer = customers.get(b.adminToken) as string;
    expectProblem(
      await post(
        { customerId: aCustomer, kindId: (await kindIds(app, b.adminToken)).inquiry, channel: 'mail' },
        b.adminToken,
      ),
      404,
      'not_found',
    );
    const foreignKind = await post({ customerId: bCustomer, kindId: kinds.inquiry, channel: 'mail' }, b.adminToken);
    expect(expectProblem(foreignKind, 400, 'validation').errors?.[0]?.path).toBe('kindId');
    const history = await app.inject({
      method: 'GET',
      url: `/api/v1/customers/${aCustomer}/interactions`,
      headers: auth(b.adminToken),
    });
    expectProblem(history, 404, 'not_found');
    const filtered = await getJson<{ items: unknown[] }>(
      app,
      b.adminToken,
      `/api/v1/interactions?customerId=${aCustomer}`,
    );
    expect(filtered.items).toEqual([]);
  });
});
