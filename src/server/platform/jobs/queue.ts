// The job queue: pg-boss 10 over the project's own connections (PGlite or the pg pools).
//
// Why pg-boss: measured here, it installs and runs unchanged on PGlite through its `db.executeSql`
// option (install ≈ 90 ms, send/work/retry with backoff/cron all behave as on a server), and the
// same option lets `send` take a caller's transaction, including a tenant transaction running as
// the RLS-bound application role. graphile-worker needs LISTEN/NOTIFY on a connection of its own.
//
// Who does what:
//   - pg-boss's schema (`pgboss`) is created and migrated by pg-boss at start, as the owner.
//   - The application role may then only enqueue: USAGE on the schema, SELECT on pgboss.queue
//     (the insert joins it) and INSERT plus SELECT(id) on pgboss.job (`RETURNING id`). It cannot
//     read payloads. These grants are made here after start, not in a migration, because the
//     schema does not exist before pg-boss creates it.
//   - Workers, cron and pg-boss's own upkeep run as the owner.
import PgBoss from 'pg-boss';
import type { z } from 'zod';
import type { Config } from '../../config.js';
import { APP_ROLE, type Database, type Queryable } from '../../db/database.js';
import { type Clock, systemClock } from '../clock.js';
import type { Mailer } from '../mail/mailer.js';
import { type AnyJob, JOB_TIMEZONE, type JobContext, type JobDefinition, type JobLog, type JobOutput } from './job.js';
import { INTERNAL_PREFIX, type JobItem, type JobListQuery, listJobs, SCHEMA } from './job-list.js';

export type SendOptions = {
  /** The transaction that causes the job: it is enqueued only if that transaction commits. */
  tx?: Queryable;
  startAfterSeconds?: number;
  /** At most one created (not yet running) job with this key per job name. */
  singletonKey?: string;
};

export type JobSchedule = { name: string; cron: string; timezone: string };

export type JobQueue = {
  /** Registers a job (creates its queue) and, when this process works jobs, starts its worker. */
  define<S extends z.ZodType>(job: JobDefinition<S>): Promise<void>;
  /**
   * Enqueues a job; returns its id (null when a singletonKey suppressed it). Inside a transaction,
   * always pass it as `tx`: on PGlite a send outside it would wait for that very transaction.
   */
  send<S extends z.ZodType>(
    job: JobDefinition<S> | string,
    payload: z.input<S>,
    opts?: SendOptions,
  ): Promise<string | null>;
  /** Runs the job on a cron expression read in Asia/Tokyo (replaces the job's earlier schedule). */
  schedule(name: string, cron: string, payload?: unknown): Promise<void>;
  schedules(): Promise<JobSchedule[]>;
  /** An admin's page: the tenant's jobs (payload.tenantId) and system jobs (no tenantId), newest first. */
  list(query: JobListQuery): Promise<{ items: JobItem[]; nextCursor: string | null }>;
  /** Whether this process runs handlers (JOBS=1) or only enqueues. */
  readonly working: boolean;
  /** Stops fetching, waits for running handlers (up to the timeout), then releases the database. */
  stop(timeoutMs?: number): Promise<void>;
};

export type StartJobsDeps = {
  db: Database;
  config: Config;
  clock?: Clock;
  mailer: Mailer | null;
  log: JobLog;
  /** Defaults: work = config.jobs, polling every 2 s, cron checked every 30 s. Tests go faster. */
  tuning?: { work?: boolean; pollingIntervalSeconds?: number; cronMonitorIntervalSeconds?: number };
};

const GRANT_LOCK_KEY = 7_305_112_002;

type Sql = { executeSql(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }> };
type BossJob = { id: string; name: string; data: unknown; retryCount?: number };

/** pg-boss's DDL and upkeep come as one `BEGIN; …; COMMIT;` string: run it in our own transaction. */
const LOCKED = /^\s*BEGIN;([\s\S]*)COMMIT;\s*$/;

export async function startJobs(deps: StartJobsDeps): Promise<JobQueue> {
  const { db, config, mailer, log } = deps;
  const clock = deps.clock ?? systemClock;
  const working = deps.tuning?.work ?? config.jobs;
  const pollingIntervalSeconds = deps.tuning?.pollingIntervalSeconds ?? 2;
  const inflight = new Set<Promise<unknown>>();
  let running = 0;
  let stopping: Promise<void> | null = null;
  let released = false;

  const track = <T>(p: Promise<T>): Promise<T> => {
    inflight.add(p);
    const done = () => inflight.delete(p);
    p.then(done, done);
    return p;
  };
  const ownerSql: Sql = {
    executeSql(text, values) {
      if (released) return Promise.reject(new Error('job queue stopped'));
      const locked = LOCKED.exec(text);
      return track(
        locked
          ? db.owner.transaction(async (tx) => {
              await tx.exec(locked[1] ?? '');
              return { rows: [] };
            })
          : db.owner.query(text, values ?? []).then((rows) => ({ rows })),
      );
    },
  };
  const txSql = (tx: Queryable): Sql => ({
    executeSql: async (text, values) => ({ rows: await tx.query(text, values ?? []) }),
  });

  const boss = new PgBoss({
    db: ownerSql as PgBoss.Db,
    schema: SCHEMA,
    supervise: working,
    schedule: working,
    cronMonitorIntervalSeconds: deps.tuning?.cronMonitorIntervalSeconds ?? 30,
    cronWorkerIntervalSeconds: Math.max(1, Math.min(5, Math.round(pollingIntervalSeconds))),
  });
  boss.on('error', (err: Error & { queue?: string }) => {
    if (!stopping) log.error({ err: { message: err.message }, queue: err.queue }, 'job queue error');
  });
  await boss.start();
  await db.owner.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [GRANT_LOCK_KEY]);
    await tx.exec(
      `GRANT USAGE ON SCHEMA ${SCHEMA} TO ${APP_ROLE};
       GRANT SELECT ON ${SCHEMA}.queue TO ${APP_ROLE};
       GRANT INSERT, SELECT (id) ON ${SCHEMA}.job TO ${APP_ROLE};`,
    );
  });

  const jobs = new Map<string, AnyJob>();
  const workerIds = new Map<string, string>();

  function jobNamed(nameOrJob: AnyJob | string): AnyJob {
    const name = typeof nameOrJob === 'string' ? nameOrJob : nameOrJob.name;
    const job = jobs.get(name);
    if (!job) throw new Error(`job ${name} is not defined: call jobs.define() at start-up`);
    return job;
  }

  function validPayload(job: AnyJob, payload: unknown): unknown {
    const parsed = job.schema.safeParse(payload);
    if (parsed.success) return parsed.data;
    const where = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.code}`).join('; ');
    throw new Error(`job ${job.name}: payload does not match its schema (${where})`);
  }

  async function run(job: AnyJob, [bossJob]: BossJob[]): Promise<JobOutput | undefined> {
    if (!bossJob) return undefined;
    running++;
    const started = Date.now();
    const attempt = (bossJob.retryCount ?? 0) + 1;
    try {
      const payload = validPayload(job, bossJob.data);
      const ctx: JobContext = { jobId: bossJob.id, name: job.name, attempt, db, config, clock, mailer, log };
      const output = await job.handler(payload, ctx);
      log.info({ job: job.name, jobId: bossJob.id, attempt, ms: Date.now() - started }, 'job completed');
      return output ?? undefined;
    } catch (err) {
      log.warn({ job: job.name, jobId: bossJob.id, attempt, err: { message: (err as Error).message } }, 'job failed');
      throw err;
    } finally {
      running--;
    }
  }

  const queue: JobQueue = {
    working,

    async define(job) {
      if (stopping) throw new Error('job queue stopped');
      if (jobs.has(job.name)) throw new Error(`job ${job.name} is defined twice`);
      if (job.name.startsWith(INTERNAL_PREFIX) || !/^[\w.-]+$/.test(job.name))
        throw new Error(`job name ${job.name} is not allowed`);
      const options = {
        name: job.name,
        retryLimit: job.retryLimit ?? 3,
        retryDelay: job.retryDelaySeconds ?? 10,
        retryBackoff: job.backoff ?? true,
        expireInSeconds: job.timeoutSeconds ?? 15 * 60,
      };
      await boss.createQueue(job.name, options);
      await boss.updateQueue(job.name, options); // a queue made by an earlier release keeps today's options
      jobs.set(job.name, job as unknown as AnyJob);
      if (working) {
        const id = await boss.work(job.name, { pollingIntervalSeconds, includeMetadata: true, batchSize: 1 }, (batch) =>
          run(job as unknown as AnyJob, batch as BossJob[]),
        );
        workerIds.set(job.name, id);
      }
    },

    async send(nameOrJob, payload, opts = {}) {
      if (stopping) throw new Error('job queue stopped');
      const job = jobNamed(nameOrJob as AnyJob | string);
      const data = validPayload(job, payload);
      const tenantId = (opts.tx as { tenantId?: unknown } | undefined)?.tenantId;
      if (typeof tenantId === 'string' && (data as { tenantId?: unknown } | null)?.tenantId !== tenantId) {
        throw new Error(
          `job ${job.name}: a job sent in a tenant's transaction carries that tenant's id as payload.tenantId`,
        );
      }
      const options: PgBoss.SendOptions & { db?: PgBoss.Db } = {};
      if (opts.tx) options.db = txSql(opts.tx) as PgBoss.Db;
      if (opts.startAfterSeconds !== undefined) options.startAfter = opts.startAfterSeconds;
      if (opts.singletonKey !== undefined) options.singletonKey = opts.singletonKey;
      const id = await boss.send(job.name, data as object, options);
      // Outside a transaction the job is visible now: wake this process's worker.
      const worker = workerIds.get(job.name);
      if (!opts.tx && worker) boss.notifyWorker(worker);
      return id;
    },

    async schedule(name, cron, payload = {}) {
      const job = jobNamed(name);
      await boss.schedule(job.name, cron, validPayload(job, payload) as object, { tz: JOB_TIMEZONE });
    },

    async schedules() {
      const rows = (await boss.getSchedules()) as (PgBoss.Schedule & { timezone: string | null })[];
      return rows
        .filter((s) => !s.name.startsWith(INTERNAL_PREFIX))
        .map((s) => ({ name: s.name, cron: s.cron, timezone: s.timezone ?? 'UTC' }))
        .sort((a, b) => a.name.localeCompare(b.name));
    },

    list: (q) => listJobs(db, q),

    stop(timeoutMs = 8_000) {
      stopping ??= (async () => {
        await boss.stop({ graceful: true, wait: true, close: false, timeout: timeoutMs });
        // A worker may still be fetching, running a handler fetched just before the stop, or
        // completing one: let that finish before the caller closes the database.
        const deadline = Date.now() + timeoutMs;
        while ((inflight.size > 0 || running > 0) && Date.now() < deadline) {
          await Promise.race([Promise.allSettled([...inflight]), new Promise((r) => setTimeout(r, 50))]);
        }
        released = true;
      })();
      return stopping;
    },
  };
  return queue;
}
