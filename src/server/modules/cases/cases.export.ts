// GET /cases/export: the cases list (by default the open ones, 未完了案件一覧) as CSV for Excel,
// streamed in keyset batches of the same query as GET /cases.
import { z } from 'zod';
import type { App, Deps } from '../../app.js';
import { audit } from '../../platform/audit/audit.js';
import { STAFF } from '../../platform/auth/roles.js';
import { attachment, csvContentType, csvStream } from '../../platform/files/csv.js';
import { ctxOf } from '../../platform/http/context.js';
import { tokyoTime } from './cases.notify.js';
import { type Case, type CaseFilter, listCasesQuery, OPEN_STATUSES } from './cases.schema.js';
import { listCases } from './cases.service.js';

const BATCH = 500;
const STATUS_LABELS: Record<Case['status'], string> = {
  open: '未着手',
  in_progress: '対応中',
  waiting: '回答待ち',
  resolved: '解決',
  closed: '完了',
};
export const CASE_EXPORT_HEADER = [
  '案件番号',
  '状態',
  '件名',
  '顧客コード',
  '顧客名',
  '担当者',
  'エスカレーション先',
  '期限',
  '期限超過',
  '作成日時',
  '更新日時',
  '内容',
];

const time = (iso: string | null) => (iso ? tokyoTime(new Date(iso)) : '');

function exportRow(c: Case): unknown[] {
  return [
    c.number,
    STATUS_LABELS[c.status],
    c.title,
    c.customer?.code,
    c.customer?.name,
    c.assignee?.name,
    c.group?.name,
    time(c.dueAt),
    c.overdue ? '超過' : '',
    time(c.createdAt),
    time(c.updatedAt),
    c.note,
  ];
}

const exportQuery = listCasesQuery
  .omit({ limit: true, cursor: true })
  .extend({ encoding: z.enum(['sjis', 'utf8bom']).default('utf8bom') });

export function exportCasesRoute(app: App, { db, clock }: Deps) {
  app.get(
    '/cases/export',
    {
      config: { roles: STAFF },
      schema: {
        tags: ['cases'],
        description:
          'CSV for Excel (Shift_JIS or UTF-8 with BOM, CRLF, formula cells defused): the open cases unless `status` says otherwise.',
        querystring: exportQuery,
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, clock);
      const { encoding, ...filter } = req.query;
      const q: Omit<CaseFilter, 'limit' | 'cursor'> = { ...filter, status: filter.status ?? [...OPEN_STATUSES] };
      await db.withTenant(ctx.tenantId, (tx) =>
        audit(tx, ctx.actor, { action: 'case.export', objectType: 'case', detail: { encoding, status: q.status } }),
      );
      async function* rows(): AsyncGenerator<unknown[]> {
        let cursor: string | undefined;
        for (;;) {
          const pageOf = await listCases(db, ctx, { ...q, limit: BATCH, cursor });
          for (const c of pageOf.items) yield exportRow(c);
          if (!pageOf.nextCursor) return;
          cursor = pageOf.nextCursor;
        }
      }
      const day = tokyoTime(ctx.now).slice(0, 10).replaceAll('/', '');
      return reply
        .header('content-type', csvContentType(encoding))
        .header('content-disposition', attachment(`cases-${day}.csv`))
        .header('cache-control', 'no-store')
        .send(csvStream(CASE_EXPORT_HEADER, rows(), encoding));
    },
  );
}
