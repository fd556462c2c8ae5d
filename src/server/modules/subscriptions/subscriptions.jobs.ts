import { z } from 'zod';
import { tokyoDate } from '../../../shared/calendar.js';
import { defineJob } from '../../platform/jobs/job.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import { generateDue } from './generate.js';

/** Every morning (Asia/Tokyo) before the warehouse's cut-off: today's due deliveries become orders. */
export const SUBSCRIPTIONS_CRON = '0 5 * * *';

export const generateSubscriptionsJob = defineJob({
  name: 'subscriptions.generate',
  schema: z.object({ date: z.iso.date().optional(), tenantId: z.uuid().optional() }),
  retryLimit: 5,
  retryDelaySeconds: 300,
  timeoutSeconds: 2 * 60 * 60,
  async handler({ date, tenantId }, { db, clock }) {
    const now = clock.now();
    const r = await generateDue(db, { date: date ?? tokyoDate(now), now, tenantId });
    return { date: r.date, tenants: r.tenants, generated: r.generated, late: r.late, exceptions: r.exceptions };
  },
});

export async function scheduleSubscriptions(jobs: JobQueue): Promise<void> {
  await jobs.define(generateSubscriptionsJob);
  await jobs.schedule(generateSubscriptionsJob.name, SUBSCRIPTIONS_CRON);
}
