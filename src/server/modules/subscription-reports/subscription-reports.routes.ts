import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App, Deps } from '../../app.js';
import type { Role } from '../../platform/auth/roles.js';
import { ctxOf } from '../../platform/http/context.js';
import { sendReportFile } from '../reports/reports.files.js';
import { cancellationsFile, continuationFile, type FileOf, ltvFile } from './subscription-reports.files.js';
import {
  type CancellationsQuery,
  type ContinuationQuery,
  cancellationsQuery,
  cancellationsResult,
  continuationQuery,
  continuationResult,
  ltvQuery,
  ltvResult,
  type SubReportQuery,
} from './subscription-reports.schema.js';
import { CONTACT_DAYS, cancellations, continuation, ltv } from './subscription-reports.service.js';

/** Supervisors and admins. */
export const SUBSCRIPTION_REPORT_ROLES: readonly Role[] = ['admin', 'supervisor'];
const tags = ['reports'];
const COMMON =
  'A subscription started in the period when its first delivery date is in it (cohort: that month); it received delivery n when an order for delivery n or a later one was not cancelled. Filters: adMediumId, productId (the first product: delivery 1’s first item). format=csv (encoding sjis|utf8bom) or xlsx answers the rows as a file with a total row.';

/**
 * 定期 retention reports: GET /reports/subscriptions/{continuation,ltv,cancellations}?from=&to=&…
 * as JSON for a screen with a chart, or as CSV / XLSX (audited as report.export).
 */
export function subscriptionReportsRoutes(app: App, { db, clock }: Deps) {
  /** JSON as is; a file through the sales reports' writer. */
  async function answer<T>(
    req: FastifyRequest,
    reply: FastifyReply,
    name: string,
    q: SubReportQuery,
    data: T,
    file: (data: T) => FileOf,
  ) {
    if (q.format === 'json') return data as never;
    return sendReportFile(db, ctxOf(req, clock), req, reply, name, file(data), { ...q, format: q.format });
  }

  app.get(
    '/reports/subscriptions/continuation',
    {
      config: { roles: SUBSCRIPTION_REPORT_ROLES },
      schema: {
        tags,
        description: `定期継続率 (continuation). by=nth: of the subscriptions started in the period, the share that received delivery n (n = 1..12), with those still running that have not reached it (pending); by=cohort: the same per start month (cohort × n); by=ad / by=product: per ad medium / first product at deliveries 2, 3, 6 and 12. ${COMMON}`,
        querystring: continuationQuery,
        response: { 200: continuationResult },
      },
    },
    async (req, reply) => {
      const q = req.query as ContinuationQuery;
      const data = await continuation(db, ctxOf(req, clock), q);
      return answer(req, reply, `subscriptions-continuation-${q.by}`, q, data, continuationFile);
    },
  );

  app.get(
    '/reports/subscriptions/ltv',
    {
      config: { roles: SUBSCRIPTION_REPORT_ROLES },
      schema: {
        tags,
        description: `定期 LTV per start month: subscriptions, deliveries and revenue (Σ totals, tax included, of their orders that are not cancelled or wholly returned), LTV = revenue / subscriptions, average deliveries. ${COMMON}`,
        querystring: ltvQuery,
        response: { 200: ltvResult },
      },
    },
    async (req, reply) => {
      const q = req.query as SubReportQuery;
      const data = await ltv(db, ctxOf(req, clock), q);
      return answer(req, reply, 'subscriptions-ltv', q, data, ltvFile);
    },
  );

  app.get(
    '/reports/subscriptions/cancellations',
    {
      config: { roles: SUBSCRIPTION_REPORT_ROLES },
      schema: {
        tags,
        description: `定期解約 and 顧客離脱集計表 over the subscriptions cancelled in the period (day of cancelled_at, Asia/Tokyo): per reason, per number of deliveries received, per product held at cancellation — each with its share and how many had a 定期変更 or クレーム contact in the ${CONTACT_DAYS} days before. Files hold one table (table=reasons|deliveries|products). ${COMMON}`,
        querystring: cancellationsQuery,
        response: { 200: cancellationsResult },
      },
    },
    async (req, reply) => {
      const q = req.query as CancellationsQuery;
      const data = await cancellations(db, ctxOf(req, clock), q);
      return answer(req, reply, `subscriptions-cancellations-${q.table}`, q, data, (d) =>
        cancellationsFile(d, q.table),
      );
    },
  );
}
