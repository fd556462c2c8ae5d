// AC履歴 (actions): entered by hand, recorded by other modules through recordActions (in bulk,
// once per reference), listed per customer; the last contact kept; a merge moves the history.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../platform/audit/audit.js';
import { crossTenantKit } from '../../test/cross-tenant.js';
import { auth, dbOf, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';
import { recordActions } from './actions.service.js';
import { contactStats, moveContactHistory, notePurchase } from './contact-stats.js';
import { createCustomer, expectProblem, getJson, kindIds, postInteraction } from './interactions.test-util.js';

let app: TestApp;
let t: TestTenant;

beforeAll(async () => {
  app = await testApp();
  t = await makeTenant(app);
});

type Action = {
  id: string;
  kind: string;
  at: string;
  note: string | null;
  refType: string | null;
  refId: string | null;
};
const add = (customerId: string, payload: Record<string, unknown>, token = t.adminToken) =>
  app.inject({ method: 'POST', url: `/api/v1/customers/${customerId}/actions`, headers: auth(token), payload });
const listOf = async (customerId: string, query = '') =>
  (
    await getJson<{ items: Action[]; nextCursor: string | null }>(
      app,
      t.adminToken,
      `/api/v1/customers/${customerId}/actions?limit=500${query}`,
    )
  ).items;

describe('by hand', () => {
  it('POST → 201; the same reference again → 200 with the first action; GET /actions/{id}', async () => {
    const customerId = await createCustomer(app, t.adminToken);
    const first = await add(customerId, {
      kind: 'dm',
      at: '2025-04-01T10:00:00+09:00',
      note: '春のキャンペーン DM',
      refType: 'campaign',
      refId: 'SPRING-2025',
    });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({
      customerId,
      kind: 'dm',
      at: '2025-04-01T01:00:00.000Z',
      note: '春のキャンペーン DM',
      refType: 'campaign',
      refId: 'SPRING-2025',
      staffId: null,
    });
    const again = await add(customerId, { kind: 'dm', refType: 'campaign', refId: 'SPRING-2025' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(first.json());
    const one = await getJson(app, t.adminToken, `/api/v1/actions/${first.json().id}`);
    expect(one).toEqual(first.json());
    expect(await listOf(customerId)).toHaveLength(1);
  });

  it('refuses an unknown kind, a reference half given, a time in the future; unknown customer → 404', async () => {
    const customerId = await createCustomer(app, t.adminToken);
    expect(expectProblem(await add(customerId, { kind: 'fax' }), 400, 'validation').errors?.[0]?.path).toBe('kind');
    expectProblem(await add(customerId, { kind: 'dm', refType: 'campaign' }), 400, 'validation');
    const future = expectProblem(await add(customerId, { kind: 'dm', at: '2999-01-01T00:00:00Z' }), 400, 'validation');
    expect(future.errors?.[0]).toMatchObject({ path: 'at', code: 'in_future' });
    expectProblem(await add(randomUUID(), { kind: 'dm' }), 404, 'not_found');
    const missing = await app.inject({
      method: 'GET',
      url: `/api/v1/customers/${randomUUID()}/actions`,
      headers: auth(t.adminToken),
    });
    expectProblem(missing, 404, 'not_found');
  });

  it('lists newest first, by kind and Tokyo days, in keyset pages', async () => {
    const customerId = await createCustomer(app, t.adminToken);
    const kinds = ['call', 'dm', 'catalogue', 'mail_magazine', 'sample', 'other'];
    for (const [i, kind] of kinds.entries()) {
      const res = await add(customerId, { kind, at: `2025-01-0${i + 1}T23:30:00+09:00` });
      expect(res.statusCode, res.body).toBe(201);
    }
    expect((await listOf(customerId)).map((a) => a.kind)).toEqual([...kinds].reverse());
    expect((await listOf(customerId, '&kind=catalogue')).map((a) => a.kind)).toEqual(['catalogue']);
    expect((await listOf(customerId, '&from=2025-01-02&to=2025-01-03')).map((a) => a.kind)).toEqual([
      'catalogue',
      'dm',
    ]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { items: Action[]; nextCursor: string | null } = await getJson(
        app,
        t.adminToken,
        `/api/v1/customers/${customerId}/actions?limit=4${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...res.items.map((a) => a.kind));
      cursor = res.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...kinds].reverse());
  });

  it('roles: operators add and read; client_viewer gets 403', async () => {
    const customerId = await createCustomer(app, t.adminToken);
    expect((await add(customerId, { kind: 'call' }, await t.token('operator'))).statusCode).toBe(201);
    const viewer = await t.token('client_viewer');
    expectProblem(await add(customerId, { kind: 'call' }, viewer), 403, 'forbidden');
    const read = await app.inject({
      method: 'GET',
      url: `/api/v1/customers/${customerId}/actions`,
      headers: auth(viewer),
    });
    expectProblem(read, 403, 'forbidden');
  });
});

describe('recordActions (other modules)', () => {
  it('records many in one call, once per reference, keeps the last contact and writes one audit row', async () => {
    const db = dbOf(app);
    const c1 = await createCustomer(app, t.adminToken);
    const c2 = await createCustomer(app, t.adminToken);
    const at = new Date('2025-06-01T09:00:00+09:00');
    const batch = [c1, c2].map((customerId) => ({
      customerId,
      kind: 'mail_magazine' as const,
      at,
      refType: 'mail_magazine',
      refId: 'MM-2025-06',
    }));
    const first = await db.withTenant(t.tenantId, (tx) => recordActions(tx, SYSTEM_ACTOR, batch));
    expect(first.ids).toHaveLength(2);
    // The job runs again (a retry): nothing is added.
    const replay = await db.withTenant(t.tenantId, (tx) => recordActions(tx, SYSTEM_ACTOR, batch));
    expect(replay.ids).toEqual([]);
    expect(await listOf(c1)).toHaveLength(1);
    const stats = await db.withTenant(t.tenantId, (tx) => contactStats(tx, c1));
    expect(stats).toMatchObject({
      lastActionAt: at.toISOString(),
      lastContactAt: at.toISOString(),
      lastContactType: 'action',
      lastContactKind: 'mail_magazine',
      actionCount: 1,
    });
    const { items } = await getJson<{ items: { action: string; detail: unknown }[] }>(
      app,
      t.adminToken,
      '/api/v1/audit?objectType=customer_action&limit=500',
    );
    expect(items.filter((i) => JSON.stringify(i.detail).includes('"count":2'))).toHaveLength(1);
    // An unknown customer anywhere in the batch → 404, nothing recorded.
    await expect(
      db.withTenant(t.tenantId, (tx) =>
        recordActions(tx, SYSTEM_ACTOR, [
          { customerId: c1, kind: 'dm', at },
          { customerId: randomUUID(), kind: 'dm', at },
        ]),
      ),
    ).rejects.toMatchObject({ status: 404 });
    expect(await listOf(c1)).toHaveLength(1);
  });

  it('a purchase (notePurchase) and an older contact: the last contact is the latest one', async () => {
    const db = dbOf(app);
    const customerId = await createCustomer(app, t.adminToken);
    await db.withTenant(t.tenantId, (tx) => notePurchase(tx, customerId, new Date('2025-07-01T12:00:00+09:00')));
    await add(customerId, { kind: 'dm', at: '2025-06-01T12:00:00+09:00' });
    expect(await db.withTenant(t.tenantId, (tx) => contactStats(tx, customerId))).toMatchObject({
      lastPurchaseAt: '2025-07-01T03:00:00.000Z',
      lastActionAt: '2025-06-01T03:00:00.000Z',
      lastContactType: 'purchase',
      lastContactKind: '受注',
    });
  });
});

describe('merge', () => {
  it('moveContactHistory moves interactions and actions, keeps duplicated references, folds the last contacts', async () => {
    const db = dbOf(app);
    const kinds = await kindIds(app, t.adminToken);
    const keep = await createCustomer(app, t.adminToken, { name: '統合 先' });
    const merged = await createCustomer(app, t.adminToken, { name: '統合 元' });
    await add(keep, { kind: 'dm', at: '2025-01-10T10:00:00+09:00', refType: 'campaign', refId: 'C1' });
    await add(merged, { kind: 'dm', at: '2025-01-10T11:00:00+09:00', refType: 'campaign', refId: 'C1' });
    const interaction = await postInteraction(app, t.adminToken, {
      customerId: merged,
      kindId: kinds.complaint,
      channel: 'mail',
      at: '2025-02-01T10:00:00+09:00',
    });
    const moved = await db.withTenant(t.tenantId, (tx) => moveContactHistory(tx, keep, merged));
    expect(moved).toEqual({ interactions: 1, actions: 1 });
    const actions = await listOf(keep);
    expect(actions).toHaveLength(2);
    expect(actions.filter((a) => a.refId === 'C1')).toHaveLength(1);
    const history = await getJson<{ items: { id: string; customerId: string }[] }>(
      app,
      t.adminToken,
      `/api/v1/customers/${keep}/interactions`,
    );
    expect(history.items).toEqual([expect.objectContaining({ id: interaction.id, customerId: keep })]);
    expect(await db.withTenant(t.tenantId, (tx) => contactStats(tx, keep))).toMatchObject({
      lastContactType: 'interaction',
      lastContactKind: 'クレーム',
      interactionCount: 1,
      actionCount: 2,
    });
    expect(await db.withTenant(t.tenantId, (tx) => contactStats(tx, merged))).toBeNull();
  });
  it('POST /customers/merge runs the same moves through the merge handlers', async () => {
    const kinds = await kindIds(app, t.adminToken);
    const keep = await createCustomer(app, t.adminToken);
    const merged = await createCustomer(app, t.adminToken);
    const interaction = await postInteraction(app, t.adminToken, { customerId: merged, kindId: kinds.inquiry });
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/customers/merge',
      headers: auth(t.adminToken),
      payload: { keepId: keep, mergeId: merged },
    });
    expect(res.statusCode, res.body).toBe(200);
    // The inbound call recorded a call action too.
    expect(res.json().moved).toMatchObject({ interactions: 1, customer_actions: 1, contact_stats: 1 });
    const moved = await getJson<{ customerId: string }>(app, t.adminToken, `/api/v1/interactions/${interaction.id}`);
    expect(moved.customerId).toBe(keep);
    expect((await listOf(keep)).map((a) => a.refId)).toEqual([interaction.id]);
  });
});

describe('tenant isolation', () => {
  it("another tenant's actions answer 404; its customers' lists are not reachable", async () => {
    const b = await makeTenant(app);
    const customers = new Map<string, string>();
    await crossTenantKit(app, t, b).expectIsolated({
      create: async (token) => {
        const cid = customers.get(token) ?? (await createCustomer(app, token));
        customers.set(token, cid);
        const res = await add(cid, { kind: 'catalogue' }, token);
        expect(res.statusCode, res.body).toBe(201);
        return res.json().id;
      },
      read: (id) => `/api/v1/actions/${id}`,
    });
    const aCustomer = customers.get(t.adminToken) as string;
    const list = await app.inject({
      method: 'GET',
      url: `/api/v1/customers/${aCustomer}/actions`,
      headers: auth(b.adminToken),
    });
    expectProblem(list, 404, 'not_found');
    expectProblem(await add(aCustomer, { kind: 'dm' }, b.adminToken), 404, 'not_found');
    await expect(
      dbOf(app).withTenant(b.tenantId, (tx) =>
        recordActions(tx, SYSTEM_ACTOR, [{ customerId: aCustomer, kind: 'dm', at: new Date('2025-01-01T00:00:00Z') }]),
      ),
    ).rejects.toMatchObject({ status: 404 });
  });
});
