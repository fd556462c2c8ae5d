// The rank jobs. Payloads carry ids only.
//   ranks.refresh       every minute: ranks the customers marked dirty (all tenants with any, or one)
//   ranks.recompute_all enqueued with a change of the rank master: every customer of the tenant
//   ranks.nightly       00:05 Asia/Tokyo: marks whose windows and recency passed a day, then ranks them
import { z } from 'zod';
import { tokyoDate } from '../../../shared/calendar.js';
import type { Database } from '../../db/database.js';
import { defineJob } from '../../platform/jobs/job.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import { processDirty, recomputeAll, sweep } from './ranks.compute.js';

/** The tenants with customers waiting (dirty) or with a rank master (read across tenants as the owner). */
export async function rankJobTenants(db: Database, dirty: boolean): Promise<string[]> {
  const rows = await db.owner.query<{ tenant_id: string }>('SELECT tenant_id FROM rank_job_tenants($1)', [dirty]);
  return rows.map((r) => r.tenant_id);
}

export const refreshRanksJob = defineJob({
  name: 'ranks.refresh',
  schema: z.object({ tenantId: z.uuid().optional() }),
  retryLimit: 2,
  timeoutSeconds: 30 * 60,
  async handler({ tenantId }, { db, clock }) {
    const now = clock.now();
    const tenants = tenantId ? [tenantId] : await rankJobTenants(db, true);
    let customers = 0;
    let changed = 0;
    for (const t of tenants) {
      const r = await processDirty(db, t, tokyoDate(now), now);
      customers += r.customers;
      changed += r.changed;
    }
    return { tenants: tenants.length, customers, changed };
  },
});

export const recomputeAllJob = defineJob({
  name: 'ranks.recompute_all',
  schema: z.object({ tenantId: z.uuid() }),
  retryLimit: 3,
  timeoutSeconds: 60 * 60,
  async handler({ tenantId }, { db, clock }) {
    const now = clock.now();
    return recomputeAll(db, tenantId, tokyoDate(now), now);
  },
});

export const nightlyRanksJob = defineJob({
  name: 'ranks.nightly',
  schema: z.object({}),
  retryLimit: 3,
  retryDelaySeconds: 300,
  timeoutSeconds: 2 * 60 * 60,
  async handler(_payload, { db, clock }) {
    const now = clock.now();
    const today = tokyoDate(now);
    const tenants = await rankJobTenants(db, false);
    let marked = 0;
    let changed = 0;
    for (const t of tenants) {
      marked += await sweep(db, t, today);
      changed += (await processDirty(db, t, today, now)).changed;
    }
    return { tenants: tenants.length, marked, changed };
  },
});

export const ranksJobs = [refreshRanksJob, recomputeAllJob, nightlyRanksJob];

/** Defines the rank jobs and their schedules (called once at start, src/server/main.ts). */
export async function scheduleRanks(jobs: JobQueue): Promise<void> {
  for (const job of ranksJobs) await jobs.define(job);
  await jobs.schedule(refreshRanksJob.name, '* * * * *');
  await jobs.schedule(nightlyRanksJob.name, '5 0 * * *');
}
