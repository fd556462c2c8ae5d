// reports.compact, every minute: folds the summary deltas the order triggers wrote (0010) into
// one row per key, for every tenant with any (or the one named). Reports are exact without it;
// it keeps them fast.
import { z } from 'zod';
import { defineJob } from '../../platform/jobs/job.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import { compactTenant, tenantsWithDeltas } from './reports.service.js';

export const compactReportsJob = defineJob({
  name: 'reports.compact',
  schema: z.object({ tenantId: z.uuid().optional() }),
  retryLimit: 2,
  timeoutSeconds: 30 * 60,
  async handler({ tenantId }, { db }) {
    const tenants = tenantId ? [tenantId] : await tenantsWithDeltas(db);
    let folded = 0;
    for (const t of tenants) folded += await compactTenant(db, t);
    return { tenants: tenants.length, folded };
  },
});

/** Defines the job and its schedule (called once at start, src/server/main.ts). */
export async function scheduleReports(jobs: JobQueue): Promise<void> {
  await jobs.define(compactReportsJob);
  await jobs.schedule(compactReportsJob.name, '* * * * *');
}
