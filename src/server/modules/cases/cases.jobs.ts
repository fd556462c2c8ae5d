// The cases module's jobs: the overdue alarm, every minute (Asia/Tokyo cron), and its mails.
import { z } from 'zod';
import { defineJob } from '../../platform/jobs/job.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import { runCaseAlarms } from './cases.alarms.js';
import { caseAlarmMailJob } from './cases.mail.js';

export const CASE_ALARM_CRON = '* * * * *';

/** The alarm job; it enqueues its mails on `jobs`, the queue it runs on. Output: counts only. */
export function caseAlarmJob(jobs: JobQueue) {
  return defineJob({
    name: 'cases.alarm',
    schema: z.object({}),
    retryLimit: 1,
    retryDelaySeconds: 30,
    timeoutSeconds: 5 * 60,
    handler: async (_payload, ctx) => runCaseAlarms({ db: ctx.db, clock: ctx.clock, config: ctx.config, jobs }),
  });
}

/** Defines the alarm and its mail job and runs the alarm every minute. Called once at start (main.ts). */
export async function scheduleCaseAlarms(jobs: JobQueue): Promise<void> {
  await jobs.define(caseAlarmMailJob);
  const alarm = caseAlarmJob(jobs);
  await jobs.define(alarm);
  await jobs.schedule(alarm.name, CASE_ALARM_CRON);
}
