import { z } from 'zod';
import type { App, Deps } from '../../app.js';
import type { Database } from '../../db/database.js';
import { ADMIN } from '../auth/roles.js';
import { attachment, csvContentType, csvStream } from '../files/csv.js';
import { ctxOf } from '../http/context.js';
import { decodeCursor, page, pageQuery } from '../http/pagination.js';

const dateString = z.iso.date();
// Excel users read local time: 2026-11-23 19:05:09 (Asia/Tokyo).
const tokyoTime = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo', dateStyle: 'short', timeStyle: 'medium' });
const filterSchema = z.object({
  actorId: z.uuid().optional(),
  objectType: z.string().max(50).optional(),
  objectId: z.string().max(100).optional(),
  action: z.string().max(50).optional(),
  from: dateString.optional(),
  to: dateString.optional(),
});
type Filter = z.infer<typeof filterSchema>;

const itemSchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.object({
    type: z.enum(['user', 'token', 'system']),
    id: z.string().nullable(),
    label: z.string(),
    name: z.string().nullable(),
  }),
  action: z.string(),
  objectType: z.string(),
  objectId: z.string().nullable(),
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
});

type Row = {
  id: string;
  at: Date;
  actor_type: 'user' | 'token' | 'system';
  actor_id: string | null;
  actor_label: string | null;
  user_email: string | null;
  user_name: string | null;
  action: string;
  object_type: string;
  object_id: string | null;
  request_id: string | null;
  ip: string | null;
  detail: Record<string, unknown> | null;
};

function toItem(r: Row): z.infer<typeof itemSchema> {
  return {
    id: String(r.id),
    at: r.at.toISOString(),
    actor: { type: r.actor_type, id: r.actor_id, label: r.user_email ?? r.actor_label ?? '', name: r.user_name },
    action: r.action,
    objectType: r.object_type,
    objectId: r.object_id,
    requestId: r.request_id,
    ip: r.ip,
    detail: r.detail,
  };
}

/** One keyset page of the tenant's audit log, newest first. Dates are Asia/Tokyo days. */
async function auditPage(db: Database, tenantId: string, f: Filter, beforeId: string | null, limit: number) {
  return db.withTenant(tenantId, (tx) =>
    tx.query<Row>(
      `SELECT a.id::text AS id, a.at, a.actor_type, a.actor_id, a.actor_label, u.email AS user_email, u.name AS user_name,
              a.action, a.object_type, a.object_id, a.request_id, a.ip, a.detail
         FROM audit_log a
         LEFT JOIN users u ON u.tenant_id = a.tenant_id AND u.id = a.actor_id
        WHERE a.tenant_id = $1
          AND ($2::uuid IS NULL OR a.actor_id = $2)
          AND ($3::text IS NULL OR a.object_type = $3)
          AND ($4::text IS NULL OR a.object_id = $4)
          AND ($5::text IS NULL OR a.action = $5 OR starts_with(a.action, $5 || '.'))
          AND ($6::date IS NULL OR a.at >= ($6::date::timestamp AT TIME ZONE 'Asia/Tokyo'))
          AND ($7::date IS NULL OR a.at < (($7::date + 1)::timestamp AT TIME ZONE 'Asia/Tokyo'))
          AND ($8::bigint IS NULL OR a.id < $8)
        ORDER BY a.id DESC LIMIT $9`,
      [
        tenantId,
        f.actorId ?? null,
        f.objectType ?? null,
        f.objectId ?? null,
        f.action ?? null,
        f.from ?? null,
        f.to ?? null,
        beforeId,
        limit,
      ],
    ),
  );
}

export function auditRoutes(app: App, { db, clock }: Deps) {
  app.get(
    '/audit',
    {
      config: { roles: ADMIN },
      schema: {
        tags: ['audit'],
        querystring: pageQuery.extend(filterSchema.shape),
        response: { 200: z.object({ items: z.array(itemSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => {
      const { tenantId } = ctxOf(req, clock);
      const after = decodeCursor(req.query.cursor, z.tuple([z.string().regex(/^\d{1,18}$/)]));
      const rows = await auditPage(db, tenantId, req.query, after?.[0] ?? null, req.query.limit + 1);
      return page(rows, req.query.limit, toItem, (r) => [String(r.id)]);
    },
  );

  app.get(
    '/audit/export',
    {
      config: { roles: ADMIN },
      schema: {
        tags: ['audit'],
        querystring: filterSchema.extend({ encoding: z.enum(['utf8bom', 'sjis']).default('utf8bom') }),
      },
    },
    async (req, reply) => {
      const { tenantId } = ctxOf(req, clock);
      const filter = req.query;
      async function* rows() {
        let before: string | null = null;
        for (;;) {
          const batch = await auditPage(db, tenantId, filter, before, 1000);
          for (const r of batch) {
            yield [
              r.id,
              tokyoTime.format(r.at),
              r.actor_type,
              r.user_email ?? r.actor_label ?? '',
              r.user_name ?? '',
              r.action,
              r.object_type,
              r.object_id ?? '',
              r.request_id ?? '',
              r.ip ?? '',
              r.detail ? JSON.stringify(r.detail) : '',
            ];
          }
          if (batch.length < 1000) return;
          before = String(batch[batch.length - 1]?.id);
        }
      }
      const header = [
        'id',
        '日時',
        '種別',
        '実行者',
        '氏名',
        '操作',
        '対象種別',
        '対象ID',
        'リクエストID',
        'IP',
        '詳細',
      ];
      return reply
        .type(csvContentType(filter.encoding))
        .header('content-disposition', attachment(`監査ログ_${new Date().toISOString().slice(0, 10)}.csv`))
        .send(csvStream(header, rows(), filter.encoding));
    },
  );
}
