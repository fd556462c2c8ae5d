// The telephony module's job: telephony.purge_events, every hour (Asia/Tokyo cron), deletes the
// stored call events (0015) that no reconnecting stream can be replayed any more: they hold phone
// numbers and serve nothing else. Output: `{ deleted }`.
import { z } from 'zod';
import type { Database } from '../../db/database.js';
import { defineJob } from '../../platform/jobs/job.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import { REPLAY_WINDOW_MS } from './telephony.bus.js';

export const PURGE_EVENTS_CRON = '7 * * * *';

/** Deletes, across tenants, the call events older than the replay window at `now`; answers how many. */
export async function purgeCallEvents(db: Database, now: Date): Promise<number> {
  // As the owner, every tenant's rows: the purge policy of 0015 opens them for this transaction.
  return db.owner.transaction(async (tx) => {
    await tx.query(`SELECT set_config('app.purge', 'on', true)`);
    const [row] = await tx.query<{ n: number }>(
      'WITH gone AS (DELETE FROM telephony_events WHERE at < $1 RETURNING 1) SELECT count(*)::int AS n FROM gone',
      [new Date(now.getTime() - REPLAY_WINDOW_MS)],
    );
    return row?.n ?? 0;
  });
}

export const purgeCallEventsJob = defineJob({
  name: 'telephony.purge_events',
  schema: z.object({}),
  retryLimit: 2,
  retryDelaySeconds: 60,
  timeoutSeconds: 30 * 60,
  async handler(_payload, { db, clock }) {
    return { deleted: await purgeCallEvents(db, clock.now()) };
  },
});

/** Defines the purge and runs it every hour. Called once at start (main.ts). */
export async function scheduleTelephony(jobs: JobQueue): Promise<void> {
  await jobs.define(purgeCallEventsJob);
  await jobs.schedule(purgeCallEventsJob.name, PURGE_EVENTS_CRON);
}
