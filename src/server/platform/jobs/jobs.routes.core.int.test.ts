// The maintenance job and GET /api/v1/admin/jobs, on both databases.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Database } from '../../db/database.js';
import { onCleanup } from '../../test/cleanup.js';
import {
  auth,
  makeTenant,
  type TestApp,
  type TestTenant,
  testApp,
  testConfig,
  testDatabase,
} from '../../test/harness.js';
import { defineJob, type JobLog } from './job.js';
import type { JobItem } from './job-list.js';
import { maintenanceJob, scheduleMaintenance } from './maintenance.job.js';
import { type JobQueue, startJobs } from './queue.js';

const log: JobLog = { info() {}, warn() {}, error() {} };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// A schedule that does not fire while the tests run (1 January, 00:00 in Tokyo).
const config = testConfig({ JOBS: '1', MAINTENANCE_CRON: '0 0 1 1 *', SESSION_IDLE_MINUTES: '30' });

const reportJob = defineJob({
  name: 'test.report',
  schema: z.object({ tenantId: z.uuid(), customerName: z.string() }),
  handler: async () => ({ rows: 1 }),
});

let db: Database;
let jobs: JobQueue;
let app: TestApp;
let a: TestTenant;
let b: TestTenant;

async function finished(id: string | null, tenantId: string): Promise<JobItem> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const { items } = await jobs.list({ tenantId, limit: 500 });
    const job = items.find((j) => j.id === id);
    if (job && (job.state === 'completed' || job.state === 'failed')) return job;
    if (Date.now() > deadline) throw new Error(`job ${id} did not finish`);
    await sleep(100);
  }
}

beforeAll(async () => {
  db = await testDatabase();
  jobs = await startJobs({ db, config, mailer: null, log, tuning: { pollingIntervalSeconds: 0.5 } });
  onCleanup(() => jobs.stop());
  await scheduleMaintenance(jobs, config);
  await jobs.define(reportJob);
  app = await testApp({ db, config, jobs });
  a = await makeTenant(app);
  b = await makeTenant(app);
});

async function addSession(tenantId: string, userId: string, expiresIn: string, lastSeenAgo: string): Promise<void> {
  await db.withTenant(tenantId, (tx) =>
    tx.query(
      `INSERT INTO sessions (tenant_id, user_id, token_hash, csrf_token, last_seen_at, expires_at)
       VALUES ($1, $2, $3, 'csrf', now() - $4::interval, now() + $5::interval)`,
      [tenantId, userId, Buffer.from(randomUUID()), lastSeenAgo, expiresIn],
    ),
  );
}

describe('maintenance job', () => {
  it('deletes expired and idle sessions of every tenant, and vacuums the embedded database', async () => {
    const fresh: string[] = [];
    for (const t of [a, b]) {
      const [user] = await db.withTenant(t.tenantId, (tx) =>
        tx.query<{ id: string }>(
          `INSERT INTO users (tenant_id, email, name, role, password_hash) VALUES ($1, $2, '佐藤 花子', 'operator', 'x') RETURNING id`,
          [t.tenantId, `${randomUUID()}@example.jp`],
        ),
      );
      await addSession(t.tenantId, user?.id ?? '', '-1 minute', '1 minute'); // past its absolute expiry
      await addSession(t.tenantId, user?.id ?? '', '10 hours', '31 minutes'); // idle too long
      await addSession(t.tenantId, user?.id ?? '', '10 hours', '5 minutes'); // alive
      fresh.push(t.tenantId);
    }
    const vacuumsBefore = await vacuumCount(db);

    const id = await jobs.send(maintenanceJob, {});
    const job = await finished(id, a.tenantId);
    expect(job.state).toBe('completed');
    expect(job.output).toMatchObject({ sessionsDeleted: 4, vacuumed: db.kind === 'pglite' });

    for (const tenantId of fresh) {
      const left = await db.withTenant(tenantId, (tx) =>
        tx.query('SELECT 1 FROM sessions WHERE tenant_id = $1', [tenantId]),
      );
      expect(left).toHaveLength(1);
    }
    if (db.kind === 'pglite') expect(await vacuumCount(db)).toBeGreaterThan(vacuumsBefore);
    expect(await jobs.schedules()).toContainEqual({
      name: 'platform.maintenance',
      cron: '0 0 1 1 *',
      timezone: 'Asia/Tokyo',
    });
  });
});

async function vacuumCount(database: Database): Promise<number> {
  const [row] = await database.owner.query<{ n: number }>(
    `SELECT vacuum_count::int AS n FROM pg_stat_user_tables WHERE relname = 'sessions'`,
  );
  return row?.n ?? 0;
}

describe('GET /api/v1/admin/jobs', () => {
  it('lists the tenant’s jobs and system jobs, never another tenant’s, never payloads', async () => {
    const mine = await db.withTenant(a.tenantId, (tx) =>
      jobs.send(reportJob, { tenantId: a.tenantId, customerName: '山田 太郎' }, { tx }),
    );
    const theirs = await db.withTenant(b.tenantId, (tx) =>
      jobs.send(reportJob, { tenantId: b.tenantId, customerName: '鈴木 一郎' }, { tx }),
    );
    await finished(mine, a.tenantId);
    await finished(theirs, b.tenantId);

    const res = await app.inject({ method: 'GET', url: '/api/v1/admin/jobs', headers: auth(a.adminToken) });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { items: JobItem[]; schedules: unknown[]; nextCursor: string | null };
    const ids = body.items.map((j) => j.id);
    expect(ids).toContain(mine);
    expect(ids).not.toContain(theirs);
    expect(body.items.map((j) => j.name)).toContain('platform.maintenance');
    expect(body.items.every((j) => !j.name.startsWith('__pgboss__'))).toBe(true);
    expect(body.items.find((j) => j.id === mine)).toMatchObject({
      name: 'test.report',
      state: 'completed',
      retryCount: 0,
      output: { rows: 1 },
    });
    expect(res.body).not.toContain('山田');
    expect(res.body).not.toContain(a.tenantId);
    expect(body.schedules).toContainEqual({ name: 'platform.maintenance', cron: '0 0 1 1 *', timezone: 'Asia/Tokyo' });
    expect(body.nextCursor).toBeNull();

    const filtered = await app.inject({
      method: 'GET',
      url: '/api/v1/admin/jobs?name=test.report&state=completed',
      headers: auth(a.adminToken),
    });
    expect((filtered.json() as { items: JobItem[] }).items.map((j) => j.id)).toEqual([mine]);
  });

  it('pages by keyset: limit and cursor walk every job once', async () => {
    for (let i = 0; i < 3; i++) {
      await db.withTenant(a.tenantId, (tx) =>
        jobs.send(reportJob, { tenantId: a.tenantId, customerName: `顧客${i}` }, { tx }),
      );
    }
    const all = (
      await app.inject({ method: 'GET', url: '/api/v1/admin/jobs', headers: auth(a.adminToken) })
    ).json() as { items: JobItem[] };
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `limit=2&cursor=${cursor}` : 'limit=2';
      const res = await app.inject({ method: 'GET', url: `/api/v1/admin/jobs?${query}`, headers: auth(a.adminToken) });
      expect(res.statusCode).toBe(200);
      const body = res.json() as { items: JobItem[]; nextCursor: string | null };
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items.map((j) => j.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((j) => j.id));
    expect(new Set(seen).size).toBe(seen.length);

    const bad = await app.inject({
      method: 'GET',
      url: '/api/v1/admin/jobs?cursor=nonsense',
      headers: auth(a.adminToken),
    });
    expect(bad.statusCode).toBe(400);
    const tooMany = await app.inject({
      method: 'GET',
      url: '/api/v1/admin/jobs?limit=501',
      headers: auth(a.adminToken),
    });
    expect(tooMany.statusCode).toBe(400);
  });

  it('is for admins only', async () => {
    const operator = await a.token('operator');
    const res = await app.inject({ method: 'GET', url: '/api/v1/admin/jobs', headers: auth(operator) });
    expect(res.statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/v1/admin/jobs' })).statusCode).toBe(401);
  });

  it('answers empty lists when this process has no job queue (JOBS=0)', async () => {
    const off = await testApp({ db });
    const res = await off.inject({ method: 'GET', url: '/api/v1/admin/jobs', headers: auth(a.adminToken) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ items: [], schedules: [], nextCursor: null });
  });
});
