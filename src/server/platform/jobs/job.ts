// What a job is: `{ name, payload schema, handler }`, declared where the work belongs
// (a module's <name>.jobs.ts) and registered at start with `jobs.define(…)` (see queue.ts).
import type { z } from 'zod';
import type { Config } from '../../config.js';
import type { Database } from '../../db/database.js';
import type { Clock } from '../clock.js';
import type { Mailer } from '../mail/mailer.js';

export const JOB_TIMEZONE = 'Asia/Tokyo';
export const JOB_STATES = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** What the queue logs through: a pino logger fits. Payloads are never logged (they may hold personal data). */
export type JobLog = {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
};

export type JobContext = {
  jobId: string;
  name: string;
  /** 1 on the first run, 2 on the first retry, … */
  attempt: number;
  db: Database;
  config: Config;
  clock: Clock;
  mailer: Mailer | null;
  log: JobLog;
};

/** What a handler returns is kept as the job's output and shown to admins: counts and ids only. */
export type JobOutput = Record<string, unknown>;

/**
 * A job: its name, the zod schema of its payload (plain JSON: no transforms) and its handler.
 * Payloads of tenant work carry `tenantId`; the handler opens `ctx.db.withTenant(tenantId, …)`.
 */
export type JobDefinition<S extends z.ZodType = z.ZodType> = {
  name: string;
  schema: S;
  // biome-ignore lint/suspicious/noConfusingVoidType: a handler with nothing to report returns nothing
  handler: (payload: z.output<S>, ctx: JobContext) => Promise<JobOutput | void>;
  /** Retries after the first failure (default 3). */
  retryLimit?: number;
  /** Delay before the first retry (default 10 s); doubled per retry with jitter when backoff is on. */
  retryDelaySeconds?: number;
  /** Exponential backoff (default true). */
  backoff?: boolean;
  /** A run longer than this fails and is retried (default 15 min, at most 23 h). */
  timeoutSeconds?: number;
};

/** Identity, for typing a job where it is declared: `export const fooJob = defineJob({ … })`. */
export function defineJob<S extends z.ZodType>(job: JobDefinition<S>): JobDefinition<S> {
  return job;
}

export type AnyJob = JobDefinition<z.ZodType>;
