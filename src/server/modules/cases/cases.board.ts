// The status-watch board (ステータスウォッチ): open cases by status with their age and whether
// they are overdue, both reckoned from the application's clock (tests and the e2e move it).
import { z } from 'zod';
import type { Database } from '../../db/database.js';
import { CASE_COLUMNS, CASE_FROM, params } from './cases.queries.js';
import { type CaseRow, caseSchema, OPEN_STATUSES, toCase } from './cases.schema.js';

export const boardQuery = z.object({
  assigneeId: z.uuid().optional(),
  groupId: z.uuid().optional(),
  /** Cases shown per status (the counts cover them all). */
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type BoardQuery = z.infer<typeof boardQuery>;

export const boardItemSchema = caseSchema.extend({
  /** Seconds since the case was opened. */
  ageSeconds: z.number().int(),
  /** Seconds past its due time; 0 when not overdue. */
  overdueSeconds: z.number().int(),
});

export const boardSchema = z.object({
  /** The server's clock when the board was read. */
  now: z.string(),
  total: z.number().int(),
  overdue: z.number().int(),
  columns: z.array(
    z.object({
      status: z.enum(OPEN_STATUSES),
      count: z.number().int(),
      overdue: z.number().int(),
      /** Most urgent first: by due time. */
      items: z.array(boardItemSchema),
    }),
  ),
});
export type Board = z.infer<typeof boardSchema>;

/** GET /cases/board: two statements whatever the number of cases (counts, then each column's first `limit`). */
export async function caseBoard(db: Database, ctx: { tenantId: string; now: Date }, q: BoardQuery): Promise<Board> {
  return db.withTenant(ctx.tenantId, async (tx) => {
    const { values, p } = params(tx.tenantId, [...OPEN_STATUSES]);
    const filters: string[] = [];
    if (q.assigneeId) filters.push(`c.assignee_id = ${p(q.assigneeId)}`);
    if (q.groupId) filters.push(`c.group_id = ${p(q.groupId)}`);
    const filter = filters.map((f) => ` AND ${f}`).join('');
    const counts = await tx.query<{ status: string; n: number; overdue: number }>(
      `SELECT c.status, count(*)::int AS n, (count(*) FILTER (WHERE c.due_at <= $${values.length + 1}))::int AS overdue
         FROM cases c WHERE c.tenant_id = $1 AND c.status = ANY($2::text[])${filter}
        GROUP BY c.status`,
      [...values, ctx.now],
    );
    const rows = await tx.query<CaseRow & { column_status: string }>(
      `SELECT s.status AS column_status, x.* FROM unnest($2::text[]) AS s(status)
        CROSS JOIN LATERAL (
          SELECT ${CASE_COLUMNS} FROM ${CASE_FROM}
           WHERE c.tenant_id = $1 AND c.status = s.status${filter}
           ORDER BY c.due_at, c.id LIMIT $${values.length + 1}) AS x`,
      [...values, q.limit],
    );
    const now = ctx.now.getTime();
    const columns = OPEN_STATUSES.map((status) => {
      const count = counts.find((c) => c.status === status);
      return {
        status,
        count: count?.n ?? 0,
        overdue: count?.overdue ?? 0,
        items: rows
          .filter((r) => r.column_status === status)
          .map((r) => ({
            ...toCase(r, ctx.now),
            ageSeconds: Math.max(0, Math.floor((now - r.created_at.getTime()) / 1000)),
            overdueSeconds: Math.max(0, Math.floor((now - r.due_at.getTime()) / 1000)),
          })),
      };
    });
    return {
      now: ctx.now.toISOString(),
      total: columns.reduce((n, c) => n + c.count, 0),
      overdue: columns.reduce((n, c) => n + c.overdue, 0),
      columns,
    };
  });
}
