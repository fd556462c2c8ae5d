// The notifications module's job: notifications.purge, every night at 03:40 Asia/Tokyo, deletes
// the notifications that were read and are older than NOTIFICATION_RETENTION_DAYS. Unread ones
// stay whatever their age: nobody has seen them yet. Output: `{ deleted }`.
//
// The retention is a constant, not a setting: the bell shows the latest notifications, and the
// history of what they announce is kept elsewhere (a case's events, the audit log). Deleting a
// notification frees its dedupe key, which is harmless: the case alarm keeps its own record of the
// due time it alarmed (cases.alarmed_due_at) and does not notify again.
import { z } from 'zod';
import type { Database } from '../../db/database.js';
import { defineJob } from '../../platform/jobs/job.js';
import type { JobQueue } from '../../platform/jobs/queue.js';

export const NOTIFICATION_RETENTION_DAYS = 90;
export const PURGE_NOTIFICATIONS_CRON = '40 3 * * *';

/** Deletes, across tenants, the read notifications created more than `days` days before `now`; answers how many. */
export async function purgeReadNotifications(
  db: Database,
  now: Date,
  days = NOTIFICATION_RETENTION_DAYS,
): Promise<number> {
  // As the owner, every tenant's rows: the purge policy of 0015 opens them for this transaction.
  return db.owner.transaction(async (tx) => {
    await tx.query(`SELECT set_config('app.purge', 'on', true)`);
    const [row] = await tx.query<{ n: number }>(
      `WITH gone AS (
         DELETE FROM notifications
          WHERE read_at IS NOT NULL AND created_at < $1::timestamptz - make_interval(days => $2::int)
         RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [now, days],
    );
    return row?.n ?? 0;
  });
}

export const purgeNotificationsJob = defineJob({
  name: 'notifications.purge',
  schema: z.object({}),
  retryLimit: 2,
  retryDelaySeconds: 300,
  timeoutSeconds: 60 * 60,
  async handler(_payload, { db, clock }) {
    return { deleted: await purgeReadNotifications(db, clock.now()) };
  },
});

/** Defines the purge and runs it every night. Called once at start (main.ts). */
export async function scheduleNotifications(jobs: JobQueue): Promise<void> {
  await jobs.define(purgeNotificationsJob);
  await jobs.schedule(purgeNotificationsJob.name, PURGE_NOTIFICATIONS_CRON);
}
