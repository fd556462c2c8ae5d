// Sales reports (集計, issue 5), aggregated in SQL from the daily summaries of migration 0010
// (report_order_days, report_region_days, report_product_days, report_customer_days), which
// triggers on orders and order_lines keep in step. What counts and which date (see 0010 and
// docs/reports.md): every order but cancelled and wholly returned ones, net of returned
// quantities; shipment reports (出荷) by ship_date, sales reports (売上) by order_date.
import { z } from 'zod';
import { prefectureOrder, REGIONS, regionOf } from '../../../shared/reports/regions.js';
import type { Database, TenantTx } from '../../db/database.js';
import { AppError } from '../../platform/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/http/pagination.js';
import type {
  AdMonthlyResult,
  AdShipmentsResult,
  BaseQuery,
  CustomerSalesResult,
  ProductShipmentsResult,
  RegionSalesShippingResult,
  RegionShipmentsResult,
  StaffGrossProfitResult,
  StaffSalesResult,
} from './reports.schema.js';

export type Ctx = { tenantId: string };
type Filters = BaseQuery & {
  adMediumId?: string;
  staffId?: string;
  categoryId?: string;
  groupBy?: 'prefecture' | 'region';
};

const MAX_DAYS = 731; // two years, a leap day included

/** from ≤ to, at most two years: a field error naming `to` otherwise. */
export function checkPeriod(q: { from: string; to: string }): void {
  const days = (Date.parse(`${q.to}T00:00:00Z`) - Date.parse(`${q.from}T00:00:00Z`)) / 86_400_000;
  if (days < 0) throw AppError.field(400, 'validation', 'to', 'reports.period_reversed');
  if (days >= MAX_DAYS) throw AppError.field(400, 'validation', 'to', 'reports.period_too_long');
}

const num = (v: unknown) => Number(v ?? 0);
const ratio = (a: number, b: number, digits = 4) =>
  b === 0 ? null : Math.round((a / b) * 10 ** digits) / 10 ** digits;
const perOne = (a: number, b: number) => (b === 0 ? null : Math.round(a / b));

/** A filter naming a master row of another tenant (or none) is a 404, as reading it would be. */
async function checkFilters(tx: TenantTx, q: Filters): Promise<void> {
  const checks: [string | undefined, string, 'object.ad_medium' | 'reports.staff' | 'object.product_category'][] = [
    [q.adMediumId, 'ad_media', 'object.ad_medium'],
    [q.staffId, 'users', 'reports.staff'],
    [q.categoryId, 'product_categories', 'object.product_category'],
  ];
  for (const [id, table, object] of checks) {
    if (!id) continue;
    const rows = await tx.query(`SELECT 1 FROM ${table} WHERE tenant_id = $1 AND id = $2`, [tx.tenantId, id]);
    if (rows.length === 0) throw AppError.notFound(object);
  }
}

async function run<T>(db: Database, ctx: Ctx, q: Filters, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
  checkPeriod(q);
  return db.withTenant(ctx.tenantId, async (tx) => {
    await checkFilters(tx, q);
    return fn(tx);
  });
}

// ---------------------------------------------------------------------------------------------
// 広告別出荷個数: units shipped per ad medium, by ship date.

export async function adShipments(db: Database, ctx: Ctx, q: Filters): Promise<AdShipmentsResult> {
  return run(db, ctx, q, async (tx) => {
    const rows = await tx.query<{
      id: string | null;
      code: string | null;
      name: string | null;
      orders: number;
      units: number;
    }>(
      `SELECT s.ad_medium_id AS id, m.code, m.name, s.orders, s.units
         FROM (SELECT ad_medium_id, sum(orders)::bigint AS orders, sum(units)::bigint AS units
                 FROM report_order_days
                WHERE tenant_id = $1 AND basis = 's' AND day BETWEEN $2 AND $3
                  AND ($4::text IS NULL OR carrier = $4) AND ($5::uuid IS NULL OR staff_id = $5)
                GROUP BY ad_medium_id) s
         LEFT JOIN ad_media m ON m.tenant_id = $1 AND m.id = s.ad_medium_id
        WHERE s.orders <> 0 OR s.units <> 0
        ORDER BY s.units DESC, m.code NULLS LAST`,
      [tx.tenantId, q.from, q.to, q.carrier ?? null, q.staffId ?? null],
    );
    const out = rows.map((r) => ({
      adMediumId: r.id,
      adMediumCode: r.code,
      adMediumName: r.name,
      orders: num(r.orders),
      units: num(r.units),
    }));
    return {
      rows: out,
      total: { orders: sum(out, 'orders'), units: sum(out, 'units') },
    };
  });
}

// ---------------------------------------------------------------------------------------------
// 商品別出荷個数: units and amount shipped per product (set contents and companions not counted).

export async function productShipments(db: Database, ctx: Ctx, q: Filters): Promise<ProductShipmentsResult> {
  return run(db, ctx, q, async (tx) => {
    const rows = await tx.query<{
      id: string;
      code: string;
      name: string;
      category_id: string | null;
      category_name: string | null;
      units: number;
      amount: number;
    }>(
      `SELECT p.id, p.code, p.name, p.category_id, c.name AS category_name, s.units, s.amount
         FROM (SELECT product_id, sum(units)::bigint AS units, sum(amount)::bigint AS amount
                 FROM report_product_days
                WHERE tenant_id = $1 AND basis = 's' AND day BETWEEN $2 AND $3
                  AND ($4::text IS NULL OR carrier = $4)
                GROUP BY product_id) s
         JOIN products p ON p.tenant_id = $1 AND p.id = s.product_id
         LEFT JOIN product_categories c ON c.tenant_id = $1 AND c.id = p.category_id
        WHERE (s.units <> 0 OR s.amount <> 0) AND ($5::uuid IS NULL OR p.category_id = $5)
        ORDER BY s.units DESC, upper(p.code)`,
      [tx.tenantId, q.from, q.to, q.carrier ?? null, q.categoryId ?? null],
    );
    const out = rows.map((r) => ({
      productId: r.id,
      productCode: r.code,
      productName: r.name,
      categoryId: r.category_id,
      categoryName: r.category_name,
      units: num(r.units),
      amount: num(r.amount),
    }));
    return { rows: out, total: { units: sum(out, 'units'), amount: sum(out, 'amount') } };
  });
}

// ---------------------------------------------------------------------------------------------
// 地区別出荷個数 and 地区別売上送料対比表: per destination prefecture (or region).

type RegionSums = { prefecture: string | null; orders: number; units: number; sales: number; shipping_fee: number };

async function regionSums(tx: TenantTx, basis: 'o' | 's', q: Filters): Promise<RegionSums[]> {
  const rows = await tx.query<RegionSums>(
    `SELECT prefecture, sum(orders)::bigint AS orders, sum(units)::bigint AS units, sum(sales)::bigint AS sales,
            sum(shipping_fee)::bigint AS shipping_fee
       FROM report_region_days
      WHERE tenant_id = $1 AND basis = $2 AND day BETWEEN $3 AND $4 AND ($5::text IS NULL OR carrier = $5)
      GROUP BY prefecture`,
    [tx.tenantId, basis, q.from, q.to, q.carrier ?? null],
  );
  const present = rows
    .map((r) => ({
      prefecture: r.prefecture,
      orders: num(r.orders),
      units: num(r.units),
      sales: num(r.sales),
      shipping_fee: num(r.shipping_fee),
    }))
    .filter((r) => r.orders !== 0 || r.units !== 0 || r.sales !== 0 || r.shipping_fee !== 0);
  present.sort((a, b) => prefectureOrder(a.prefecture) - prefectureOrder(b.prefecture));
  if (q.groupBy !== 'region') return present;
  // By region, in REGIONS order; prefectures that are none of the 47 (or missing) last, as null.
  const byRegion = new Map<string | null, RegionSums>();
  for (const r of present) {
    const region = regionOf(r.prefecture);
    const acc = byRegion.get(region) ?? { prefecture: region, orders: 0, units: 0, sales: 0, shipping_fee: 0 };
    acc.orders += r.orders;
    acc.units += r.units;
    acc.sales += r.sales;
    acc.shipping_fee += r.shipping_fee;
    byRegion.set(region, acc);
  }
  const order = (k: string | null) => (k === null ? 99 : REGIONS.indexOf(k as (typeof REGIONS)[number]));
  return [...byRegion.values()].sort((a, b) => order(a.prefecture) - order(b.prefecture));
}

export async function regionShipments(db: Database, ctx: Ctx, q: Filters): Promise<RegionShipmentsResult> {
  return run(db, ctx, q, async (tx) => {
    const byRegion = q.groupBy === 'region';
    const out = (await regionSums(tx, 's', q)).map((r) => ({
      prefecture: byRegion ? null : r.prefecture,
      region: byRegion ? r.prefecture : regionOf(r.prefecture),
      orders: r.orders,
      units: r.units,
    }));
    return { rows: out, total: { orders: sum(out, 'orders'), units: sum(out, 'units') } };
  });
}

export async function regionSalesShipping(db: Database, ctx: Ctx, q: Filters): Promise<RegionSalesShippingResult> {
  return run(db, ctx, q, async (tx) => {
    const byRegion = q.groupBy === 'region';
    const figures = (orders: number, sales: number, shippingFee: number) => ({
      orders,
      sales,
      shippingFee,
      shippingRatio: ratio(shippingFee, sales),
      averageShippingFee: perOne(shippingFee, orders),
    });
    const out = (await regionSums(tx, 'o', q)).map((r) => ({
      prefecture: byRegion ? null : r.prefecture,
      region: byRegion ? r.prefecture : regionOf(r.prefecture),
      ...figures(r.orders, r.sales, r.shipping_fee),
    }));
    return { rows: out, total: figures(sum(out, 'orders'), sum(out, 'sales'), sum(out, 'shippingFee')) };
  });
}

// ---------------------------------------------------------------------------------------------
// 顧客別売上一覧: customers by sales in the period, best first; keyset pages (sales, id).

// The cursor: the last row's (sales, customer id) and its rank.
const customerCursor = z.tuple([z.number().int(), z.uuid(), z.number().int().min(1)]);

export async function customerSales(
  db: Database,
  ctx: Ctx,
  q: Filters & { limit?: number; cursor?: string },
  defaultLimit = 50,
): Promise<CustomerSalesResult> {
  const after = decodeCursor(q.cursor, customerCursor);
  const limit = q.limit ?? defaultLimit;
  return run(db, ctx, q, async (tx) => {
    const params = [tx.tenantId, q.from, q.to, after?.[0] ?? null, after?.[1] ?? null, limit + 1];
    const kept = await tx.query(
      'SELECT 1 FROM report_customer_periods WHERE tenant_id = $1 AND period_from = $2 AND period_to = $3 AND ready',
      params.slice(0, 3),
    );
    const rows = await tx.query<CustomerSalesRow>(kept.length > 0 ? CUSTOMER_SALES_KEPT : CUSTOMER_SALES_DAYS, params);
    const first = rows[0];
    const items = rows.filter((r) => r.customer_id !== null);
    const more = items.length > limit;
    const slice = items.slice(0, limit);
    const last = slice[slice.length - 1];
    return {
      rows: slice.map((r, i) => ({
        rank: (after?.[2] ?? 0) + i + 1,
        customerId: r.customer_id as string,
        customerCode: r.code,
        customerName: r.name,
        orders: num(r.orders),
        sales: num(r.sales),
      })),
      total: { customers: num(first?.customers), orders: num(first?.all_orders), sales: num(first?.all_sales) },
      nextCursor:
        more && last ? encodeCursor([num(last.sales), last.customer_id, (after?.[2] ?? 0) + slice.length]) : null,
    };
  });
}

type CustomerSalesRow = {
  customer_id: string | null;
  sales: number;
  orders: number;
  code: string | null;
  name: string | null;
  customers: number;
  all_orders: number;
  all_sales: number;
};

// Both texts take ($1 tenant, $2 from, $3 to, $4 and $5 the cursor's sales and customer id or
// nulls, $6 the page size + 1) and answer the totals on every row (one row of nulls but the totals
// when the page is empty), the page's rows best first.

// Any period: one pass over the daily summaries; the totals and the page come from the same aggregate.
const CUSTOMER_SALES_DAYS = `
  WITH agg AS MATERIALIZED (
    SELECT customer_id, sum(sales)::bigint AS sales, sum(orders)::bigint AS orders
      FROM report_customer_days
     WHERE tenant_id = $1 AND day BETWEEN $2 AND $3
     GROUP BY customer_id
    HAVING sum(orders) <> 0 OR sum(sales) <> 0),
  tot AS (SELECT count(*)::bigint AS customers, coalesce(sum(orders), 0)::bigint AS all_orders,
                 coalesce(sum(sales), 0)::bigint AS all_sales FROM agg),
  pg AS (
    SELECT a.* FROM agg a
     WHERE $4::bigint IS NULL OR (a.sales, a.customer_id) < ($4::bigint, $5::uuid)
     ORDER BY a.sales DESC, a.customer_id DESC
     LIMIT $6)
  SELECT pg.customer_id, pg.sales, pg.orders, c.code, c.name, tot.*
    FROM tot LEFT JOIN pg ON true
    LEFT JOIN customers c ON c.tenant_id = $1 AND c.id = pg.customer_id
   ORDER BY pg.sales DESC, pg.customer_id DESC`;

// A kept period (0018): the page from the ranking index of the compacted rows, but for the
// customers with deltas not folded yet, whose exact figures (compacted + deltas) are merged in.
// (The LIMIT 1 of a unique key keeps the compacted row an index look-up per such customer: the
// planner would otherwise hash all the period's rows for a few.)
const CUSTOMER_SALES_KEPT = `
  WITH d AS MATERIALIZED (
    SELECT customer_id, sum(orders)::bigint AS orders, sum(sales)::bigint AS sales
      FROM report_customer_period_sums
     WHERE tenant_id = $1 AND period_from = $2 AND period_to = $3 AND NOT compacted
     GROUP BY customer_id),
  x AS MATERIALIZED (
    SELECT d.customer_id, coalesce(k.orders, 0) + d.orders AS orders, coalesce(k.sales, 0) + d.sales AS sales,
           d.orders AS d_orders, d.sales AS d_sales, coalesce(k.orders <> 0 OR k.sales <> 0, false) AS counted
      FROM d
      LEFT JOIN LATERAL (
        SELECT k.orders, k.sales FROM report_customer_period_sums k
         WHERE k.tenant_id = $1 AND k.period_from = $2 AND k.period_to = $3 AND k.compacted
           AND k.customer_id = d.customer_id
         LIMIT 1) k ON true),
  tot AS (
    SELECT k.customers - x.counted + x.customers AS customers, k.orders + x.orders AS all_orders,
           k.sales + x.sales AS all_sales
      FROM (SELECT count(*) FILTER (WHERE orders <> 0 OR sales <> 0)::bigint AS customers,
                   coalesce(sum(orders), 0)::bigint AS orders, coalesce(sum(sales), 0)::bigint AS sales
              FROM report_customer_period_sums
             WHERE tenant_id = $1 AND period_from = $2 AND period_to = $3 AND compacted) k,
           (SELECT count(*) FILTER (WHERE counted)::bigint AS counted,
                   count(*) FILTER (WHERE orders <> 0 OR sales <> 0)::bigint AS customers,
                   coalesce(sum(d_orders), 0)::bigint AS orders, coalesce(sum(d_sales), 0)::bigint AS sales
              FROM x) x),
  pg AS (
    SELECT * FROM (
      (SELECT k.customer_id, k.sales, k.orders::bigint AS orders
         FROM report_customer_period_sums k
        WHERE k.tenant_id = $1 AND k.period_from = $2 AND k.period_to = $3 AND k.compacted
          AND ($4::bigint IS NULL OR (k.sales, k.customer_id) < ($4::bigint, $5::uuid))
          AND (k.orders <> 0 OR k.sales <> 0)
          AND k.customer_id NOT IN (SELECT customer_id FROM d)
        ORDER BY k.sales DESC, k.customer_id DESC
        LIMIT $6)
      UNION ALL
      SELECT x.customer_id, x.sales, x.orders FROM x
       WHERE (x.orders <> 0 OR x.sales <> 0)
         AND ($4::bigint IS NULL OR (x.sales, x.customer_id) < ($4::bigint, $5::uuid))) u
     ORDER BY sales DESC, customer_id DESC
     LIMIT $6)
  SELECT pg.customer_id, pg.sales, pg.orders, c.code, c.name, tot.*
    FROM tot LEFT JOIN pg ON true
    LEFT JOIN customers c ON c.tenant_id = $1 AND c.id = pg.customer_id
   ORDER BY pg.sales DESC, pg.customer_id DESC`;

// ---------------------------------------------------------------------------------------------
// 広告月別集計: per ad medium and month — orders, sales, cost (ad_media_costs, else the medium's
// monthly_cost from the month it was created), CPO = cost / orders, ROAS = sales / cost.
// Months are those the period touches; a month's cost is the whole month's.

export async function adMonthly(db: Database, ctx: Ctx, q: Filters): Promise<AdMonthlyResult> {
  return run(db, ctx, q, async (tx) => {
    const rows = await tx.query<{
      month: string;
      id: string | null;
      code: string | null;
      name: string | null;
      orders: number;
      sales: number;
      cost: number;
    }>(
      `WITH s AS (
         SELECT date_trunc('month', day)::date AS month, ad_medium_id, sum(orders)::bigint AS orders,
                sum(sales)::bigint AS sales
           FROM report_order_days
          WHERE tenant_id = $1 AND basis = 'o' AND day BETWEEN $2 AND $3
            AND ($4::text IS NULL OR carrier = $4) AND ($5::uuid IS NULL OR staff_id = $5)
            AND ($6::uuid IS NULL OR ad_medium_id = $6)
          GROUP BY 1, 2),
       months AS (
         SELECT m::date AS month FROM generate_series(date_trunc('month', $2::date), $3::date, interval '1 month') m),
       costs AS (
         SELECT mo.month, a.id AS ad_medium_id, coalesce(c.cost, a.monthly_cost)::bigint AS cost
           FROM ad_media a CROSS JOIN months mo
           LEFT JOIN ad_media_costs c ON c.tenant_id = a.tenant_id AND c.ad_medium_id = a.id AND c.month = mo.month
          WHERE a.tenant_id = $1 AND ($6::uuid IS NULL OR a.id = $6)
            AND (c.cost IS NOT NULL OR mo.month >= date_trunc('month', a.created_at AT TIME ZONE 'Asia/Tokyo')::date))
       SELECT to_char(coalesce(s.month, k.month), 'YYYY-MM') AS month, coalesce(s.ad_medium_id, k.ad_medium_id) AS id,
              m.code, m.name, coalesce(s.orders, 0) AS orders, coalesce(s.sales, 0) AS sales, coalesce(k.cost, 0) AS cost
         FROM s FULL JOIN costs k ON k.month = s.month AND k.ad_medium_id = s.ad_medium_id
         LEFT JOIN ad_media m ON m.tenant_id = $1 AND m.id = coalesce(s.ad_medium_id, k.ad_medium_id)
        WHERE coalesce(s.orders, 0) <> 0 OR coalesce(s.sales, 0) <> 0 OR coalesce(k.cost, 0) <> 0
        ORDER BY 1, m.code NULLS LAST`,
      [tx.tenantId, q.from, q.to, q.carrier ?? null, q.staffId ?? null, q.adMediumId ?? null],
    );
    const figures = (orders: number, sales: number, cost: number) => ({
      orders,
      sales,
      cost,
      cpo: perOne(cost, orders),
      roas: ratio(sales, cost),
    });
    const out = rows.map((r) => ({
      month: r.month,
      adMediumId: r.id,
      adMediumCode: r.code,
      adMediumName: r.name,
      ...figures(num(r.orders), num(r.sales), num(r.cost)),
    }));
    return { rows: out, total: figures(sum(out, 'orders'), sum(out, 'sales'), sum(out, 'cost')) };
  });
}

// ---------------------------------------------------------------------------------------------
// 担当者別集計 and 担当者別粗利集計: per staff member (the order's staff_id; null: none).

type StaffSums = {
  id: string | null;
  name: string | null;
  orders: number;
  units: number;
  sales: number;
  sales_ex_tax: number;
  cost: number;
};

async function staffSums(tx: TenantTx, q: Filters): Promise<StaffSums[]> {
  const rows = await tx.query<StaffSums>(
    `SELECT s.staff_id AS id, u.name, s.orders, s.units, s.sales, s.sales_ex_tax, s.cost
       FROM (SELECT staff_id, sum(orders)::bigint AS orders, sum(units)::bigint AS units, sum(sales)::bigint AS sales,
                    sum(sales_ex_tax)::bigint AS sales_ex_tax, sum(cost)::bigint AS cost
               FROM report_order_days
              WHERE tenant_id = $1 AND basis = 'o' AND day BETWEEN $2 AND $3
                AND ($4::text IS NULL OR carrier = $4) AND ($5::uuid IS NULL OR ad_medium_id = $5)
              GROUP BY staff_id) s
       LEFT JOIN users u ON u.tenant_id = $1 AND u.id = s.staff_id
      WHERE s.orders <> 0 OR s.sales <> 0 OR s.cost <> 0
      ORDER BY s.sales DESC, u.name NULLS LAST, s.staff_id`,
    [tx.tenantId, q.from, q.to, q.carrier ?? null, q.adMediumId ?? null],
  );
  return rows.map((r) => ({
    ...r,
    orders: num(r.orders),
    units: num(r.units),
    sales: num(r.sales),
    sales_ex_tax: num(r.sales_ex_tax),
    cost: num(r.cost),
  }));
}

export async function staffSales(db: Database, ctx: Ctx, q: Filters): Promise<StaffSalesResult> {
  return run(db, ctx, q, async (tx) => {
    const out = (await staffSums(tx, q)).map((r) => ({
      staffId: r.id,
      staffName: r.name,
      orders: r.orders,
      units: r.units,
      sales: r.sales,
      averageOrderValue: perOne(r.sales, r.orders),
    }));
    const orders = sum(out, 'orders');
    const sales = sum(out, 'sales');
    return { rows: out, total: { orders, units: sum(out, 'units'), sales, averageOrderValue: perOne(sales, orders) } };
  });
}

export async function staffGrossProfit(db: Database, ctx: Ctx, q: Filters): Promise<StaffGrossProfitResult> {
  return run(db, ctx, q, async (tx) => {
    const figures = (orders: number, sales: number, salesExTax: number, cost: number) => ({
      orders,
      sales,
      salesExTax,
      cost,
      grossProfit: salesExTax - cost,
      margin: ratio(salesExTax - cost, salesExTax),
    });
    const out = (await staffSums(tx, q)).map((r) => ({
      staffId: r.id,
      staffName: r.name,
      ...figures(r.orders, r.sales, r.sales_ex_tax, r.cost),
    }));
    return {
      rows: out,
      total: figures(sum(out, 'orders'), sum(out, 'sales'), sum(out, 'salesExTax'), sum(out, 'cost')),
    };
  });
}

function sum<T, K extends keyof T>(rows: T[], key: K): number {
  return rows.reduce((a, r) => a + Number(r[key] ?? 0), 0);
}

// ---------------------------------------------------------------------------------------------
// Compaction (the reports.compact job): folds the triggers' deltas into one row per key.

export async function compactTenant(db: Database, tenantId: string): Promise<number> {
  const rows = await db.withTenant(tenantId, (tx) =>
    tx.query<{ n: number }>('SELECT report_compact() + report_compact_customer_periods() AS n'),
  );
  return num(rows[0]?.n);
}

export async function tenantsWithDeltas(db: Database): Promise<string[]> {
  const rows = await db.owner.query<{ tenant_id: string }>('SELECT tenant_id FROM report_job_tenants()');
  return rows.map((r) => r.tenant_id);
}

// ---------------------------------------------------------------------------------------------
// 顧客別売上一覧's kept periods (0018; the reports.customer-periods job, daily).

export type Period = { from: string; to: string };

/** The periods kept ranked on `today` (Tokyo): the twelve months up to the last closed month, the last calendar year. */
export function keptCustomerPeriods(today: string): Period[] {
  const [y = 0, m = 1] = today.split('-').map(Number);
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  const twelve = { from: iso(new Date(Date.UTC(y, m - 13, 1))), to: iso(new Date(Date.UTC(y, m - 1, 0))) };
  const year = { from: `${y - 1}-01-01`, to: `${y - 1}-12-31` };
  return twelve.from === year.from ? [year] : [twelve, year];
}

/**
 * Builds a kept period (0018's three steps, each its own transaction): listed, so that the
 * triggers write its deltas; the writers that missed the listing waited for; filled in one
 * statement. Answers the customers it holds.
 */
export async function buildCustomerPeriod(db: Database, tenantId: string, p: Period): Promise<number> {
  await db.withTenant(tenantId, (tx) =>
    tx.query(
      `INSERT INTO report_customer_periods (tenant_id, period_from, period_to) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING`,
      [tenantId, p.from, p.to],
    ),
  );
  await db.withTenant(tenantId, (tx) => tx.query('LOCK TABLE report_customer_days IN SHARE MODE'));
  const rows = await db.withTenant(tenantId, (tx) =>
    tx.query<{ n: number }>('SELECT report_customer_period_fill($1, $2) AS n', [p.from, p.to]),
  );
  return num(rows[0]?.n);
}

/** Keeps exactly the periods of `today`: drops the others, builds those missing or never finished. */
export async function syncCustomerPeriods(
  db: Database,
  tenantId: string,
  today: string,
): Promise<{ built: Period[]; dropped: number }> {
  const want = keptCustomerPeriods(today);
  const have = await db.withTenant(tenantId, async (tx) => {
    const gone = await tx.query(
      `DELETE FROM report_customer_periods
        WHERE tenant_id = $1 AND (period_from, period_to) NOT IN (SELECT * FROM unnest($2::date[], $3::date[]))
       RETURNING 1`,
      [tenantId, want.map((p) => p.from), want.map((p) => p.to)],
    );
    const ready = await tx.query<{ from: string; to: string }>(
      `SELECT period_from::text AS "from", period_to::text AS "to" FROM report_customer_periods
        WHERE tenant_id = $1 AND ready`,
      [tenantId],
    );
    return { dropped: gone.length, ready };
  });
  const built = want.filter((p) => !have.ready.some((r) => r.from === p.from && r.to === p.to));
  for (const p of built) await buildCustomerPeriod(db, tenantId, p);
  return { built, dropped: have.dropped };
}

export async function allTenants(db: Database): Promise<string[]> {
  const rows = await db.owner.query<{ id: string }>('SELECT id FROM tenants ORDER BY id');
  return rows.map((r) => r.id);
}
