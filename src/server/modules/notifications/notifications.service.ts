// In-app notifications (the header's bell): other modules add them in their own transaction with
// notify(); a signed-in user reads, counts and marks their own.
import { z } from 'zod';
import type { Database, TenantTx } from '../../db/database.js';
import { AppError } from '../../platform/errors.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import { ja, type Locale, type MessageKey, type MessageParams, translate } from '../../platform/i18n/messages.js';

export type NewNotification = {
  userId: string;
  /** What happened, dotted lower case: `case.overdue`, `case.assigned`. */
  kind: string;
  /** The text: a server message key, rendered in the reader's language when read. */
  messageKey: MessageKey;
  /** Parameters of the message: numbers, times, titles; never more personal data than the screen shows. */
  params?: MessageParams;
  objectType?: string;
  objectId?: string;
  /** The web path the notification opens. */
  link?: string;
  /** At most one notification per user and key: a second notify() with it adds nothing. */
  dedupeKey?: string;
};

/**
 * Adds notifications in the caller's transaction (one statement). Answers the user ids that got
 * one (those whose dedupe key was already used are left out).
 */
export async function notify(tx: TenantTx, items: NewNotification[], now: Date): Promise<string[]> {
  if (items.length === 0) return [];
  const rows = await tx.query<{ user_id: string }>(
    `INSERT INTO notifications (tenant_id, user_id, kind, message_key, params, object_type, object_id, link,
                                dedupe_key, created_at)
     SELECT $1, n.user_id, n.kind, n.message_key, coalesce(n.params, '{}'::jsonb), n.object_type, n.object_id, n.link,
            n.dedupe_key, $2
       FROM jsonb_to_recordset($3::jsonb) AS n(user_id uuid, kind text, message_key text, params jsonb,
            object_type text, object_id uuid, link text, dedupe_key text)
     ON CONFLICT (tenant_id, user_id, dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING
     RETURNING user_id`,
    [
      tx.tenantId,
      now,
      JSON.stringify(
        items.map((n) => ({
          user_id: n.userId,
          kind: n.kind,
          message_key: n.messageKey,
          params: n.params ?? {},
          object_type: n.objectType ?? null,
          object_id: n.objectId ?? null,
          link: n.link ?? null,
          dedupe_key: n.dedupeKey ?? null,
        })),
      ),
    ],
  );
  return rows.map((r) => r.user_id);
}

export const notificationSchema = z.object({
  id: z.uuid(),
  kind: z.string(),
  /** The text in the request's language. */
  message: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  objectType: z.string().nullable(),
  objectId: z.uuid().nullable(),
  link: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type Notification = z.infer<typeof notificationSchema>;

type Row = {
  id: string;
  kind: string;
  message_key: string;
  params: MessageParams;
  object_type: string | null;
  object_id: string | null;
  link: string | null;
  created_at: Date;
  created_key: string;
  read_at: Date | null;
};

const isKey = (k: string): k is MessageKey => Object.hasOwn(ja, k);

function toNotification(r: Row, locale: Locale): Notification {
  return {
    id: r.id,
    kind: r.kind,
    message: isKey(r.message_key) ? translate(locale, r.message_key, r.params) : r.message_key,
    params: r.params,
    objectType: r.object_type,
    objectId: r.object_id,
    link: r.link,
    createdAt: r.created_at.toISOString(),
    readAt: r.read_at?.toISOString() ?? null,
  };
}

type Reader = { tenantId: string; userId: string; now: Date };

const cursorShape = z.tuple([z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/), z.uuid()]);

/** The reader's notifications, newest first (keyset); `unread` only those not yet read. */
export async function listNotifications(
  db: Database,
  r: Reader,
  locale: Locale,
  q: { unread?: boolean; limit: number; cursor?: string },
) {
  const after = decodeCursor(q.cursor, cursorShape);
  return db.withTenant(r.tenantId, async (tx) => {
    const rows = await tx.query<Row>(
      `SELECT id, kind, message_key, params, object_type, object_id, link, created_at,
              to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_key, read_at
         FROM notifications
        WHERE tenant_id = $1 AND user_id = $2 AND ($3::boolean IS NOT TRUE OR read_at IS NULL)
          AND ($4::timestamptz IS NULL OR (created_at, id) < ($4::timestamptz, $5::uuid))
        ORDER BY created_at DESC, id DESC LIMIT $6`,
      [r.tenantId, r.userId, q.unread ?? false, after?.[0] ?? null, after?.[1] ?? null, q.limit + 1],
    );
    return page(
      rows,
      q.limit,
      (row) => toNotification(row, locale),
      (row) => [row.created_key, row.id],
    );
  });
}

/** How many of the reader's notifications are unread (the header's badge). */
export async function unreadCount(db: Database, r: Reader): Promise<number> {
  return db.withTenant(r.tenantId, async (tx) => {
    const [row] = await tx.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM notifications WHERE tenant_id = $1 AND user_id = $2 AND read_at IS NULL',
      [r.tenantId, r.userId],
    );
    return row?.n ?? 0;
  });
}

/** Marks one of the reader's notifications read (again: no change); another's id is a 404. */
export async function markRead(db: Database, r: Reader, locale: Locale, id: string): Promise<Notification> {
  return db.withTenant(r.tenantId, async (tx) => {
    const [row] = await tx.query<Row>(
      `UPDATE notifications SET read_at = coalesce(read_at, $4)
        WHERE tenant_id = $1 AND user_id = $2 AND id = $3
        RETURNING id, kind, message_key, params, object_type, object_id, link, created_at, '' AS created_key, read_at`,
      [r.tenantId, r.userId, id, r.now],
    );
    if (!row) throw AppError.notFound('object.notification');
    return toNotification(row, locale);
  });
}

/** Marks every unread notification of the reader read; answers how many. */
export async function markAllRead(db: Database, r: Reader): Promise<number> {
  return db.withTenant(r.tenantId, async (tx) => {
    const [row] = await tx.query<{ n: number }>(
      `WITH done AS (
         UPDATE notifications SET read_at = $3 WHERE tenant_id = $1 AND user_id = $2 AND read_at IS NULL RETURNING 1)
       SELECT count(*)::int AS n FROM done`,
      [r.tenantId, r.userId, r.now],
    );
    return row?.n ?? 0;
  });
}
