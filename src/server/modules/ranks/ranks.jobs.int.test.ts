// The rank jobs through the real queue: a purchase is ranked by ranks.refresh (all tenants with
// dirty customers), and a change of the rank master enqueues ranks.recompute_all in its transaction.
import { describe, expect, it } from 'vitest';
import { startJobs } from '../../platform/jobs/queue.js';
import { onCleanup } from '../../test/cleanup.js';
import { auth, makeTenant, testApp, testConfig, testDatabase } from '../../test/harness.js';
import { ranksJobs, refreshRanksJob } from './ranks.jobs.js';
import { recordPurchase } from './ranks.stats.js';

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  let last = await read();
  for (const deadline = Date.now() + 20_000; !ok(last) && Date.now() < deadline; ) {
    await new Promise((r) => setTimeout(r, 200));
    last = await read();
  }
  return last;
}

describe('rank jobs', () => {
  it('ranks.refresh ranks dirty customers of every tenant; a master change recomputes every customer', async () => {
    const config = testConfig({ JOBS: '1' });
    const db = await testDatabase();
    const jobs = await startJobs({
      db,
      config,
      mailer: null,
      log: { info() {}, warn() {}, error() {} },
      tuning: { pollingIntervalSeconds: 0.5 },
    });
    onCleanup(() => jobs.stop());
    for (const job of ranksJobs) await jobs.define(job);
    const app = await testApp({ db, config, jobs });

    const tenants = [await makeTenant(app), await makeTenant(app)];
    const customers: string[] = [];
    const golds: string[] = [];
    for (const t of tenants) {
      const gold = await app.inject({
        method: 'POST',
        url: '/api/v1/ranks',
        headers: auth(t.adminToken),
        payload: { name: 'ゴールド', minAmount: 30_000 },
      });
      golds.push(gold.json().id);
      await app.inject({
        method: 'POST',
        url: '/api/v1/ranks',
        headers: auth(t.adminToken),
        payload: { name: '一般' },
      });
      const c = await app.inject({
        method: 'POST',
        url: '/api/v1/customers',
        headers: auth(t.adminToken),
        payload: { name: '購入 者' },
      });
      customers.push(c.json().id);
      await db.withTenant(t.tenantId, (tx) => recordPurchase(tx, c.json().id, 40_000, new Date()));
    }
    const rankOf = async (i: number) => {
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/customers/${customers[i]}/rank`,
        headers: auth(tenants[i]?.adminToken ?? ''),
      });
      return res.json() as { rank: { name: string } | null; pending: boolean; rankedAt: string | null };
    };

    await jobs.send(refreshRanksJob, {});
    for (const i of [0, 1]) {
      const r = await eventually(
        () => rankOf(i),
        (v) => !v.pending && v.rankedAt !== null,
      );
      expect(r).toMatchObject({ rank: { name: 'ゴールド' }, pending: false });
    }

    // Raising the threshold recomputes tenant 0's customers (the job was enqueued with the PATCH).
    const patch = await app.inject({
      method: 'PATCH',
      url: `/api/v1/ranks/${golds[0]}`,
      headers: auth(tenants[0]?.adminToken ?? ''),
      payload: { minAmount: 50_000 },
    });
    expect(patch.statusCode).toBe(200);
    const after = await eventually(
      () => rankOf(0),
      (v) => v.rank?.name === '一般',
    );
    expect(after.rank?.name).toBe('一般');
    expect((await rankOf(1)).rank?.name).toBe('ゴールド');
  });
});
