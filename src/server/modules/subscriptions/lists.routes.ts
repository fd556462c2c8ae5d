// 定期発送一覧 (the day's subscription shipments, their picking totals and CSV), the demand forecast,
// and "generate now" for the caller's tenant (the same generateDue the CLI and the daily job run).
import { z } from 'zod';
import { tokyoDate } from '../../../shared/calendar.js';
import { addDays } from '../../../shared/subscriptions/schedule.js';
import type { App, Deps } from '../../app.js';
import { audit } from '../../platform/audit/audit.js';
import { DESK, STAFF } from '../../platform/auth/roles.js';
import { AppError } from '../../platform/errors.js';
import { attachment, csvContentType } from '../../platform/files/csv.js';
import { ctxOf } from '../../platform/http/context.js';
import { forecast, forecastAnswer, forecastQuery } from './forecast.js';
import { generateDue } from './generate.js';
import {
  dayQuery,
  exportShipments,
  listShipments,
  shipmentsAnswer,
  shipmentsCsvQuery,
  shipmentsQuery,
  shipmentsSummary,
  summaryAnswer,
} from './shipments.js';

const tags = ['subscriptions'];
/** How far ahead "generate now" may run: making orders weeks early is the CLI's business, not a button's. */
const GENERATE_AHEAD_DAYS = 31;
const generateBody = z.strictObject({
  /** The run's day (Asia/Tokyo); today when absent. */
  date: z.iso.date().optional(),
});
const compact = (date: string) => date.replaceAll('-', '');

export function subscriptionListsRoutes(app: App, { db, clock }: Deps) {
  app.get(
    '/subscriptions/shipments',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description:
          '定期発送一覧: the subscription orders shipping (by=ship, default) or delivered (by=delivery) on the day ' +
          '(the next business day when absent), cancelled ones left out; by order number.',
        querystring: shipmentsQuery,
        response: { 200: shipmentsAnswer },
      },
    },
    async (req) => listShipments(db, ctxOf(req, clock), req.query),
  );

  app.get(
    '/subscriptions/shipments/summary',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description: "The day's units per product (items, set contents and presents apart): the picking list.",
        querystring: dayQuery,
        response: { 200: summaryAnswer },
      },
    },
    async (req) => shipmentsSummary(db, ctxOf(req, clock), req.query),
  );

  app.get(
    '/subscriptions/shipments.csv',
    {
      config: { roles: STAFF },
      schema: {
        tags,
        description:
          '定期発送一覧表 as CSV for Excel: Shift_JIS (CP932) by default, encoding=utf8 for UTF-8 with BOM; CRLF, ' +
          'formula cells defused, streamed.',
        querystring: shipmentsCsvQuery,
      },
    },
    async (req, reply) => {
      const { stream, date } = await exportShipments(db, ctxOf(req, clock), req.query);
      const encoding = req.query.encoding === 'sjis' ? 'sjis' : 'utf8bom';
      return reply
        .header('content-type', csvContentType(encoding))
        .header('content-disposition', attachment(`定期発送一覧-${compact(date)}.csv`))
        .header('cache-control', 'no-store')
        .send(stream);
    },
  );

  app.get(
    '/subscriptions/forecast',
    {
      config: { roles: STAFF },
      schema: {
        tags,
        description:
          'Units per product per delivery day for the next 30, 60 or 90 days (from today unless `from`): orders ' +
          'already made plus the active schedules (paused-until counted from that day, moved deliveries on their day).',
        querystring: forecastQuery,
        response: { 200: forecastAnswer },
      },
    },
    async (req) => forecast(db, ctxOf(req, clock), req.query),
  );

  app.post(
    '/subscriptions/generate',
    {
      config: { roles: STAFF },
      schema: {
        tags,
        description:
          "Makes the caller's tenant's due deliveries now (the job and the CLI's generateDue; exactly once, safe to " +
          `repeat). date: today by default, at most ${GENERATE_AHEAD_DAYS} days ahead.`,
        body: generateBody.optional(),
        response: {
          200: z.object({
            date: z.string(),
            created: z.number().int(),
            late: z.number().int(),
            exceptions: z.number().int(),
          }),
        },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, clock);
      const today = tokyoDate(ctx.now);
      const date = req.body?.date ?? today;
      if (date > addDays(today, GENERATE_AHEAD_DAYS))
        throw AppError.field(422, 'too_big', 'date', 'validation.invalid');
      const r = await generateDue(db, { date, now: ctx.now, tenantId: ctx.tenantId, actor: ctx.actor });
      const answer = { date, created: r.generated, late: r.late, exceptions: r.exceptions };
      await db.withTenant(ctx.tenantId, (tx) =>
        audit(tx, ctx.actor, { action: 'subscription.generate', objectType: 'subscription', detail: answer }),
      );
      return answer;
    },
  );
}
