import { z } from 'zod';
// The admin's job list: live and archived pg-boss jobs of one tenant (payload.tenantId) and system
// jobs (no tenantId), read as the owner; never a payload beyond the job's own id.
import type { Database } from '../../db/database.js';
import { decodeCursor, page } from '../http/pagination.js';
import type { JobOutput, JobState } from './job.js';

export const SCHEMA = 'pgboss';
export const INTERNAL_PREFIX = '__pgboss__';

export type JobListQuery = { tenantId: string; state?: JobState; name?: string; limit: number; cursor?: string };
export type JobItem = {
  id: string;
  name: string;
  state: JobState;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  retryCount: number;
  output: JobOutput | null;
};
type ListRow = {
  id: string;
  name: string;
  state: JobState;
  created_on: Date;
  started_on: Date | null;
  completed_on: Date | null;
  retry_count: number;
  output: unknown;
  created_key: string;
};

// Live jobs and archived ones (pg-boss moves finished jobs to the archive after 12 h and drops
// them after 7 days). Ordered by (created_on, id); the cursor keeps created_on to the microsecond.
const LIST_SQL = `
  SELECT id::text AS id, name, state::text AS state, created_on, started_on, completed_on, retry_count, output,
         to_char(created_on AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_key
    FROM (SELECT id, name, state, data, created_on, started_on, completed_on, retry_count, output FROM ${SCHEMA}.job
          UNION ALL
          SELECT id, name, state, data, created_on, started_on, completed_on, retry_count, output FROM ${SCHEMA}.archive) j
   WHERE NOT starts_with(name, '${INTERNAL_PREFIX}')
     AND (data ->> 'tenantId' = $1 OR data ->> 'tenantId' IS NULL)
     AND ($2::text IS NULL OR state::text = $2)
     AND ($3::text IS NULL OR name = $3)
     AND ($4::timestamptz IS NULL OR (created_on, id) < ($4::timestamptz, $5::uuid))
   ORDER BY created_on DESC, id DESC
   LIMIT $6`;

function toItem(r: ListRow): JobItem {
  return {
    id: r.id,
    name: r.name,
    state: r.state,
    createdAt: r.created_on.toISOString(),
    startedAt: r.started_on?.toISOString() ?? null,
    completedAt: r.completed_on?.toISOString() ?? null,
    retryCount: Number(r.retry_count),
    output: publicOutput(r.state, r.output),
  };
}

/**
 * A handler's output as it returned it; a failure as its message alone (pg-boss stores the
 * serialised error with its stack, which admins do not need to see).
 */
export function publicOutput(state: JobState, output: unknown): JobOutput | null {
  if (output === null || typeof output !== 'object' || Array.isArray(output)) return null;
  const o = output as Record<string, unknown>;
  const failed = state === 'failed' || state === 'retry' || 'stack' in o;
  if (!failed) return o;
  const value = o.value as unknown;
  const message =
    typeof o.message === 'string'
      ? o.message
      : typeof value === 'string'
        ? value
        : typeof (value as { message?: unknown } | null)?.message === 'string'
          ? String((value as { message: string }).message)
          : 'failed';
  return { error: message.slice(0, 500) };
}

export async function listJobs(
  db: Database,
  q: JobListQuery,
): Promise<{ items: JobItem[]; nextCursor: string | null }> {
  const after = decodeCursor(
    q.cursor,
    z.tuple([z.string().regex(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/), z.string().max(100)]),
  );
  const rows = await db.owner.query<ListRow>(LIST_SQL, [
    q.tenantId,
    q.state ?? null,
    q.name ?? null,
    after?.[0] ?? null,
    after?.[1] ?? null,
    q.limit + 1,
  ]);
  return page(rows, q.limit, toItem, (r) => [r.created_key, r.id]);
}
