import type { z } from 'zod';
import type { App, Deps } from '../../app.js';
import type { Role } from '../../platform/auth/roles.js';
import { ctxOf } from '../../platform/http/context.js';
import { REPORTS, type ReportName, sendReportFile } from './reports.files.js';
import {
  adMonthlyQuery,
  adMonthlyResult,
  adShipmentsQuery,
  adShipmentsResult,
  customerSalesQuery,
  customerSalesResult,
  productShipmentsQuery,
  productShipmentsResult,
  regionSalesShippingQuery,
  regionSalesShippingResult,
  regionShipmentsQuery,
  regionShipmentsResult,
  staffGrossProfitResult,
  staffSalesQuery,
  staffSalesResult,
} from './reports.schema.js';
import {
  adMonthly,
  adShipments,
  type Ctx,
  customerSales,
  productShipments,
  regionSalesShipping,
  regionShipments,
  staffGrossProfit,
  staffSales,
} from './reports.service.js';

/** Supervisors and admins; a client's viewer reads them too (reports only change nothing). */
export const REPORT_ROLES: readonly Role[] = ['admin', 'supervisor', 'client_viewer'];
const tags = ['reports'];
const SHIP = '出荷 reports count by ship_date (出荷予定日)';
const SALES = '売上 reports count by order_date (受付日)';
const COUNTS =
  'Counts every order but cancelled and wholly returned ones, net of returned quantities. format=csv (encoding sjis|utf8bom) or xlsx answers the rows as a file with a total row.';

type Query = z.infer<typeof adShipmentsQuery> & { limit?: number; cursor?: string };
type Data = { rows: Record<string, unknown>[]; total: Record<string, unknown> };

/**
 * Sales reports (集計): GET /reports/sales/<name>?from=&to=&… → { rows, total } for a screen with
 * a chart, or the same as CSV / XLSX. Aggregated in SQL from the daily summaries (0010).
 */
export function reportsRoutes(app: App, { db, clock }: Deps) {
  const route = (
    name: ReportName,
    querystring: z.ZodType,
    response: z.ZodType,
    description: string,
    fn: (ctx: Ctx, q: Query, file: boolean) => Promise<Data>,
  ) => {
    app.get(
      `/reports/sales/${name}`,
      {
        config: { roles: REPORT_ROLES },
        schema: {
          tags,
          description: `${REPORTS[name].ja} (${REPORTS[name].en}). ${description} ${COUNTS}` as string,
          querystring,
          response: { 200: response },
        },
      },
      async (req, reply) => {
        const q = req.query as Query & { format: 'json' | 'csv' | 'xlsx'; encoding: 'sjis' | 'utf8bom' };
        const ctx = ctxOf(req, clock);
        const data = await fn(ctx, q, q.format !== 'json');
        if (q.format === 'json') return data as never;
        return sendReportFile(db, ctx, req, reply, name, { report: REPORTS[name], data }, { ...q, format: q.format });
      },
    );
  };

  route('ad-shipments', adShipmentsQuery, adShipmentsResult, `Units shipped per ad medium; ${SHIP}.`, (ctx, q) =>
    adShipments(db, ctx, q),
  );
  route(
    'product-shipments',
    productShipmentsQuery,
    productShipmentsResult,
    `Units and amount per product (set contents and companions not counted; the set is); ${SHIP}.`,
    (ctx, q) => productShipments(db, ctx, q),
  );
  route(
    'region-shipments',
    regionShipmentsQuery,
    regionShipmentsResult,
    `Parcels and units per destination prefecture (groupBy=region: the eight regions); ${SHIP}.`,
    (ctx, q) => regionShipments(db, ctx, q),
  );
  route(
    'customer-sales',
    customerSalesQuery,
    customerSalesResult,
    `Customers by sales, best first: JSON in keyset pages (limit, default 50, at most 500; cursor), files the best limit (default 10,000, at most 100,000); ${SALES}.`,
    (ctx, q, file) =>
      customerSales(db, ctx, { ...q, limit: file ? (q.limit ?? 10_000) : Math.min(q.limit ?? 50, 500) }),
  );
  route(
    'region-sales-shipping',
    regionSalesShippingQuery,
    regionSalesShippingResult,
    `Sales against shipping fees charged per destination prefecture (or region); ${SALES}.`,
    (ctx, q) => regionSalesShipping(db, ctx, q),
  );
  route(
    'ad-monthly',
    adMonthlyQuery,
    adMonthlyResult,
    `Per ad medium and month: orders, sales, cost (the month's ad_media_costs, else the medium's monthly cost from the month it was created; whole months), CPO = cost / orders, ROAS = sales / cost; ${SALES}.`,
    (ctx, q) => adMonthly(db, ctx, q),
  );
  route('staff', staffSalesQuery, staffSalesResult, `Orders and sales per staff member; ${SALES}.`, (ctx, q) =>
    staffSales(db, ctx, q),
  );
  route(
    'staff-gross-profit',
    staffSalesQuery,
    staffGrossProfitResult,
    `Per staff member: sales excluding tax − cost = gross profit, margin = gross profit / sales excluding tax; ${SALES}.`,
    (ctx, q) => staffGrossProfit(db, ctx, q),
  );
}
