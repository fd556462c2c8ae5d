import { z } from 'zod';
import type { App, Deps } from '../../app.js';
import { sessionPrincipalOf } from '../../platform/auth/principal.js';
import { pageQuery } from '../../platform/http/pagination.js';
import { localeFrom } from '../../platform/i18n/messages.js';
import { listNotifications, markAllRead, markRead, notificationSchema, unreadCount } from './notifications.service.js';

const tags = ['notifications'];

/**
 * The signed-in user's own in-app notifications, whatever their role. An API token has no user
 * and so no inbox: these routes answer it 403 `auth.session_required`, as the account routes do.
 */
export function notificationsRoutes(app: App, { db, clock }: Deps) {
  const reader = (req: Parameters<typeof sessionPrincipalOf>[0]) => {
    const p = sessionPrincipalOf(req);
    return { tenantId: p.tenantId, userId: p.userId, now: clock.now() };
  };

  app.get(
    '/notifications',
    {
      config: { roles: 'any' },
      schema: {
        tags,
        description: 'Newest first; `unread=true` for the unread ones only. Signed-in users only (a token: 403).',
        querystring: pageQuery.extend({ unread: z.enum(['true', 'false']).optional() }),
        response: { 200: z.object({ items: z.array(notificationSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) =>
      listNotifications(db, reader(req), localeFrom(req.headers['accept-language']), {
        ...req.query,
        unread: req.query.unread === 'true',
      }),
  );

  app.get(
    '/notifications/unread-count',
    {
      config: { roles: 'any' },
      schema: { tags, description: "The header badge's number.", response: { 200: z.object({ count: z.number() }) } },
    },
    async (req) => ({ count: await unreadCount(db, reader(req)) }),
  );

  app.post(
    '/notifications/read-all',
    {
      config: { roles: 'any' },
      schema: { tags, response: { 200: z.object({ updated: z.number() }) } },
    },
    async (req) => ({ updated: await markAllRead(db, reader(req)) }),
  );

  app.post(
    '/notifications/:id/read',
    {
      config: { roles: 'any' },
      schema: { tags, params: z.object({ id: z.uuid() }), response: { 200: notificationSchema } },
    },
    async (req) => markRead(db, reader(req), localeFrom(req.headers['accept-language']), req.params.id),
  );
}
