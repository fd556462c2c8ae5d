// 定期 demand forecast: units per product per delivery day over the next 30, 60 or 90 days.
//
// How it scales: the subscriptions are read in keyset batches (one query per BATCH rows, their lines
// aggregated into the same query), then each one's schedule is expanded in pure code with
// src/shared/subscriptions/schedule.ts, the one place the rules live (month ends, nth weekdays),
// rather than repeating them in SQL with generate_series. The cost is O(subscriptions + deliveries
// in the window) and memory holds one batch plus the product × day grid. Deliveries whose order is
// already made (generation runs lead days ahead) are no longer in the schedule: they are summed
// in SQL from their orders, so the first days of the window are not left empty.
//
// Counted: active subscriptions, and those paused until a date (from that date on, as generation
// resumes them); a moved next delivery counts on its new day. Not counted: cancelled subscriptions,
// those paused until resumed, cancelled orders, and overdue deliveries before the window.
// Quantities: the subscription's lines, plus the nth-delivery presents of its products
// (product_delivery_presents, as generation adds them).
import { z } from 'zod';
import { tokyoDate } from '../../../shared/calendar.js';
import { addDays, deliveryDate, firstDeliveryOnOrAfter } from '../../../shared/subscriptions/schedule.js';
import type { Database, TenantTx } from '../../db/database.js';
import { cycleOf, type ScheduleColumns, type SubscriptionRow } from './subscriptions.service.js';

export const forecastQuery = z.object({
  days: z.coerce
    .number()
    .int()
    .refine((d) => d === 30 || d === 60 || d === 90, { message: 'days is 30, 60 or 90' })
    .default(30),
  /** The first day (Asia/Tokyo); today when absent. */
  from: z.iso.date().optional(),
});

export const forecastAnswer = z.object({
  from: z.string(),
  to: z.string(),
  /** The window's days, in order; every `units` array is aligned with it. */
  days: z.array(z.string()),
  products: z.array(
    z.object({
      productId: z.uuid(),
      productCode: z.string(),
      productName: z.string(),
      total: z.number().int(),
      /** Of total, the units given as nth-delivery presents. */
      presents: z.number().int(),
      units: z.array(z.number().int()),
    }),
  ),
  /** All products per day. */
  totals: z.array(z.number().int()),
  /** Deliveries counted (already-made orders and scheduled ones). */
  deliveries: z.number().int(),
});
export type Forecast = z.infer<typeof forecastAnswer>;

const BATCH = 2000;

type ScheduleRow = Pick<SubscriptionRow, ScheduleColumns | 'id' | 'status' | 'paused_until'> & {
  lines: [string, number][];
};

/** One subscription's deliveries in [from, to]: their dates and sequence numbers (pure). */
export function deliveriesInWindow(row: ScheduleRow, from: string, to: string): { date: string; seq: number }[] {
  const out: { date: string; seq: number }[] = [];
  if (row.status === 'cancelled' || row.next_delivery_date === null) return out;
  if (row.status === 'paused' && row.paused_until === null) return out;
  const cycle = cycleOf(row);
  const dateOf = (n: number) =>
    n === row.next_n ? (row.next_delivery_date as string) : deliveryDate(row.anchor_date, cycle, n);
  let n = row.next_n;
  if (dateOf(n) < from) n = firstDeliveryOnOrAfter(row.anchor_date, cycle, row.next_n + 1, from);
  for (let date = dateOf(n); date <= to; date = dateOf(++n)) {
    if (date < from || (row.paused_until !== null && date < row.paused_until)) continue;
    out.push({ date, seq: row.deliveries_made + 1 + (n - row.next_n) });
  }
  return out;
}

async function scheduleBatch(tx: TenantTx, to: string, after: string | null): Promise<ScheduleRow[]> {
  return tx.query<ScheduleRow>(
    `SELECT s.id, s.status, s.cycle_every, s.cycle_unit, s.cycle_day_of_month, s.cycle_nth, s.cycle_weekday,
            s.anchor_date::text, s.next_n, s.next_delivery_date::text, s.paused_until::text, s.deliveries_made,
            coalesce((SELECT json_agg(json_build_array(l.product_id, l.quantity) ORDER BY l.line_no)
                        FROM subscription_lines l WHERE l.tenant_id = s.tenant_id AND l.subscription_id = s.id),
                     '[]'::json) AS lines
       FROM subscriptions s
      WHERE s.tenant_id = $1 AND s.next_delivery_date <= $2::date
        AND (s.status = 'active' OR (s.status = 'paused' AND s.paused_until IS NOT NULL))
        AND ($3::uuid IS NULL OR s.id > $3)
      ORDER BY s.id
      LIMIT $4`,
    [tx.tenantId, to, after, BATCH],
  );
}

export async function forecast(
  db: Database,
  ctx: { tenantId: string; now: Date },
  q: { days: number; from?: string },
): Promise<Forecast> {
  const from = q.from ?? tokyoDate(ctx.now);
  const to = addDays(from, q.days - 1);
  const days = Array.from({ length: q.days }, (_, i) => addDays(from, i));
  const index = new Map(days.map((d, i) => [d, i]));
  const grid = new Map<string, { units: number[]; presents: number }>();
  const add = (productId: string, date: string, quantity: number, present: boolean) => {
    const i = index.get(date);
    if (i === undefined) return;
    let cell = grid.get(productId);
    if (!cell) {
      cell = { units: new Array<number>(q.days).fill(0), presents: 0 };
      grid.set(productId, cell);
    }
    cell.units[i] = (cell.units[i] as number) + quantity;
    if (present) cell.presents += quantity;
  };
  let deliveries = 0;

  return db.withTenant(ctx.tenantId, async (tx) => {
    // Deliveries already made into orders: summed in SQL by the delivery day the schedule gave.
    const made = await tx.query<{ d: string; product_id: string; kind: string; quantity: number; orders: number }>(
      `SELECT o.subscription_delivery_date::text AS d, l.product_id, l.kind, sum(l.quantity)::int AS quantity,
              count(DISTINCT o.id)::int AS orders
         FROM orders o JOIN order_lines l ON l.tenant_id = o.tenant_id AND l.order_id = o.id
        WHERE o.tenant_id = $1 AND o.subscription_id IS NOT NULL AND o.status <> 'cancelled'
          AND o.subscription_delivery_date BETWEEN $2::date AND $3::date AND l.kind IN ('item', 'present')
        GROUP BY 1, 2, 3`,
      [tx.tenantId, from, to],
    );
    for (const r of made) add(r.product_id, r.d, r.quantity, r.kind === 'present');
    const [madeCount] = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM orders o
        WHERE o.tenant_id = $1 AND o.subscription_id IS NOT NULL AND o.status <> 'cancelled'
          AND o.subscription_delivery_date BETWEEN $2::date AND $3::date`,
      [tx.tenantId, from, to],
    );
    deliveries += madeCount?.n ?? 0;

    // nth-delivery presents by product: a small master, read once.
    const presentRows = await tx.query<{
      product_id: string;
      delivery_seq: number;
      present_product_id: string;
      quantity: number;
    }>(
      'SELECT product_id, delivery_seq, present_product_id, quantity FROM product_delivery_presents WHERE tenant_id = $1',
      [tx.tenantId],
    );
    const presents = new Map<string, { productId: string; quantity: number }[]>();
    for (const p of presentRows) {
      const key = `${p.product_id}:${p.delivery_seq}`;
      const list = presents.get(key) ?? [];
      list.push({ productId: p.present_product_id, quantity: p.quantity });
      presents.set(key, list);
    }

    // The schedules still to make, batch by batch.
    let after: string | null = null;
    for (;;) {
      const rows = await scheduleBatch(tx, to, after);
      for (const row of rows) {
        for (const d of deliveriesInWindow(row, from, to)) {
          deliveries++;
          for (const [productId, quantity] of row.lines) {
            add(productId, d.date, quantity, false);
            for (const p of presents.get(`${productId}:${d.seq}`) ?? []) add(p.productId, d.date, p.quantity, true);
          }
        }
      }
      const last = rows[rows.length - 1];
      if (rows.length < BATCH || !last) break;
      after = last.id;
    }

    const ids = [...grid.keys()];
    const products =
      ids.length === 0
        ? []
        : await tx.query<{ id: string; code: string; name: string }>(
            'SELECT id, code, name FROM products WHERE tenant_id = $1 AND id = ANY($2::uuid[])',
            [tx.tenantId, ids],
          );
    const totals = new Array<number>(q.days).fill(0);
    const items = products
      .map((p) => {
        const cell = grid.get(p.id) as { units: number[]; presents: number };
        cell.units.forEach((u, i) => {
          totals[i] = (totals[i] as number) + u;
        });
        return {
          productId: p.id,
          productCode: p.code,
          productName: p.name,
          total: cell.units.reduce((a, b) => a + b, 0),
          presents: cell.presents,
          units: cell.units,
        };
      })
      .sort((a, b) => (a.productCode < b.productCode ? -1 : a.productCode > b.productCode ? 1 : 0));
    return { from, to, days, products: items, totals, deliveries };
  });
}
