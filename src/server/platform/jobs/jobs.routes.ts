import { z } from 'zod';
import type { App, Deps } from '../../app.js';
import { ADMIN } from '../auth/roles.js';
import { ctxOf } from '../http/context.js';
import { pageQuery } from '../http/pagination.js';
import { JOB_STATES } from './job.js';

const jobSchema = z.object({
  id: z.string(),
  name: z.string(),
  state: z.enum(JOB_STATES),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  retryCount: z.number().int(),
  /** What the handler returned (counts, ids), or `{ error }` for a failure. Never the payload. */
  output: z.record(z.string(), z.unknown()).nullable(),
});
const scheduleSchema = z.object({ name: z.string(), cron: z.string(), timezone: z.string() });
const tags = ['jobs'];

export function jobsRoutes(app: App, { jobs, clock }: Deps) {
  app.get(
    '/admin/jobs',
    {
      config: { roles: ADMIN },
      schema: {
        tags,
        summary: 'Background jobs of this tenant and of the system, newest first, and the cron schedules (Asia/Tokyo)',
        querystring: pageQuery.extend({
          state: z.enum(JOB_STATES).optional(),
          name: z.string().max(100).optional(),
        }),
        response: {
          200: z.object({
            items: z.array(jobSchema),
            schedules: z.array(scheduleSchema),
            nextCursor: z.string().nullable(),
          }),
        },
      },
    },
    async (req) => {
      const { tenantId } = ctxOf(req, clock);
      // JOBS=0: this process neither runs nor lists jobs.
      if (!jobs) return { items: [], schedules: [], nextCursor: null };
      const { items, nextCursor } = await jobs.list({ tenantId, ...req.query });
      return { items, schedules: await jobs.schedules(), nextCursor };
    },
  );
}
