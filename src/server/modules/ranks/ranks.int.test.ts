// Ranks: the master's routes, rules over rolling windows and recency, the recompute job on dirty
// customers (and its nightly sweep and full recompute), the statistics the orders module feeds.
import { beforeAll, describe, expect, it } from 'vitest';
import { tokyoDate } from '../../../shared/calendar.js';
import type { Database } from '../../db/database.js';
import { ManualClock } from '../../platform/clock.js';
import { crossTenantKit } from '../../test/cross-tenant.js';
import { auth, dbOf, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';
import { processDirty, recomputeAll, sweep } from './ranks.compute.js';
import { rankJobTenants } from './ranks.jobs.js';
import { recordPurchase, reversePurchase } from './ranks.stats.js';

const DAY = 86_400_000;
let app: TestApp;
let db: Database;
let t: TestTenant;
const clock = new ManualClock(new Date('2026-06-15T03:00:00Z')); // 12:00 in Tokyo

beforeAll(async () => {
  app = await testApp({ clock });
  db = dbOf(app);
  t = await makeTenant(app);
});

type Rank = { id: string; name: string; priority: number; version: number; [k: string]: unknown };

async function createRank(body: Record<string, unknown>, tenant = t): Promise<Rank> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/ranks',
    headers: auth(tenant.adminToken),
    payload: body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function createCustomer(tenant = t, name = '顧客 一郎'): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/customers',
    headers: auth(tenant.adminToken),
    payload: { name },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

const daysAgo = (n: number) => new Date(clock.now().getTime() - n * DAY);
const buy = (customerId: string, amount: number, at: Date, tenant = t) =>
  db.withTenant(tenant.tenantId, (tx) => recordPurchase(tx, customerId, amount, at));
const runJob = (tenant = t, batch?: number) =>
  processDirty(db, tenant.tenantId, tokyoDate(clock.now()), clock.now(), batch);

async function rankOf(customerId: string, token = t.adminToken) {
  const res = await app.inject({ method: 'GET', url: `/api/v1/customers/${customerId}/rank`, headers: auth(token) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    rank: { name: string } | null;
    source: string;
    reason: string | null;
    ruleRank: { name: string } | null;
    stats: { purchaseCount: number; purchaseAmount: number; lastPurchaseAt: string | null };
    rankedAt: string | null;
    pending: boolean;
  };
}
const rankName = async (customerId: string) => (await rankOf(customerId)).rank?.name ?? null;

describe('rank master', () => {
  it('creates, lists in priority order, reads, patches with If-Match, reorders and deletes; staff only', async () => {
    const tenant = await makeTenant(app);
    const gold = await createRank({ name: 'ゴールド', minAmount: 50_000, color: '#d4af37' }, tenant);
    const regular = await createRank({ name: 'レギュラー' }, tenant);
    const platinum = await createRank({ name: 'プラチナ', priority: 1, minAmount: 200_000, recencyDays: 180 }, tenant);
    expect(gold).toMatchObject({ priority: 10, combine: 'all', periodDays: 365, active: true, minCount: null });
    expect(regular.priority).toBe(20);

    const list = await app.inject({
      method: 'GET',
      url: '/api/v1/ranks',
      headers: auth(await tenant.token('operator')),
    });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((r: Rank) => r.name)).toEqual(['プラチナ', 'ゴールド', 'レギュラー']);

    const dup = await app.inject({
      method: 'POST',
      url: '/api/v1/ranks',
      headers: auth(tenant.adminToken),
      payload: { name: 'ゴールド' },
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'ranks.name_taken', errors: [{ path: 'name' }] });
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/ranks',
      headers: auth(tenant.adminToken),
      payload: { name: 'x', minCount: 0, combine: 'either' },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['combine', 'minCount']);

    const url = `/api/v1/ranks/${gold.id}`;
    const stale = await app.inject({
      method: 'PATCH',
      url,
      headers: { ...auth(tenant.adminToken), 'if-match': '"9"' },
      payload: { minCount: 3 },
    });
    expect(stale.statusCode).toBe(412);
    const patched = await app.inject({
      method: 'PATCH',
      url,
      headers: { ...auth(tenant.adminToken), 'if-match': `"${gold.version}"` },
      payload: { minCount: 3, combine: 'any', minAmount: null },
    });
    expect(patched.json()).toMatchObject({ minCount: 3, combine: 'any', minAmount: null, version: 2 });

    const reorder = (ids: string[]) =>
      app.inject({ method: 'PUT', url: '/api/v1/ranks/order', headers: auth(tenant.adminToken), payload: { ids } });
    expect((await reorder([gold.id, platinum.id])).statusCode).toBe(400);
    const reordered = await reorder([gold.id, platinum.id, regular.id]);
    expect(reordered.json().items.map((r: Rank) => [r.name, r.priority])).toEqual([
      ['ゴールド', 10],
      ['プラチナ', 20],
      ['レギュラー', 30],
    ]);

    const operator = await tenant.token('operator');
    for (const req of [
      { method: 'POST' as const, url: '/api/v1/ranks', payload: { name: 'x' } },
      { method: 'PATCH' as const, url, payload: { name: 'y' } },
      { method: 'DELETE' as const, url },
    ]) {
      expect((await app.inject({ ...req, headers: auth(operator) })).statusCode).toBe(403);
    }
    expect((await app.inject({ method: 'DELETE', url, headers: auth(tenant.adminToken) })).statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url, headers: auth(tenant.adminToken) })).statusCode).toBe(404);

    const audit = await app.inject({
      method: 'GET',
      url: '/api/v1/audit?objectType=rank&limit=500',
      headers: auth(tenant.adminToken),
    });
    const actions = audit.json().items.map((i: { action: string }) => i.action);
    expect(actions.filter((a: string) => a === 'rank.create')).toHaveLength(3);
    expect(actions).toEqual(expect.arrayContaining(['rank.update', 'rank.reorder', 'rank.delete']));
  });
});

describe('rules and the recompute job', () => {
  it('ranks by amount and count in the window and by recency; the job stores ranks of dirty customers', async () => {
    await createRank({ name: 'プラチナ', minAmount: 100_000, recencyDays: 180 });
    await createRank({ name: 'ゴールド', minCount: 5, minAmount: 50_000, combine: 'any' });
    await createRank({ name: 'レギュラー' });
    const [big, frequent, stale, old, none] = await Promise.all([1, 2, 3, 4, 5].map(() => createCustomer()));
    if (!big || !frequent || !stale || !old || !none) throw new Error('customers');

    await buy(big, 120_000, daysAgo(10));
    for (let i = 0; i < 5; i++) await buy(frequent, 1_000, daysAgo(i * 30));
    await buy(stale, 150_000, daysAgo(200)); // in the year, but not within 180 days: gold by amount
    await buy(old, 500_000, daysAgo(400)); // outside the window: regular

    // Never ranked: the read evaluates the rules, and says a recompute is pending.
    const before = await rankOf(big);
    expect(before).toMatchObject({ rank: { name: 'プラチナ' }, source: 'rule', rankedAt: null, pending: true });
    expect(before.stats).toMatchObject({ purchaseCount: 1, purchaseAmount: 120_000 });
    expect(await rankJobTenants(db, true)).toContain(t.tenantId);

    const run = await runJob(t, 2); // batches of two: 4 dirty customers → 2 full batches and an empty one
    expect(run).toMatchObject({ customers: 4, changed: 4, batches: 2 });
    expect(await rankJobTenants(db, true)).not.toContain(t.tenantId);
    const after = await rankOf(big);
    expect(after).toMatchObject({ rank: { name: 'プラチナ' }, pending: false, rankedAt: clock.now().toISOString() });
    expect(await rankName(frequent)).toBe('ゴールド');
    expect(await rankName(stale)).toBe('ゴールド');
    expect(await rankName(old)).toBe('レギュラー');
    expect(await rankName(none)).toBe('レギュラー'); // no statistics: what the rules give to no purchases

    // New purchases mark the customer; the stored rank changes only when the job runs.
    await buy(old, 60_000, daysAgo(0));
    expect(await rankOf(old)).toMatchObject({ rank: { name: 'レギュラー' }, pending: true });
    expect(await runJob()).toMatchObject({ customers: 1, changed: 1 });
    expect(await rankName(old)).toBe('ゴールド');

    // A reversal (cancelled order) also marks it.
    await db.withTenant(t.tenantId, (tx) => reversePurchase(tx, old, 60_000, daysAgo(0)));
    const reversed = await rankOf(old);
    expect(reversed.stats).toMatchObject({ purchaseCount: 1, purchaseAmount: 500_000 });
    expect(reversed.stats.lastPurchaseAt).toBe(daysAgo(400).toISOString());
    await runJob();
    expect(await rankName(old)).toBe('レギュラー');

    // A purchase in a transaction that fails marks nothing.
    await expect(
      db.withTenant(t.tenantId, async (tx) => {
        await recordPurchase(tx, none, 900_000, daysAgo(0));
        throw new Error('order failed');
      }),
    ).rejects.toThrow('order failed');
    expect(await rankOf(none)).toMatchObject({ pending: false, stats: { purchaseCount: 0 } });
  });

  it('the nightly sweep marks customers whose window or recency passed a day; the full recompute follows the master', async () => {
    const tenant = await makeTenant(app);
    const gold = await createRank({ name: 'ゴールド', minAmount: 10_000, periodDays: 30 }, tenant);
    await createRank({ name: '最近', recencyDays: 7 }, tenant);
    await createRank({ name: 'レギュラー' }, tenant);
    const a = await createCustomer(tenant);
    const b = await createCustomer(tenant);
    await buy(a, 20_000, daysAgo(29), tenant); // leaves the 30-day window tomorrow
    await buy(b, 1_000, daysAgo(6), tenant); // leaves the 7-day recency tomorrow
    await runJob(tenant);
    const names = async (token: string) =>
      Promise.all([a, b].map(async (id) => (await rankOf(id, token)).rank?.name ?? null));
    expect(await names(tenant.adminToken)).toEqual(['ゴールド', '最近']);

    const today = tokyoDate(clock.now());
    expect(await sweep(db, tenant.tenantId, today)).toBe(0); // first sweep: nothing left a window today
    expect(await sweep(db, tenant.tenantId, today)).toBe(0); // already swept today
    const tomorrow = new Date(clock.now().getTime() + DAY);
    expect(await sweep(db, tenant.tenantId, tokyoDate(tomorrow))).toBe(2);
    await processDirty(db, tenant.tenantId, tokyoDate(tomorrow), tomorrow);
    expect(await names(tenant.adminToken)).toEqual(['レギュラー', 'レギュラー']);

    // The master changes: the full recompute ranks every customer with statistics again.
    await app.inject({
      method: 'PATCH',
      url: `/api/v1/ranks/${gold.id}`,
      headers: auth(tenant.adminToken),
      payload: { periodDays: 90 },
    });
    const full = await recomputeAll(db, tenant.tenantId, tokyoDate(tomorrow), tomorrow, 1);
    expect(full).toMatchObject({ customers: 2, changed: 1, batches: 2 });
    expect(await names(tenant.adminToken)).toEqual(['ゴールド', 'レギュラー']);
  });
});

describe('manual rank', () => {
  it('overrides the rule rank with a reason, is audited, clears back to the rule; staff only', async () => {
    const tenant = await makeTenant(app);
    const vip = await createRank({ name: 'VIP', minCount: 100 }, tenant);
    await createRank({ name: 'レギュラー' }, tenant);
    const id = await createCustomer(tenant);
    const url = `/api/v1/customers/${id}/rank`;
    const put = (headers: Record<string, string>, payload: Record<string, unknown>) =>
      app.inject({ method: 'PUT', url, headers, payload });

    expect((await put(auth(await tenant.token('operator')), { rankId: vip.id, reason: 'x' })).statusCode).toBe(403);
    expect((await put(auth(tenant.adminToken), { rankId: vip.id })).statusCode).toBe(400);
    const foreign = await createRank({ name: '他社' });
    const wrong = await put(auth(tenant.adminToken), { rankId: foreign.id, reason: '理由' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].path).toBe('rankId');

    const set = await put(auth(await tenant.token('supervisor')), { rankId: vip.id, reason: '社長のご紹介' });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({
      rank: { name: 'VIP' },
      source: 'manual',
      reason: '社長のご紹介',
      ruleRank: { name: 'レギュラー' },
      manual: { rank: { name: 'VIP' }, reason: '社長のご紹介' },
    });

    // A rank held by hand cannot be deleted.
    const del = await app.inject({
      method: 'DELETE',
      url: `/api/v1/ranks/${vip.id}`,
      headers: auth(tenant.adminToken),
    });
    expect(del.statusCode).toBe(409);
    expect(del.json().code).toBe('ranks.in_use');

    expect((await app.inject({ method: 'DELETE', url, headers: auth(tenant.adminToken) })).statusCode).toBe(204);
    expect(await rankOf(id, tenant.adminToken)).toMatchObject({
      rank: { name: 'レギュラー' },
      source: 'rule',
      manual: null,
    });

    const audit = await app.inject({
      method: 'GET',
      url: `/api/v1/audit?objectType=customer&objectId=${id}&action=customer.rank`,
      headers: auth(tenant.adminToken),
    });
    const items = audit.json().items as { action: string; detail: unknown }[];
    expect(items.map((i) => i.action)).toEqual(['customer.rank.clear', 'customer.rank.set']);
    expect(JSON.stringify(items)).not.toContain('社長');
  });
});

describe('tenants', () => {
  it("answers 404 to another tenant's ranks and customer ranks; lists stay apart", async () => {
    const a = await makeTenant(app);
    const b = await makeTenant(app);
    const kit = crossTenantKit(app, a, b);
    let n = 0;
    await kit.expectIsolated({
      create: async (token) => {
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/ranks',
          headers: auth(token),
          payload: { name: `ランク${++n}` },
        });
        return res.json().id;
      },
      read: (id) => `/api/v1/ranks/${id}`,
      list: '/api/v1/ranks',
      writes: (id) => [
        { method: 'PATCH', url: `/api/v1/ranks/${id}`, payload: { name: 'B' } },
        { method: 'DELETE', url: `/api/v1/ranks/${id}` },
      ],
    });
    const rankOfB = await createRank({ name: 'B のランク' }, b);
    await kit.expectIsolated({
      create: async (token) => createCustomer(token === a.adminToken ? a : b),
      read: (id) => `/api/v1/customers/${id}/rank`,
      writes: (id) => [
        { method: 'PUT', url: `/api/v1/customers/${id}/rank`, payload: { rankId: rankOfB.id, reason: 'B' } },
        { method: 'DELETE', url: `/api/v1/customers/${id}/rank` },
      ],
    });
  });
});
