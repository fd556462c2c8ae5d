// 定期 retention reports (issue 6), aggregated in SQL over subscriptions and the orders their
// deliveries made (orders.subscription_id, subscription_delivery_seq).
//
// - A subscription **started** in the period when its first delivery date is in it; its cohort is
//   that date's month.
// - It **received delivery n** when it has an order for delivery n or a later one that was not
//   cancelled (a returned delivery was still delivered): delivered = the highest such n.
// - Its **first product** is delivery 1's first item line, else (no delivery yet) its first line.
// - A **cancellation** is counted on the day (Asia/Tokyo) of `cancelled_at`; a **contact preceded**
//   it when the customer has a 対応履歴 entry of kind 定期変更 or クレーム (kind codes
//   subscription_change, complaint) in the 14 days before — the cancellation's own 定期変更 entry,
//   written at the same instant, is not before it.
// - **Revenue** counts the generated orders as the sales reports do (not cancelled, not wholly
//   returned), at their total (tax included, as invoiced).
import type { Database, TenantTx } from '../../db/database.js';
import { AppError } from '../../platform/errors.js';
import { checkPeriod } from '../reports/reports.service.js';
import type {
  CancellationsResult,
  ContinuationBy,
  ContinuationResult,
  LtvResult,
  Series,
  SubReportQuery,
} from './subscription-reports.schema.js';

export type Ctx = { tenantId: string };

/** Deliveries 1–12 (by nth delivery and the cohort matrix) or the milestones 2, 3, 6, 12. */
export const NTH_POINTS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
export const MILESTONES = [2, 3, 6, 12];
/** A contact this many days before the cancellation counts as preceding it. */
export const CONTACT_DAYS = 14;

const num = (v: unknown) => Number(v ?? 0);
const ratio = (a: number, b: number, digits = 4) =>
  b === 0 ? null : Math.round((a / b) * 10 ** digits) / 10 ** digits;

/** A filter naming another tenant's ad medium or product (or none) is a 404, as reading it would be. */
async function checkFilters(tx: TenantTx, q: SubReportQuery): Promise<void> {
  const checks: [string | undefined, string, 'object.ad_medium' | 'object.product'][] = [
    [q.adMediumId, 'ad_media', 'object.ad_medium'],
    [q.productId, 'products', 'object.product'],
  ];
  for (const [id, table, object] of checks) {
    if (!id) continue;
    const rows = await tx.query(`SELECT 1 FROM ${table} WHERE tenant_id = $1 AND id = $2`, [tx.tenantId, id]);
    if (rows.length === 0) throw AppError.notFound(object);
  }
}

async function run<T>(db: Database, ctx: Ctx, q: SubReportQuery, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
  checkPeriod(q);
  return db.withTenant(ctx.tenantId, async (tx) => {
    await checkFilters(tx, q);
    return fn(tx);
  });
}

/** The highest delivery number received (orders not cancelled), 0 before the first. */
const DELIVERED = `(SELECT coalesce(max(o.subscription_delivery_seq), count(*))::int FROM orders o
    WHERE o.tenant_id = s.tenant_id AND o.subscription_id = s.id AND o.status <> 'cancelled')`;
/** Delivery 1's first item, else the subscription's first line. */
const FIRST_PRODUCT = `coalesce(
    (SELECT l.product_id FROM orders o
       JOIN order_lines l ON l.tenant_id = o.tenant_id AND l.order_id = o.id AND l.kind = 'item'
      WHERE o.tenant_id = s.tenant_id AND o.subscription_id = s.id AND o.subscription_delivery_seq = 1
      ORDER BY o.subscription_delivery_date, l.line_no LIMIT 1),
    (SELECT sl.product_id FROM subscription_lines sl
      WHERE sl.tenant_id = s.tenant_id AND sl.subscription_id = s.id ORDER BY sl.line_no LIMIT 1))`;

/**
 * The subscriptions started in the period that pass the filters ($1 tenant, $2 from, $3 to,
 * $4 ad medium, $5 first product): id, status, cohort, ad medium, delivered, first product.
 */
const STARTED = `
  SELECT x.* FROM (
    SELECT s.id, s.status, to_char(s.first_delivery_date, 'YYYY-MM') AS cohort, s.ad_medium_id,
           ${DELIVERED} AS delivered, ${FIRST_PRODUCT} AS product_id
      FROM subscriptions s
     WHERE s.tenant_id = $1 AND s.first_delivery_date BETWEEN $2::date AND $3::date
       AND ($4::uuid IS NULL OR s.ad_medium_id = $4)
  ) x WHERE ($5::uuid IS NULL OR x.product_id = $5)`;

const params = (tx: TenantTx, q: SubReportQuery) => [
  tx.tenantId,
  q.from,
  q.to,
  q.adMediumId ?? null,
  q.productId ?? null,
];

// ---------------------------------------------------------------------------------------------
// 継続率: the share of the subscriptions started in the period still receiving delivery n.

const GROUP_KEY: Record<Exclude<ContinuationBy, 'nth'>, string> = {
  cohort: 's.cohort',
  ad: 's.ad_medium_id::text',
  product: 's.product_id::text',
};
const LABELS: Record<Exclude<ContinuationBy, 'nth'>, { join: string; code: string; name: string; order: string }> = {
  cohort: { join: '', code: 'NULL::text', name: 'NULL::text', order: 'g.key' },
  ad: {
    join: 'LEFT JOIN ad_media m ON m.tenant_id = $1 AND m.id = g.key::uuid',
    code: 'm.code',
    name: 'm.name',
    order: 'g.started_all DESC, m.code NULLS LAST, g.key',
  },
  product: {
    join: 'LEFT JOIN products m ON m.tenant_id = $1 AND m.id = g.key::uuid',
    code: 'm.code',
    name: 'm.name',
    order: 'g.started_all DESC, upper(m.code) NULLS LAST, g.key',
  },
};

type PointRow = {
  total: boolean;
  key: string | null;
  code: string | null;
  name: string | null;
  n: number;
  started: number;
  reached: number;
  pending: number;
};

export async function continuation(
  db: Database,
  ctx: Ctx,
  q: SubReportQuery & { by: ContinuationBy },
): Promise<ContinuationResult> {
  return run(db, ctx, q, async (tx) => {
    const by = q.by;
    const points = by === 'nth' || by === 'cohort' ? NTH_POINTS : MILESTONES;
    // By nth delivery only the totals are read (grouped by cohort on the way, as the matrix is).
    const key = GROUP_KEY[by === 'nth' ? 'cohort' : by];
    const labels = LABELS[by === 'nth' ? 'cohort' : by];
    // One row per (group, n) and per n over every group (the total), in one scan.
    const rows = await tx.query<PointRow>(
      `WITH s AS (${STARTED}),
       g AS (
         SELECT GROUPING(${key}) = 1 AS total, ${key} AS key, p.n,
                count(*)::int AS started,
                count(*) FILTER (WHERE s.delivered >= p.n)::int AS reached,
                count(*) FILTER (WHERE s.delivered < p.n AND s.status <> 'cancelled')::int AS pending
           FROM s CROSS JOIN unnest($6::int[]) AS p(n)
          GROUP BY GROUPING SETS ((${key}, p.n), (p.n))
       )
       SELECT g.total, g.key, ${labels.code} AS code, ${labels.name} AS name, g.n, g.started, g.reached, g.pending
         FROM (SELECT g.*, max(g.started) OVER (PARTITION BY g.total, g.key) AS started_all FROM g) g
         ${labels.join}
        ORDER BY g.total DESC, ${labels.order}, g.n`,
      [...params(tx, q), points],
    );
    const totals = rows.filter((r) => r.total);
    const total = seriesOf(points, totals);
    if (by === 'nth') {
      return {
        by,
        rows: points.map((n, i) => ({
          n,
          started: total.started,
          reached: total.reached[i] ?? 0,
          pending: total.pending[i] ?? 0,
          rate: total.rates[i] ?? null,
        })),
        total: { started: total.started },
      };
    }
    const groups = new Map<string | null, PointRow[]>();
    for (const r of rows) {
      if (r.total) continue;
      const list = groups.get(r.key) ?? [];
      list.push(r);
      groups.set(r.key, list);
    }
    const list = [...groups.entries()].map(([k, rs]) => ({
      key: k,
      first: rs[0] as PointRow,
      s: seriesOf(points, rs),
    }));
    if (by === 'cohort') return { by, points, rows: list.map((g) => ({ cohort: g.key ?? '', ...g.s })), total };
    if (by === 'ad')
      return {
        by,
        points,
        rows: list.map((g) => ({
          adMediumId: g.key,
          adMediumCode: g.first.code,
          adMediumName: g.first.name,
          ...g.s,
        })),
        total,
      };
    return {
      by,
      points,
      rows: list.map((g) => ({ productId: g.key, productCode: g.first.code, productName: g.first.name, ...g.s })),
      total,
    };
  });
}

/** A group's figures at each point (0 where the query had no row: nothing started). */
function seriesOf(points: number[], rows: PointRow[]): Series {
  const at = new Map(rows.map((r) => [num(r.n), r]));
  const started = num(rows[0]?.started);
  const reached = points.map((n) => num(at.get(n)?.reached));
  const pending = points.map((n) => num(at.get(n)?.pending));
  return { started, reached, pending, rates: reached.map((r) => ratio(r, started)) };
}

// ---------------------------------------------------------------------------------------------
// LTV per start-month cohort.

export async function ltv(db: Database, ctx: Ctx, q: SubReportQuery): Promise<LtvResult> {
  return run(db, ctx, q, async (tx) => {
    const rows = await tx.query<{
      total: boolean;
      cohort: string | null;
      subscriptions: number;
      deliveries: number;
      revenue: number;
    }>(
      `WITH s AS (${STARTED})
       SELECT GROUPING(s.cohort) = 1 AS total, s.cohort, count(*)::int AS subscriptions,
              coalesce(sum(o.deliveries), 0)::bigint AS deliveries, coalesce(sum(o.revenue), 0)::bigint AS revenue
         FROM s
         LEFT JOIN LATERAL (
           SELECT count(*) AS deliveries, sum(o.total) AS revenue FROM orders o
            WHERE o.tenant_id = $1 AND o.subscription_id = s.id AND o.status NOT IN ('cancelled', 'returned')
         ) o ON true
        GROUP BY GROUPING SETS ((s.cohort), ())
        ORDER BY total, s.cohort`,
      params(tx, q),
    );
    const figures = (r: { subscriptions: number; deliveries: number; revenue: number } | undefined) => {
      const subscriptions = num(r?.subscriptions);
      const deliveries = num(r?.deliveries);
      const revenue = num(r?.revenue);
      return {
        subscriptions,
        deliveries,
        revenue,
        ltv: subscriptions === 0 ? null : Math.round(revenue / subscriptions),
        averageDeliveries: ratio(deliveries, subscriptions, 2),
      };
    };
    return {
      rows: rows.filter((r) => !r.total).map((r) => ({ cohort: r.cohort ?? '', ...figures(r) })),
      total: figures(rows.find((r) => r.total)),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Cancellations: reasons, and 顧客離脱集計表 (after which delivery, with which products, after a contact?).

export async function cancellations(db: Database, ctx: Ctx, q: SubReportQuery): Promise<CancellationsResult> {
  return run(db, ctx, q, async (tx) => {
    const rows = await tx.query<{
      t: 'r' | 'd' | 'p' | 't';
      id: string | null;
      code: string | null;
      name: string | null;
      n: number | null;
      count: number;
      with_contact: number;
    }>(
      `WITH c AS (
         SELECT x.* FROM (
           SELECT s.id, s.cancel_reason_id, ${DELIVERED} AS delivered, ${FIRST_PRODUCT} AS product_id,
                  EXISTS (SELECT 1 FROM interactions i
                            JOIN interaction_kinds k ON k.tenant_id = i.tenant_id AND k.id = i.kind_id
                           WHERE i.tenant_id = s.tenant_id AND i.customer_id = s.customer_id
                             AND k.code IN ('subscription_change', 'complaint')
                             AND i.at >= s.cancelled_at - make_interval(days => $6) AND i.at < s.cancelled_at) AS contact
             FROM subscriptions s
            WHERE s.tenant_id = $1 AND s.status = 'cancelled'
              AND s.cancelled_at >= ($2::date::timestamp AT TIME ZONE 'Asia/Tokyo')
              AND s.cancelled_at < (($3::date + 1)::timestamp AT TIME ZONE 'Asia/Tokyo')
              AND ($4::uuid IS NULL OR s.ad_medium_id = $4)
         ) x WHERE ($5::uuid IS NULL OR x.product_id = $5)
       )
       SELECT * FROM (
         SELECT 'r' AS t, c.cancel_reason_id::text AS id, r.code, r.name, min(r.sort_order) AS n,
                count(*)::int AS count, count(*) FILTER (WHERE c.contact)::int AS with_contact
           FROM c LEFT JOIN reasons r ON r.tenant_id = $1 AND r.id = c.cancel_reason_id
          GROUP BY c.cancel_reason_id, r.code, r.name
         UNION ALL
         SELECT 'd', NULL, NULL, NULL, c.delivered, count(*)::int, count(*) FILTER (WHERE c.contact)::int
           FROM c GROUP BY c.delivered
         UNION ALL
         SELECT 'p', p.id::text, p.code, p.name, NULL, count(DISTINCT c.id)::int,
                count(DISTINCT c.id) FILTER (WHERE c.contact)::int
           FROM c
           JOIN subscription_lines l ON l.tenant_id = $1 AND l.subscription_id = c.id
           JOIN products p ON p.tenant_id = $1 AND p.id = l.product_id
          GROUP BY p.id, p.code, p.name
         UNION ALL
         SELECT 't', NULL, NULL, NULL, NULL, count(*)::int, count(*) FILTER (WHERE c.contact)::int FROM c
       ) x
       ORDER BY x.t, CASE WHEN x.t = 'd' THEN x.n END, x.count DESC, CASE WHEN x.t = 'r' THEN x.n END NULLS LAST,
                upper(x.code) NULLS LAST, x.id`,
      [...params(tx, q), CONTACT_DAYS],
    );
    const all = num(rows.find((r) => r.t === 't')?.count);
    const figures = (r: { count: number; with_contact: number }) => ({
      count: num(r.count),
      share: ratio(num(r.count), all),
      withContact: num(r.with_contact),
    });
    const withContact = num(rows.find((r) => r.t === 't')?.with_contact);
    return {
      reasons: rows
        .filter((r) => r.t === 'r')
        .map((r) => ({ reasonId: r.id, reasonCode: r.code, reasonName: r.name, ...figures(r) })),
      deliveries: rows.filter((r) => r.t === 'd').map((r) => ({ deliveries: num(r.n), ...figures(r) })),
      products: rows
        .filter((r) => r.t === 'p')
        .map((r) => ({
          productId: r.id as string,
          productCode: r.code as string,
          productName: r.name as string,
          ...figures(r),
        })),
      total: { count: all, withContact, contactShare: ratio(withContact, all) },
    };
  });
}
