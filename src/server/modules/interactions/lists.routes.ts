import { z } from 'zod';
import type { App, Deps } from '../../app.js';
import { ADMIN, DESK, STAFF } from '../../platform/auth/roles.js';
import { attachment, csvContentType } from '../../platform/files/csv.js';
import { ctxOf } from '../../platform/http/context.js';
import { pageQuery } from '../../platform/http/pagination.js';
import { interactionSchema } from './interactions.schema.js';
import { exportNeglected, exportToday } from './lists.export.js';
import {
  getInteractionSettings,
  neglectedList,
  neglectedSchema,
  putInteractionSettings,
  settingsSchema,
  todayList,
  todaySummary,
} from './lists.service.js';

const tags = ['interactions'];
const encoding = z.enum(['sjis', 'utf8bom']).default('utf8bom');
const dayQuery = z.object({
  /** An Asia/Tokyo day; today by the server's clock when absent. */
  date: z.iso.date().optional(),
  staffId: z.uuid().optional(),
});
const neglectedQuery = z.object({ days: z.coerce.number().int().min(1).max(3650).optional() });
const compact = (date: string) => date.replaceAll('-', '');

/** 本日の対応一覧 and 長期未対応顧客 with their CSV exports, and the module's settings. */
export function listsRoutes(app: App, { db, clock }: Deps) {
  app.get(
    '/interactions/today',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description:
          "A day's interactions in time order (today in Asia/Tokyo by default), of one staff member when given.",
        querystring: pageQuery.extend(dayQuery.shape),
        response: {
          200: z.object({ date: z.string(), items: z.array(interactionSchema), nextCursor: z.string().nullable() }),
        },
      },
    },
    async (req) => todayList(db, ctxOf(req, clock), req.query),
  );

  app.get(
    '/interactions/today/summary',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description: "The day's interactions counted by staff member (対応者): all and still open.",
        querystring: dayQuery.pick({ date: true }),
        response: {
          200: z.object({
            date: z.string(),
            items: z.array(
              z.object({
                staffId: z.uuid().nullable(),
                staffName: z.string().nullable(),
                count: z.number().int(),
                open: z.number().int(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => todaySummary(db, ctxOf(req, clock), req.query),
  );

  app.get(
    '/interactions/today/export',
    {
      config: { roles: STAFF },
      schema: {
        tags,
        description: 'CSV for Excel: Shift_JIS (CP932) or UTF-8 with BOM, CRLF, formula cells defused.',
        querystring: dayQuery.extend({ encoding }),
      },
    },
    async (req, reply) => {
      const { stream, date } = await exportToday(db, ctxOf(req, clock), req.query);
      return reply
        .header('content-type', csvContentType(req.query.encoding))
        .header('content-disposition', attachment(`対応一覧-${compact(date)}.csv`))
        .header('cache-control', 'no-store')
        .send(stream);
    },
  );

  app.get(
    '/customers/neglected',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description:
          'Customers with no interaction, action or purchase for `days` Asia/Tokyo days (default: the setting ' +
          'neglectDays), counted from the registration before any contact; longest-quiet first.',
        querystring: pageQuery.extend(neglectedQuery.shape),
        response: {
          200: z.object({
            days: z.number().int(),
            before: z.string(),
            items: z.array(neglectedSchema),
            nextCursor: z.string().nullable(),
          }),
        },
      },
    },
    async (req) => neglectedList(db, ctxOf(req, clock), req.query),
  );

  app.get(
    '/customers/neglected/export',
    {
      config: { roles: STAFF },
      schema: {
        tags,
        description: 'CSV for Excel: Shift_JIS (CP932) or UTF-8 with BOM, CRLF, formula cells defused.',
        querystring: neglectedQuery.extend({ encoding }),
      },
    },
    async (req, reply) => {
      const { stream, today } = await exportNeglected(db, ctxOf(req, clock), req.query);
      return reply
        .header('content-type', csvContentType(req.query.encoding))
        .header('content-disposition', attachment(`長期未対応顧客-${compact(today)}.csv`))
        .header('cache-control', 'no-store')
        .send(stream);
    },
  );

  app.get(
    '/interactions/settings',
    { config: { roles: DESK }, schema: { tags, response: { 200: settingsSchema } } },
    async (req) => getInteractionSettings(db, ctxOf(req, clock)),
  );

  app.put(
    '/interactions/settings',
    {
      config: { roles: ADMIN },
      schema: { tags, body: settingsSchema.strict(), response: { 200: settingsSchema } },
    },
    async (req) => putInteractionSettings(db, ctxOf(req, clock), req.body),
  );
}
