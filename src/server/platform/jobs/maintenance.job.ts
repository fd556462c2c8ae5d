import { z } from 'zod';
import type { Config } from '../../config.js';
import { defineJob } from './job.js';
import type { JobQueue } from './queue.js';

/**
 * Periodic upkeep, once a night by default (MAINTENANCE_CRON, Asia/Tokyo):
 * - deletes sessions past their absolute expiry or idle longer than SESSION_IDLE_MINUTES (they can
 *   no longer sign anyone in; auth_session already refuses them);
 * - on the embedded database, VACUUM ANALYZE, since PGlite runs no autovacuum.
 * Output: `{ sessionsDeleted, vacuumed, ms }`.
 */
export const maintenanceJob = defineJob({
  name: 'platform.maintenance',
  schema: z.object({}),
  retryLimit: 2,
  retryDelaySeconds: 300,
  timeoutSeconds: 60 * 60,
  async handler(_payload, { db, config, clock }) {
    const started = Date.now();
    // Sessions of every tenant, so as the owner. A superuser owner bypasses RLS; an owner that is
    // not one obeys the FORCEd policies, and app.auth_lookup (its own policy on sessions, see
    // 0001_platform.sql) opens the table to it for this transaction only.
    const sessionsDeleted = await db.owner.transaction(async (tx) => {
      await tx.query(`SELECT set_config('app.auth_lookup', 'on', true)`);
      const [row] = await tx.query<{ n: number }>(
        `WITH gone AS (
           DELETE FROM sessions
            WHERE expires_at < $1::timestamptz OR last_seen_at < $1::timestamptz - make_interval(mins => $2::int)
           RETURNING 1)
         SELECT count(*)::int AS n FROM gone`,
        [clock.now(), config.session.idleMinutes],
      );
      return row?.n ?? 0;
    });
    // VACUUM cannot run inside a transaction: a statement of its own.
    const vacuumed = db.kind === 'pglite';
    if (vacuumed) await db.owner.exec('VACUUM ANALYZE');
    return { sessionsDeleted, vacuumed, ms: Date.now() - started };
  },
});

/** Defines the maintenance job and schedules it on MAINTENANCE_CRON. */
export async function scheduleMaintenance(jobs: JobQueue, config: Pick<Config, 'maintenanceCron'>): Promise<void> {
  await jobs.define(maintenanceJob);
  await jobs.schedule(maintenanceJob.name, config.maintenanceCron);
}
