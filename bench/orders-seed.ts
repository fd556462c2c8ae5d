// The orders benchmark's data, generated inside PostgreSQL with INSERT … SELECT over
// generate_series (100,000 orders per statement, then their lines), every value a function of the
// order's number (hashint8extended), so a run is reproducible.
//
// Masters: 30 ad media (monthly costs, a cost row for some months), 20 staff users, 10 product
// categories and 300 products (prices 980–9,800 yen, 8 % for foods, costs 25–45 %; every 30th
// a set). Orders over the `years` up to yesterday: customers drawn with a skew (the most active
// 1 % place about 10 % of the orders), dates uniform with fewer orders at weekends, ship date
// order date + 1–2 days, carriers 70 % Yamato, 20 % Sagawa, 10 % Japan Post, the customer's own
// prefecture, 2 % cancelled, 0.5 % returned, 1 % with one unit returned; 1–4 lines (2.2 on
// average), products drawn with a skew, quantities 1–3, money per CONTRACTS.md (excluded prices,
// 10 %/8 % taxes floored per rate, shipping 600 yen under 5,000 yen of goods). The export day's
// received orders are all Yamato's: the export they feed is Yamato B2's (until 3 December 2026
// they had the same carrier split, and the "10,000-parcel" export wrote about 7,000). They were
// ordered in the last three days, as parcels waiting for their carrier file are (until 4 December
// 2026 on any day of the three years: the export then wrote each into index pages of three-year-old
// orders, gigabytes a live database would not read for it). Ids are time-ordered (UUIDv7 of
// ordered_at, migration 0020), as a database filled over the years with them has.
//
// The load runs with session_replication_role = replica (the usual bulk-load setting; the seed
// connects as the cluster's superuser): no trigger fires, neither the foreign keys' checks (every
// key comes from a join with the rows it names) nor the summary triggers of 0010. The orders'
// and lines' non-unique indexes are dropped for the load and built again after it. The summaries
// are then built month by month of order date with report_apply_orders(), the function those
// triggers call: an order goes through it once, and a month's orders share their summary keys
// (with the triggers, an order went through it four times, and 100,000 orders spread over three
// years shared almost none: ten times the rows to write and to compact). Then report_compact(),
// 顧客別売上一覧's kept periods (0018), a check of the summaries' orders and sales against the
// orders themselves, and VACUUM (FULL for the tables rewritten in bulk) ANALYZE.
import pg from 'pg';
import { DEFAULT_KINDS } from '../src/server/modules/interactions/kinds.service.js';
import { keptCustomerPeriods } from '../src/server/modules/reports/reports.service.js';
import { tokyoDate } from '../src/shared/calendar.js';
import { dropIndexes, log, round } from './lib.js';

const BATCH = 100_000;
const H = (seed: number, of: string) => `(hashint8extended(${of}, ${seed}) & 9223372036854775807)`;
// The tables the seed loads in bulk: their non-unique indexes are dropped for the load.
const TABLES = ['orders', 'order_lines'];
const HISTORY_TABLES = ['interactions', 'interaction_events', 'customer_stats', 'customer_purchase_days'];

async function buildIndexes(c: pg.Client, indexes: { name: string; def: string }[]): Promise<void> {
  for (const ix of indexes) {
    const t = performance.now();
    await c.query(ix.def);
    log(`orders seed: ${ix.name} built in ${round((performance.now() - t) / 1000, 1)} s`);
  }
}

export type OrderSeed = {
  orders: number;
  lines: number;
  firstDay: string;
  lastDay: string;
  exportDay: string;
  exportParcels: number;
  seconds: {
    masters: number;
    load: number;
    indexes: number;
    history: number;
    summaries: number;
    compact: number;
    keptPeriods: number;
    vacuumAnalyze: number;
    total: number;
  };
  ordersPerSecond: number;
  summaryRows: Record<string, number>;
  method: string;
};

async function masters(c: pg.Client, tenantId: string) {
  await c.query(
    `INSERT INTO ad_media (tenant_id, code, name, medium, monthly_cost, created_at)
     SELECT $1, 'AD' || lpad(i::text, 3, '0'), (ARRAY['新聞','テレビ','ラジオ','チラシ','Web'])[1 + i % 5] || '広告 ' || i,
            (ARRAY['新聞','テレビ','ラジオ','チラシ','Web'])[1 + i % 5], 100000 + (i * 37 % 20) * 50000, now() - interval '6 years'
       FROM generate_series(1, 30) i`,
    [tenantId],
  );
  await c.query(
    `INSERT INTO ad_media_costs (tenant_id, ad_medium_id, month, cost)
     SELECT $1, a.id, m::date, 80000 + (abs(hashtext(a.code || m::text)) % 1024) * 500
       FROM ad_media a CROSS JOIN generate_series(date_trunc('month', now() - interval '4 years'), now(), interval '1 month') m
      WHERE a.tenant_id = $1 AND right(a.code, 1) IN ('1', '4', '7')`,
    [tenantId],
  );
  await c.query(
    `INSERT INTO users (tenant_id, email, name, role, password_hash)
     SELECT $1::uuid, 'staff' || i || '-' || left($1::uuid::text, 8) || '@bench.madoguchi.jp', '担当者 ' || i, 'operator', 'x'
       FROM generate_series(1, 20) i`,
    [tenantId],
  );
  await c.query(
    `INSERT INTO product_categories (tenant_id, code, name, sort_order)
     SELECT $1, 'CAT' || i, (ARRAY['健康食品','化粧品','サプリメント','飲料','雑貨','食品','衣料','家電','書籍','その他'])[i], i
       FROM generate_series(1, 10) i`,
    [tenantId],
  );
  await c.query(
    `INSERT INTO products (tenant_id, code, name, name_search, category_id, kind, tax_rate, unit_price, unit_cost)
     SELECT $1, 'P' || lpad(i::text, 4, '0'), '商品 ' || i, 'p' || lpad(i::text, 4, '0') || ' 商品' || i,
            (SELECT id FROM product_categories WHERE tenant_id = $1 AND code = 'CAT' || (1 + i % 10)),
            CASE WHEN i % 30 = 0 THEN 'set' ELSE 'normal' END,
            CASE WHEN i % 10 IN (0, 3, 5) THEN 8 ELSE 10 END,
            980 + (i * 7919 % 10) * 980, (980 + (i * 7919 % 10) * 980) * (25 + i % 21) / 100
       FROM generate_series(1, 300) i`,
    [tenantId],
  );
  await c.query('CREATE SCHEMA IF NOT EXISTS bench');
  await c.query(`DROP TABLE IF EXISTS bench.products, bench.ads, bench.staff`);
  await c.query(
    `CREATE TABLE bench.products AS SELECT row_number() OVER (ORDER BY code) - 1 AS i, id, code, name, tax_rate, unit_price, unit_cost
       FROM products WHERE tenant_id = $1`.replace('$1', `'${tenantId}'`),
  );
  await c.query(
    `CREATE TABLE bench.ads AS SELECT row_number() OVER (ORDER BY code) - 1 AS i, id FROM ad_media WHERE tenant_id = '${tenantId}'`,
  );
  await c.query(
    `CREATE TABLE bench.staff AS SELECT row_number() OVER (ORDER BY email) - 1 AS i, id FROM users
      WHERE tenant_id = '${tenantId}' AND email LIKE 'staff%@bench.madoguchi.jp'`,
  );
  await c.query(
    'ALTER TABLE bench.products ADD PRIMARY KEY (i); ALTER TABLE bench.ads ADD PRIMARY KEY (i); ALTER TABLE bench.staff ADD PRIMARY KEY (i)',
  );
}

/** Orders $2…$3 ($1 tenant, $4 customers, $5 first day, $6 days, $7 fixed ship date or null). */
const ORDERS_SQL = `
  INSERT INTO orders (tenant_id, id, number, customer_id, status, channel, ordered_at, order_date, ship_date, carrier,
                      ship_name, ship_postal_code, ship_prefecture, ship_city, ship_address1, ship_phone, payment_kind,
                      ad_medium_id, staff_id, price_mode, rounding, subtotal, shipping_fee, taxes, tax_total, total,
                      cost_total, created_at, updated_at)
  SELECT $1, uuid_v7(g.day + time '09:00' + (g.h3 % 36000) * interval '1 second'), g.n, c.id, g.status, 'phone', g.day + time '09:00' + (g.h3 % 36000) * interval '1 second', g.day,
         coalesce($7::date, g.day + 1 + (g.h2 % 2)::int), g.carrier, c.name, c.postal_code, c.prefecture, c.city,
         c.address1, '090-0000-0000', 'cod', a.id, s.id, 'excluded', 'floor', 0, 0, '[]', 0, 0, 0, now(), now()
    FROM (SELECT n, h1, h2, h3,
                 -- The export day's parcels were ordered in the last three days, as parcels waiting
                 -- for their carrier file are; the others on any day, fewer at weekends.
                 $5::date + (CASE WHEN $7::date IS NOT NULL THEN $6 - 1 - h1 % 3
                                  WHEN extract(isodow FROM $5::date + (h1 % $6)::int) >= 6 AND h2 % 3 = 0
                                  THEN (h1 / 7) % $6 ELSE h1 % $6 END)::int AS day,
                 CASE WHEN $7::date IS NOT NULL THEN 'received' WHEN h3 % 200 < 4 THEN 'cancelled'
                      WHEN h3 % 200 = 4 THEN 'returned' ELSE 'completed' END AS status,
                 CASE WHEN $7::date IS NOT NULL OR h2 % 10 < 7 THEN 'yamato' WHEN h2 % 10 < 9 THEN 'sagawa'
                      ELSE 'japanpost' END AS carrier,
                 1 + CASE WHEN h3 % 10 = 0 THEN (h1 / 13) % greatest(1, $4::bigint / 100) ELSE (h1 / 13) % $4::bigint END AS cseq,
                 (h2 / 11) % 30 AS ad, (h3 / 17) % 20 AS staff
            FROM (SELECT x AS n, ${H(11, 'x')} AS h1, ${H(12, 'x')} AS h2, ${H(13, 'x')} AS h3
                    FROM generate_series($2::bigint, $3::bigint) x) z) g
    JOIN customers c ON c.tenant_id = $1 AND c.seq = g.cseq
    JOIN bench.ads a ON a.i = g.ad
    JOIN bench.staff s ON s.i = g.staff`;

/** Lines of orders $2…$3, then the orders' money from their lines (one UPDATE). */
const LINES_SQL = `
  INSERT INTO order_lines (tenant_id, order_id, line_no, kind, product_id, product_code, product_name, quantity,
                           unit_price, amount, tax_rate, unit_cost, returned_quantity)
  SELECT $1, o.id, k.line_no, 'item', p.id, p.code, p.name, k.q, p.unit_price, k.q * p.unit_price, p.tax_rate, p.unit_cost,
         CASE WHEN k.line_no = 1 AND ${H(21, 'o.number')} % 100 = 7 THEN 1 ELSE 0 END
    FROM orders o
    CROSS JOIN LATERAL (SELECT l AS line_no, 1 + (${H(22, 'o.number * 8 + l')} % 3)::int AS q,
                               floor(power((${H(23, 'o.number * 8 + l')} % 1000000) / 1000000.0, 1.8) * 300)::int AS pi
                          FROM generate_series(1, 1 + (CASE WHEN ${H(24, 'o.number')} % 10 < 3 THEN 0
                                                            WHEN ${H(24, 'o.number')} % 10 < 7 THEN 1
                                                            WHEN ${H(24, 'o.number')} % 10 < 9 THEN 2 ELSE 3 END)::int) l) k
    JOIN bench.products p ON p.i = k.pi
   WHERE o.tenant_id = $1 AND o.number BETWEEN $2 AND $3
  ON CONFLICT DO NOTHING`;

const MONEY_SQL = `
  UPDATE orders o
     SET subtotal = m.subtotal, shipping_fee = m.ship, tax_total = m.tax8 + m.tax10,
         total = m.subtotal + m.ship + m.tax8 + m.tax10, cost_total = m.cost,
         -- Delivered and done is paid (COD collected, transfers matched); what is still to be
         -- shipped is not: the unpaid list's partial indexes (0009) hold the open orders only.
         paid_amount = CASE WHEN o.status IN ('completed', 'returned') THEN m.subtotal + m.ship + m.tax8 + m.tax10 ELSE 0 END,
         taxes = jsonb_build_array(jsonb_build_object('rate', 8, 'taxableAmount', m.a8, 'tax', m.tax8),
                                   jsonb_build_object('rate', 10, 'taxableAmount', m.a10 + m.ship, 'tax', m.tax10))
    FROM (SELECT l.order_id, sum(l.amount) AS subtotal, sum(l.quantity * l.unit_cost) AS cost,
                 coalesce(sum(l.amount) FILTER (WHERE l.tax_rate = 8), 0) AS a8,
                 coalesce(sum(l.amount) FILTER (WHERE l.tax_rate = 10), 0) AS a10,
                 CASE WHEN sum(l.amount) < 5000 THEN 600 ELSE 0 END AS ship,
                 floor(coalesce(sum(l.amount) FILTER (WHERE l.tax_rate = 8), 0) * 0.08)::int AS tax8,
                 floor((coalesce(sum(l.amount) FILTER (WHERE l.tax_rate = 10), 0)
                        + CASE WHEN sum(l.amount) < 5000 THEN 600 ELSE 0 END) * 0.10)::int AS tax10
            FROM order_lines l JOIN orders x ON x.tenant_id = l.tenant_id AND x.id = l.order_id
           WHERE l.tenant_id = $1 AND x.number BETWEEN $2 AND $3
           GROUP BY l.order_id) m
   WHERE o.tenant_id = $1 AND o.id = m.order_id`;

/**
 * What placing the orders of [$2, $3) left beside them ($1 tenant, $4 the 注文 kind): the 対応履歴
 * entry each order writes (recordSystemInteractions, with its 'created' event), in time order.
 */
const INTERACTIONS_SQL = `
  WITH i AS (
    INSERT INTO interactions (tenant_id, id, customer_id, kind_id, channel, subject, body, status, staff_id, at,
                              created_at, updated_at)
    SELECT o.tenant_id, uuid_v7(o.ordered_at), o.customer_id, $4, 'other', '受注 #' || o.number,
           '商品 ' || (o.subtotal / 1000) || ' 点ほか。合計 ' || to_char(o.total, 'FM999,999,999') || ' 円、出荷予定 ' || o.ship_date
             || '、お届け予定 ' || (o.ship_date + 1) || '。',
           'done', o.staff_id, o.ordered_at, o.ordered_at, o.ordered_at
      FROM orders o WHERE o.tenant_id = $1 AND o.ordered_at >= $2::date AND o.ordered_at < $3::date
     ORDER BY o.ordered_at
    RETURNING tenant_id, id, at, staff_id)
  INSERT INTO interaction_events (tenant_id, interaction_id, at, actor_type, actor_id, field, new_value)
  SELECT tenant_id, id, at, 'user', staff_id, 'created', 'done' FROM i`;

/**
 * The purchase statistics the orders module keeps per customer (ranks.stats.ts recordPurchases:
 * counted orders' totals, and per customer and Tokyo day), from the seeded orders ($1 tenant).
 */
const PURCHASE_STATS_SQL = `
  INSERT INTO customer_stats (tenant_id, customer_id, purchase_count, purchase_amount, first_purchase_at, last_purchase_at)
  SELECT $1, customer_id, count(*), sum(total), min(ordered_at), max(ordered_at) FROM orders
   WHERE tenant_id = $1 AND status NOT IN ('cancelled', 'returned') GROUP BY customer_id`;
const PURCHASE_DAYS_SQL = `
  INSERT INTO customer_purchase_days (tenant_id, customer_id, day, purchase_count, purchase_amount, last_at)
  SELECT $1, customer_id, (ordered_at AT TIME ZONE 'Asia/Tokyo')::date, count(*), sum(total), max(ordered_at) FROM orders
   WHERE tenant_id = $1 AND status NOT IN ('cancelled', 'returned') GROUP BY 2, 3`;

/**
 * What placing the orders wrote beside them, for every order of [from, to]: a 対応履歴 entry each
 * and the purchase statistics. A database in service has them; without them the placement's
 * writes to those tables land in small, cached tables instead of indexes over ten million rows.
 */
async function seedHistory(c: pg.Client, tenantId: string, from: string, to: string): Promise<void> {
  const indexes = await dropIndexes(c, HISTORY_TABLES);
  await c.query('BEGIN');
  await c.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
  await c.query('INSERT INTO interaction_settings (tenant_id) VALUES ($1) ON CONFLICT DO NOTHING', [tenantId]);
  await c.query(
    `INSERT INTO interaction_kinds (tenant_id, code, name, position)
     SELECT $1, k.code, k.name, k.position FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS k(code, name, position)
     ON CONFLICT DO NOTHING`,
    [tenantId, DEFAULT_KINDS.map((k) => k.code), DEFAULT_KINDS.map((k) => k.name)],
  );
  const { rows: kind } = await c.query<{ id: string }>(
    `SELECT id FROM interaction_kinds WHERE tenant_id = $1 AND code = 'order'`,
    [tenantId],
  );
  await c.query('COMMIT');
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  const end = new Date(`${to}T00:00:00Z`);
  end.setUTCDate(end.getUTCDate() + 1);
  let month = new Date(`${from.slice(0, 7)}-01T00:00:00Z`);
  let written = 0;
  while (month < end) {
    const next = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1));
    const t = performance.now();
    await c.query('BEGIN');
    await c.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
    const r = await c.query(INTERACTIONS_SQL, [tenantId, iso(month), iso(next), kind[0]?.id]);
    await c.query('COMMIT');
    written += r.rowCount ?? 0;
    log(
      `orders seed: 対応履歴 of ${iso(month).slice(0, 7)}: ${r.rowCount} in ${round((performance.now() - t) / 1000, 1)} s`,
    );
    month = next;
  }
  // Every order has its entry, or the months above missed some (their bounds are the session's dates).
  const { rows: count } = await c.query<{ n: string }>('SELECT count(*) AS n FROM orders WHERE tenant_id = $1', [
    tenantId,
  ]);
  if (written !== Number(count[0]?.n))
    throw new Error(`orders seed: ${written} 対応履歴 entries written for ${count[0]?.n} orders`);
  const t = performance.now();
  await c.query('BEGIN');
  await c.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
  await c.query(PURCHASE_STATS_SQL, [tenantId]);
  await c.query(PURCHASE_DAYS_SQL, [tenantId]);
  await c.query('COMMIT');
  log(`orders seed: purchase statistics in ${round((performance.now() - t) / 1000, 1)} s`);
  await buildIndexes(c, indexes);
}

export async function seedOrders(
  ownerUrl: string,
  tenantId: string,
  opts: { orders: number; customers: number; years: number; exportParcels: number; today: string },
): Promise<OrderSeed> {
  const c = new pg.Client({ connectionString: ownerUrl, application_name: 'bench-orders-seed' });
  await c.connect();
  try {
    const t0 = performance.now();
    await c.query(`SET maintenance_work_mem = '1GB'; SET work_mem = '256MB'; SET max_parallel_maintenance_workers = 2`);
    await c.query(`SET session_replication_role = replica`);
    await masters(c, tenantId);
    const tMasters = performance.now();
    const indexes = await dropIndexes(c, TABLES);

    const lastDay = new Date(`${opts.today}T00:00:00Z`);
    lastDay.setUTCDate(lastDay.getUTCDate() - 1);
    const days = Math.round(opts.years * 365);
    const first = new Date(lastDay);
    first.setUTCDate(first.getUTCDate() - days + 1);
    const iso = (d: Date) => d.toISOString().slice(0, 10);
    const exportDay = new Date(`${opts.today}T00:00:00Z`);
    exportDay.setUTCDate(exportDay.getUTCDate() + 30);

    const batches: [number, number, string | null][] = [];
    for (let f = 1; f <= opts.orders; f += BATCH) batches.push([f, Math.min(opts.orders, f + BATCH - 1), null]);
    // The export day's parcels: received orders all shipping that day.
    for (let f = opts.orders + 1; f <= opts.orders + opts.exportParcels; f += BATCH)
      batches.push([f, Math.min(opts.orders + opts.exportParcels, f + BATCH - 1), iso(exportDay)]);
    let lines = 0;
    for (const [f, l, fixedShip] of batches) {
      const ms: number[] = [];
      const step = async <T>(run: () => Promise<T>) => {
        const t = performance.now();
        const r = await run();
        ms.push(Math.round(performance.now() - t));
        return r;
      };
      await c.query('BEGIN');
      await c.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
      await step(() => c.query(ORDERS_SQL, [tenantId, f, l, opts.customers, iso(first), days, fixedShip]));
      const r = await step(() => c.query(LINES_SQL, [tenantId, f, l]));
      lines += r.rowCount ?? 0;
      // Fresh rows have no statistics: without them the money UPDATE's join plans as a nested loop.
      await step(() => c.query('ANALYZE orders, order_lines'));
      await step(() => c.query(MONEY_SQL, [tenantId, f, l]));
      await step(() => c.query('COMMIT'));
      log(
        `orders seed: ${l.toLocaleString('en')} orders, ${lines.toLocaleString('en')} lines (${round((performance.now() - t0) / 1000, 1)} s; ms orders/lines/analyze/money/commit ${ms.join('/')})`,
      );
    }
    const total = opts.orders + opts.exportParcels;
    // The tenant's order-number sequence (migration 0011) goes on after the seeded numbers.
    const seq = `order_no_${tenantId.replaceAll('-', '')}`;
    await c.query(`CREATE SEQUENCE IF NOT EXISTS ${seq} AS bigint MINVALUE 1`);
    await c.query('SELECT setval($1::regclass, $2)', [seq, total]);
    const tLoad = performance.now();
    await buildIndexes(c, indexes);
    const tIndexes = performance.now();
    await seedHistory(c, tenantId, iso(first), iso(exportDay));
    const tHistory = performance.now();
    // The summaries, a month of orders at a time (about 280,000 at full scale), found by orders_ordered_idx.
    let month = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), 1));
    const end = new Date(exportDay);
    end.setUTCDate(end.getUTCDate() + 1);
    while (month < end) {
      const next = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1));
      const t = performance.now();
      await c.query('BEGIN');
      await c.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
      await c.query(
        `SELECT report_apply_orders(array_agg(o), 1, true) FROM orders o
          WHERE o.tenant_id = $1 AND o.ordered_at >= $2::date AND o.ordered_at < $3::date HAVING count(*) > 0`,
        [tenantId, iso(month), iso(next)],
      );
      await c.query('COMMIT');
      log(`orders seed: summaries of ${iso(month).slice(0, 7)} in ${round((performance.now() - t) / 1000, 1)} s`);
      month = next;
    }
    const tSummaries = performance.now();
    await c.query('BEGIN');
    await c.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
    const folded = await c.query<{ n: string }>('SELECT report_compact() AS n');
    await c.query('COMMIT');
    log(`orders seed: ${folded.rows[0]?.n} summary deltas compacted`);
    const tCompact = performance.now();
    await buildKeptPeriods(c, tenantId);
    const tPeriods = performance.now();
    // FULL for the tables the seed rewrote in bulk (every order UPDATEd once for its money, the
    // summaries written as deltas and compacted): without it they carry a dead row for every live
    // one — orders 8.1 GB of heap for 5.2 GB of rows at full scale — which a database in service,
    // vacuumed as it goes, does not. The lines were only inserted.
    await c.query(
      `VACUUM (FULL, ANALYZE) orders, report_order_days, report_region_days, report_product_days,
       report_customer_days, report_customer_period_sums`,
    );
    await c.query(
      'VACUUM (ANALYZE) order_lines, interactions, interaction_events, customer_stats, customer_purchase_days',
    );
    const tEnd = performance.now();
    // The one-pass summaries against the orders they sum (what the triggers would have made).
    const { rows: check } = await c.query<{
      summary_orders: string;
      orders: string;
      summary_sales: string;
      sales: string;
    }>(
      `SELECT (SELECT sum(orders) FROM report_order_days WHERE tenant_id = $1 AND basis = 'o') AS summary_orders,
              (SELECT sum(sales) FROM report_order_days WHERE tenant_id = $1 AND basis = 'o') AS summary_sales,
              count(*) AS orders,
              sum(o.subtotal - o.discount) - (SELECT coalesce(sum(l.returned_quantity * l.unit_price), 0)
                                                FROM order_lines l JOIN orders x ON x.tenant_id = l.tenant_id AND x.id = l.order_id
                                               WHERE l.tenant_id = $1 AND x.status NOT IN ('cancelled', 'returned')) AS sales
         FROM orders o WHERE o.tenant_id = $1 AND o.status NOT IN ('cancelled', 'returned')`,
      [tenantId],
    );
    const sums = check[0];
    // (Compared as text: bigint comes back as a number once the server's modules set pg's parsers.)
    if (
      !sums ||
      String(sums.summary_orders) !== String(sums.orders) ||
      String(sums.summary_sales) !== String(sums.sales)
    )
      throw new Error(`orders seed: the summaries do not match the orders: ${JSON.stringify(sums)}`);
    log(`orders seed: summaries checked (${sums.orders} orders, ${sums.sales} yen)`);
    const summaryRows: Record<string, number> = {};
    for (const t of ['report_order_days', 'report_region_days', 'report_product_days', 'report_customer_days']) {
      const { rows } = await c.query<{ n: string }>(`SELECT reltuples::bigint AS n FROM pg_class WHERE relname = $1`, [
        t,
      ]);
      summaryRows[t] = Number(rows[0]?.n ?? 0);
    }
    const s = (ms: number) => round(ms / 1000, 1);
    return {
      orders: opts.orders,
      lines,
      firstDay: iso(first),
      lastDay: iso(lastDay),
      exportDay: iso(exportDay),
      exportParcels: opts.exportParcels,
      seconds: {
        masters: s(tMasters - t0),
        load: s(tLoad - tMasters),
        indexes: s(tIndexes - tLoad),
        history: s(tHistory - tIndexes),
        summaries: s(tSummaries - tHistory),
        compact: s(tCompact - tSummaries),
        keptPeriods: s(tPeriods - tCompact),
        vacuumAnalyze: s(tEnd - tPeriods),
        total: s(tEnd - t0),
      },
      ordersPerSecond: Math.round(total / ((tEnd - t0) / 1000)),
      summaryRows,
      method:
        'superuser connection with app.tenant_id set (RLS on) and session_replication_role = replica (no triggers); INSERT … SELECT generate_series, 100,000 orders per statement, then their lines and money; the 対応履歴 entry of each order and the purchase statistics (customer_stats, customer_purchase_days) from them; non-unique indexes dropped and rebuilt; summaries by report_apply_orders() a month of order dates at a time; report_compact(); kept periods of 顧客別売上一覧; summaries checked against the orders; VACUUM (FULL for orders and the summaries) ANALYZE',
    };
  } finally {
    await c.end();
  }
}

/**
 * 顧客別売上一覧's kept periods (0018) of today in Tokyo, as the reports.customer-periods job keeps
 * them: listed and filled in one transaction (no order is written meanwhile).
 */
export async function buildKeptPeriods(c: pg.Client, tenantId: string): Promise<void> {
  for (const p of keptCustomerPeriods(tokyoDate(new Date()))) {
    const t = performance.now();
    await c.query('BEGIN');
    await c.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
    await c.query(
      `INSERT INTO report_customer_periods (tenant_id, period_from, period_to) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING`,
      [tenantId, p.from, p.to],
    );
    const { rows } = await c.query<{ n: string }>('SELECT report_customer_period_fill($1, $2) AS n', [p.from, p.to]);
    await c.query('COMMIT');
    log(`orders seed: ${p.from}..${p.to} kept, ${rows[0]?.n} customers, ${round((performance.now() - t) / 1000, 1)} s`);
  }
}
