// Karte, ranks, duplicates and merge on both databases (the embedded one included): the SQL these
// modules rely on — RLS hiding merged customers, stored duplicate keys, SKIP LOCKED batches,
// SECURITY DEFINER look-ups — behaves the same on PGlite and on a server.
import { beforeAll, describe, expect, it } from 'vitest';
import { tokyoDate } from '../../../shared/calendar.js';
import { auth, dbOf, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';
import { processDirty } from '../ranks/ranks.compute.js';
import { rankJobTenants } from '../ranks/ranks.jobs.js';
import { recordPurchase } from '../ranks/ranks.stats.js';

let app: TestApp;
let t: TestTenant;

beforeAll(async () => {
  app = await testApp();
  t = await makeTenant(app);
});

function call(method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, token = t.adminToken) {
  return app.inject({ method, url: `/api/v1${url}`, headers: auth(token), payload: payload as never });
}

async function create(body: Record<string, unknown>): Promise<string> {
  const res = await call('POST', '/customers', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

describe('customer care data', () => {
  it('karte: written and read by an admin, audited per request, refused to an operator token', async () => {
    const id = await create({ name: '健康 花子' });
    expect((await call('PUT', `/customers/${id}/karte`, { allergies: '卵' })).statusCode).toBe(200);
    expect((await call('GET', `/customers/${id}/karte`)).json()).toMatchObject({ allergies: '卵', version: 1 });
    expect((await call('GET', `/customers/${id}/karte`, undefined, await t.token('operator'))).statusCode).toBe(403);
    const audit = await call('GET', `/audit?objectType=karte&objectId=${id}`);
    expect(audit.json().items.map((i: { action: string }) => i.action)).toEqual(['read', 'write']);
  });

  it('rank: purchases mark the customer, the job ranks it', async () => {
    await call('POST', '/ranks', { name: 'ゴールド', minAmount: 10_000 });
    await call('POST', '/ranks', { name: '一般' });
    const id = await create({ name: '購入 太郎' });
    const db = dbOf(app);
    await db.withTenant(t.tenantId, (tx) => recordPurchase(tx, id, 12_000, new Date()));
    expect(await rankJobTenants(db, true)).toContain(t.tenantId);
    const now = new Date();
    expect(await processDirty(db, t.tenantId, tokyoDate(now), now)).toMatchObject({ customers: 1, changed: 1 });
    expect((await call('GET', `/customers/${id}/rank`)).json()).toMatchObject({
      rank: { name: 'ゴールド' },
      pending: false,
      stats: { purchaseCount: 1, purchaseAmount: 12_000 },
    });
  });

  it('duplicates and merge: found by phone and by name and address; merged into one; the other id 404', async () => {
    const place = { postalCode: '150-0001', address1: '神宮前1-2-3' };
    const keep = await create({ name: '渡邊 一郎', phones: [{ number: '03-5555-1234' }], ...place });
    const merge = await create({ name: '渡辺　一郎', phones: [{ number: '＋８１ ３ ５５５５ １２３４' }], ...place });
    const pairs = (await call('GET', '/customers/duplicates')).json().items as { reason: string }[];
    expect(pairs.map((p) => p.reason).sort()).toEqual(['name_address', 'phone']);
    expect((await call('PUT', `/customers/${merge}/karte`, { notes: '統合される側' })).statusCode).toBe(200);

    const res = await call('POST', '/customers/merge', { keepId: keep, mergeId: merge });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().moved).toMatchObject({ phones: 0, phonesDropped: 1, karte: 1 });
    expect((await call('GET', `/customers/${merge}`)).statusCode).toBe(404);
    expect((await call('GET', `/customers/${merge}/merge`)).json().mergedInto.id).toBe(keep);
    expect((await call('GET', `/customers/${keep}/karte`)).json().notes).toBe('統合される側');
    expect((await call('GET', '/customers/duplicates')).json().items).toEqual([]);
    const found = (await call('GET', `/customers?q=${encodeURIComponent('一郎')}`)).json().items;
    expect(found.map((c: { id: string }) => c.id)).toEqual([keep]);
  });
});
