// Merging two customers: everything of the merged one moves to the kept one in one transaction
// (phones deduplicated, addresses, karte, purchase statistics, manual rank, modules' handlers);
// the merged id then answers 404 and says where it went; a failure anywhere changes nothing.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/database.js';
import { auth, dbOf, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';
import { recordPurchase } from '../ranks/ranks.stats.js';
import { registerMergeHandler } from './merge-registry.js';

type Res = Awaited<ReturnType<TestApp['inject']>>;
let app: TestApp;
let db: Database;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  app = await testApp();
  db = dbOf(app);
});
afterEach(() => {
  for (const undo of cleanups.splice(0)) undo();
});

function call(t: TestTenant, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown): Promise<Res> {
  return app.inject({ method, url: `/api/v1${url}`, headers: auth(t.adminToken), payload: payload as never });
}

async function create(t: TestTenant, body: Record<string, unknown>): Promise<string> {
  const res = await call(t, 'POST', '/customers', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

/** A pair like the ones the desk creates twice: K is kept, M is merged into it. */
async function pair(t: TestTenant) {
  const k = await create(t, {
    name: '窓口 花子',
    phones: [{ number: '03-1111-2222', kind: 'home' }, { number: '090-1234-0001' }],
    emails: ['hanako@example.jp'],
    postalCode: '100-0001',
    prefecture: '東京都',
    city: '千代田区',
    address1: '千代田1-1',
    tags: ['VIP'],
    alert: '午前中は不在',
    dmOptIn: false,
  });
  const m = await create(t, {
    name: 'マドグチ ハナコ',
    phones: [{ number: '０３－１１１１－２２２２' }, { number: '06-3333-4444', kind: 'work' }],
    emails: ['HANAKO@example.jp', 'work@example.jp'],
    postalCode: '530-0001',
    prefecture: '大阪府',
    city: '大阪市北区',
    address1: '梅田1-1',
    birthDate: '1970-01-02',
    tags: ['VIP', '定期'],
    alert: '耳が遠い',
    note: '旧住所から転居',
    dmOptIn: true,
  });
  const delivery = await call(t, 'POST', `/customers/${m}/addresses`, { name: '窓口 次郎', address1: '梅田2-2' });
  expect(delivery.statusCode, delivery.body).toBe(201);
  expect((await call(t, 'PUT', `/customers/${m}/karte`, { allergies: 'そば', notes: '要確認' })).statusCode).toBe(200);
  const rank = await call(t, 'POST', '/ranks', { name: '優待' });
  const override = await call(t, 'PUT', `/customers/${m}/rank`, { rankId: rank.json().id, reason: '紹介' });
  expect(override.statusCode).toBe(200);
  await db.withTenant(t.tenantId, async (tx) => {
    await recordPurchase(tx, k, 5_000, new Date('2026-01-10T03:00:00Z'));
    await recordPurchase(tx, m, 7_000, new Date('2026-01-10T05:00:00Z'));
    await recordPurchase(tx, m, 3_000, new Date('2025-12-01T03:00:00Z'));
  });
  return { k, m };
}

/** Everything the API shows of a customer, to compare before and after. */
async function snapshot(t: TestTenant, id: string) {
  const parts = await Promise.all(
    ['', '/addresses', '/karte', '/rank'].map((p) => call(t, 'GET', `/customers/${id}${p}`)),
  );
  return parts.map((r) => ({ status: r.statusCode, body: r.json() }));
}

describe('merge', () => {
  it('moves phones, e-mails, addresses, karte, statistics and manual rank; the merged id answers 404', async () => {
    const t = await makeTenant(app);
    const { k, m } = await pair(t);
    const seen: string[][] = [];
    cleanups.push(
      registerMergeHandler('test-history', async (tx, keepId, mergeId) => {
        const rows = await tx.query('SELECT id FROM customers WHERE tenant_id = $1 AND id = $2', [
          tx.tenantId,
          mergeId,
        ]);
        seen.push([keepId, mergeId, String(rows.length)]);
        return 3;
      }),
    );
    const mCode = (await call(t, 'GET', `/customers/${m}`)).json().code;

    const res = await call(t, 'POST', '/customers/merge', { keepId: k, mergeId: m });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().moved).toMatchObject({
      phones: 1,
      phonesDropped: 1,
      addresses: 2,
      karte: 1,
      'test-history': 3,
    });
    expect(seen).toEqual([[k, m, '1']]); // the handler ran in the merge, seeing the merged customer

    const kept = (await call(t, 'GET', `/customers/${k}`)).json();
    expect(kept.phones.map((p: { e164: string }) => p.e164)).toEqual(['+81311112222', '+819012340001', '+81633334444']);
    expect(kept.emails).toEqual(['hanako@example.jp', 'work@example.jp']);
    expect(kept).toMatchObject({
      tags: ['VIP', '定期'],
      alert: '午前中は不在\n耳が遠い',
      note: '旧住所から転居',
      birthDate: '1970-01-02',
      dmOptIn: false, // consent is never widened by a merge
      address1: '千代田1-1',
    });
    const addresses = (await call(t, 'GET', `/customers/${k}/addresses`)).json().items;
    expect(addresses.map((a: { label: string | null; address1: string }) => [a.label, a.address1]).sort()).toEqual(
      [
        [`統合元 ${mCode}`, '梅田1-1'],
        [null, '梅田2-2'],
      ].sort(),
    );
    expect((await call(t, 'GET', `/customers/${k}/karte`)).json()).toMatchObject({
      allergies: 'そば',
      notes: '要確認',
    });
    const rank = (await call(t, 'GET', `/customers/${k}/rank`)).json();
    expect(rank).toMatchObject({ source: 'manual', reason: '紹介', pending: true });
    expect(rank.stats).toMatchObject({ purchaseCount: 3, purchaseAmount: 15_000 });

    // The merged customer: 404 everywhere, found by nobody, and it tells where it went.
    for (const p of ['', '/karte', '/rank', '/addresses']) {
      expect((await call(t, 'GET', `/customers/${m}${p}`)).statusCode, p).toBe(404);
    }
    expect((await call(t, 'GET', `/customers/${m}/merge`)).json()).toMatchObject({
      id: m,
      code: mCode,
      mergedInto: { id: k, code: kept.code },
    });
    expect((await call(t, 'GET', `/customers/${k}/merge`)).statusCode).toBe(404);
    const search = (await call(t, 'GET', `/customers?q=${encodeURIComponent('マドグチ')}`)).json();
    expect(search.items.map((c: { id: string }) => c.id)).toEqual([]);
    const lookup = (await call(t, 'GET', '/customers/lookup?phone=0633334444')).json();
    expect(lookup.items.map((c: { id: string }) => c.id)).toEqual([k]);
    const csv = (await call(t, 'GET', '/customers/export')).body;
    expect(csv).not.toContain(mCode);

    // Audited: the merge on both customers, the karte write on both.
    const audit = async (type: string, id: string) =>
      (await call(t, 'GET', `/audit?objectType=${type}&objectId=${id}`))
        .json()
        .items.map((i: { action: string }) => i.action);
    expect(await audit('customer', k)).toContain('customer.merge');
    expect(await audit('customer', m)).toContain('customer.merged');
    const karteAudit = (await call(t, 'GET', `/audit?objectType=karte&objectId=${k}`)).json().items;
    expect(karteAudit).toContainEqual(
      expect.objectContaining({ action: 'write', detail: { via: 'customer.merge', mergeId: m } }),
    );

    // Merging again, or into itself, is refused.
    expect((await call(t, 'POST', '/customers/merge', { keepId: k, mergeId: m })).json().code).toBe(
      'duplicates.already_merged',
    );
    const self = await call(t, 'POST', '/customers/merge', { keepId: k, mergeId: k });
    expect(self.statusCode).toBe(400);
    expect(self.json().errors[0].path).toBe('mergeId');
  });

  it('is atomic: a failing handler after every move leaves both customers exactly as they were', async () => {
    const t = await makeTenant(app);
    const { k, m } = await pair(t);
    const before = [await snapshot(t, k), await snapshot(t, m)];
    cleanups.push(
      registerMergeHandler('test-failure', async () => {
        throw new Error('cases table is locked');
      }),
    );
    const res = await call(t, 'POST', '/customers/merge', { keepId: k, mergeId: m });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('cases table');
    expect([await snapshot(t, k), await snapshot(t, m)]).toEqual(before);
    const audit = (await call(t, 'GET', `/audit?objectType=customer&objectId=${k}`)).json().items;
    expect(audit.map((i: { action: string }) => i.action)).not.toContain('customer.merge');
  });

  it('re-points earlier merges, so that any old id resolves in one step', async () => {
    const t = await makeTenant(app);
    const [a, b, c] = [await create(t, { name: 'A' }), await create(t, { name: 'B' }), await create(t, { name: 'C' })];
    expect((await call(t, 'POST', '/customers/merge', { keepId: b, mergeId: a })).statusCode).toBe(200);
    expect((await call(t, 'POST', '/customers/merge', { keepId: c, mergeId: b })).statusCode).toBe(200);
    expect((await call(t, 'GET', `/customers/${a}/merge`)).json().mergedInto.id).toBe(c);
    expect((await call(t, 'GET', `/customers/${b}/merge`)).json().mergedInto.id).toBe(c);
  });

  it("is for admins and supervisors; another tenant's customer is 404 and nothing changes", async () => {
    const a = await makeTenant(app);
    const b = await makeTenant(app);
    const aId = await create(a, { name: 'A社の顧客', phones: [{ number: '03-9999-0000' }] });
    const bId = await create(b, { name: 'B社の顧客' });
    const operator = await a.token('operator');
    const refused = await app.inject({
      method: 'POST',
      url: '/api/v1/customers/merge',
      headers: auth(operator),
      payload: { keepId: aId, mergeId: aId },
    });
    expect(refused.statusCode).toBe(403);
    const before = await snapshot(a, aId);
    for (const body of [
      { keepId: bId, mergeId: aId },
      { keepId: aId, mergeId: bId },
    ]) {
      const res = await call(b, 'POST', '/customers/merge', body);
      expect(res.statusCode, res.body).toBe(404);
    }
    expect(await snapshot(a, aId)).toEqual(before);
    expect((await call(b, 'GET', `/customers/${aId}/merge`)).statusCode).toBe(404);
  });
});
