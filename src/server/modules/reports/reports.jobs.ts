// reports.compact, every minute: folds the summary deltas the order triggers wrote (0010) into
// one row per key, for every tenant with any (or the one named). Reports are exact without it;
// it keeps them fast.
import { z } from 'zod';
import { tokyoDate } from '../../../shared/calendar.js';
import { defineJob } from '../../platform/jobs/job.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import { allTenants, compactTenant, syncCustomerPeriods, tenantsWithDeltas } from './reports.service.js';

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

// reports.customer-periods, daily at 03:30 and once at start: 顧客別売上一覧's kept periods
// (0018) of the day, for every tenant (or the one named); the new month's twelve months are built
// in the first night of the month, the periods no longer kept dropped.
export const customerPeriodsJob = defineJob({
  name: 'reports.customer-periods',
  schema: z.object({ tenantId: z.uuid().optional() }),
  retryLimit: 2,
  timeoutSeconds: 60 * 60,
  async handler({ tenantId }, { db, clock }) {
    const today = tokyoDate(clock.now());
    let built = 0;
    let dropped = 0;
    for (const t of tenantId ? [tenantId] : await allTenants(db)) {
      const r = await syncCustomerPeriods(db, t, today);
      built += r.built.length;
      dropped += r.dropped;
    }
    return { built, dropped };
  },
});

/** Defines the job and its schedule (called once at start, src/server/main.ts). */
export async function scheduleReports(jobs: JobQueue): Promise<void> {
  await jobs.define(compactReportsJob);
  await jobs.schedule(compactReportsJob.name, '* * * * *');
  await jobs.define(customerPeriodsJob);
  await jobs.schedule(customerPeriodsJob.name, '30 3 * * *');
  await jobs.send(customerPeriodsJob, {}, { singletonKey: 'start' });
}
