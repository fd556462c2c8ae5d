// The job queue on both databases (the `integration` project on PostgreSQL, `pglite` on PGlite):
// transactional enqueue, retries with backoff, cron in Asia/Tokyo, graceful stop.
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Database } from '../../db/database.js';
import { onCleanup } from '../../test/cleanup.js';
import { makeTenant, testConfig, testDatabase } from '../../test/harness.js';
import { defineJob, type JobLog } from './job.js';
import type { JobItem } from './job-list.js';
import { type JobQueue, startJobs } from './queue.js';

const errors: unknown[] = [];
const log: JobLog = { info() {}, warn() {}, error: (obj) => errors.push(obj) };
const fast = { pollingIntervalSeconds: 0.5, cronMonitorIntervalSeconds: 1 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

let db: Database;
let jobs: JobQueue;
let tenantId: string;

async function jobById(id: string | null): Promise<JobItem | undefined> {
  const { items } = await jobs.list({ tenantId, limit: 500 });
  return items.find((j) => j.id === id);
}

beforeAll(async () => {
  db = await testDatabase();
  jobs = await startJobs({ db, config: testConfig({ JOBS: '1' }), mailer: null, log, tuning: fast });
  onCleanup(() => jobs.stop());
  tenantId = (await makeTenant(db)).tenantId;
});

describe('job queue', () => {
  it('enqueues in the caller’s transaction: a rollback never runs, a commit runs once', async () => {
    const runs: number[] = [];
    const echo = defineJob({
      name: 'test.echo',
      schema: z.object({ tenantId: z.uuid(), n: z.number().int() }),
      handler: async (p, ctx) => {
        expect(ctx.attempt).toBe(1);
        runs.push(p.n);
        return { n: p.n };
      },
    });
    await jobs.define(echo);

    await expect(
      db.withTenant(tenantId, async (tx) => {
        await jobs.send(echo, { tenantId, n: 1 }, { tx });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    const id = await db.withTenant(tenantId, (tx) => jobs.send(echo, { tenantId, n: 2 }, { tx }));
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const done = await waitFor('the committed job', async () => {
      const job = await jobById(id);
      return job?.state === 'completed' ? job : undefined;
    });
    await sleep(1500); // time enough for a duplicate or the rolled-back job to show up
    expect(runs).toEqual([2]);
    expect(done).toMatchObject({ name: 'test.echo', retryCount: 0, output: { n: 2 } });
    expect(done.startedAt).not.toBeNull();
    expect(done.completedAt).not.toBeNull();
  });

  it('lets the application role enqueue but not read payloads, and checks the tenant and the schema', async () => {
    await expect(db.withTenant(tenantId, (tx) => tx.query('SELECT data FROM pgboss.job'))).rejects.toThrow(
      /permission denied/,
    );
    const other = (await makeTenant(db)).tenantId;
    await expect(
      db.withTenant(tenantId, (tx) => jobs.send('test.echo', { tenantId: other, n: 3 }, { tx })),
    ).rejects.toThrow(/tenant/);
    await expect(jobs.send('test.echo', { tenantId, n: 'three' })).rejects.toThrow(/n: invalid_type/);
    await expect(jobs.send('test.unknown', {})).rejects.toThrow(/not defined/);
    await expect(jobs.schedule('test.unknown', '* * * * *')).rejects.toThrow(/not defined/);
  });

  it('retries a failing job with exponential backoff, then marks it failed with its message only', async () => {
    const attempts: { attempt: number; at: number }[] = [];
    const flaky = defineJob({
      name: 'test.flaky',
      schema: z.object({}),
      retryLimit: 2,
      retryDelaySeconds: 1,
      backoff: true,
      handler: async (_p, ctx) => {
        attempts.push({ attempt: ctx.attempt, at: Date.now() });
        throw new Error('一時的なエラー');
      },
    });
    await jobs.define(flaky);
    const id = await jobs.send(flaky, {});
    const failed = await waitFor('the job to fail for good', async () => {
      const job = await jobById(id);
      return job?.state === 'failed' ? job : undefined;
    });
    expect(attempts.map((a) => a.attempt)).toEqual([1, 2, 3]);
    const [a1, a2, a3] = attempts.map((a) => a.at) as [number, number, number];
    // Delay before retry n is 1 s × 2^n / 2 × (1 + jitter): [1, 2) s, then [2, 4) s.
    expect(a2 - a1).toBeGreaterThanOrEqual(900);
    expect(a3 - a2).toBeGreaterThanOrEqual(1900);
    expect(failed).toMatchObject({ retryCount: 2, output: { error: '一時的なエラー' } });
    expect(JSON.stringify(failed.output)).not.toContain('stack');
  });

  it('runs a cron schedule read in Asia/Tokyo', async () => {
    let ticks = 0;
    await jobs.define(defineJob({ name: 'test.tick', schema: z.object({}), handler: async () => void ticks++ }));
    // Every minute of this hour and the next in Tokyo: hours that are not now in UTC (9 h apart),
    // so the job runs only if the schedule is read in Asia/Tokyo.
    const hour = Number(
      new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', hourCycle: 'h23' }).format(
        new Date(),
      ),
    );
    const cron = `* ${hour},${(hour + 1) % 24} * * *`;
    await jobs.schedule('test.tick', cron);
    expect(await jobs.schedules()).toContainEqual({ name: 'test.tick', cron, timezone: 'Asia/Tokyo' });
    await waitFor('the cron job to run', () => ticks > 0 || undefined);
    await expect(jobs.schedule('test.tick', 'not a cron')).rejects.toThrow();
  });

  it('stops gracefully: a running handler finishes and completes before stop() returns', async () => {
    const second = await startJobs({ db, config: testConfig({ JOBS: '1' }), mailer: null, log, tuning: fast });
    let started = false;
    let finished = false;
    await second.define(
      defineJob({
        name: 'test.slow',
        schema: z.object({}),
        handler: async () => {
          started = true;
          await sleep(1500);
          finished = true;
          return { slept: 1500 };
        },
      }),
    );
    const id = await second.send('test.slow', {});
    await waitFor('the slow job to start', () => started || undefined);
    await second.stop();
    expect(finished).toBe(true);
    await expect(second.send('test.slow', {})).rejects.toThrow(/stopped/);
    const job = await waitFor(
      'the completion to be stored',
      async () => {
        const j = await jobById(id);
        return j?.state === 'completed' ? j : undefined;
      },
      3000,
    );
    expect(job.output).toEqual({ slept: 1500 });
    expect(errors).toEqual([]);
  });
});
