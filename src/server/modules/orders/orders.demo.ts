// The demo tenant's order history: ~600 orders over the last 12 months, registered tick by tick
// (every few days, createOrders with ctx.now on that day; the 注文 entries of 対応履歴 are written
// by interactions.demo.ts), then shipped with tracking numbers, paid as their payment method pays, some cancelled with a
// reason, a few returned, the older ones completed. Every derived table (report summaries,
// purchase statistics, contacts) follows through the modules' own functions.
// platform/demo/demo.ts drives the ticks: `tick(since, date)` for the days (since, date], oldest first.
import type { Database, TenantTx } from '../../db/database.js';
import type { Actor } from '../../platform/audit/audit.js';
import { addDate, type Rng, tokyoAt } from '../../platform/demo/random.js';
import { applyPayments, type PaymentInput } from '../payments/payments.service.js';
import { createReturn } from '../returns/returns.service.js';
import { markShipped } from '../shipping/shipping.queries.js';
import type { OrderInput } from './orders.pricing.js';
import { cancelOrder, completeOrder, createOrders } from './orders.service.js';

type Customer = { id: string; adMediumId: string | null };
type Env = {
  tenantId: string;
  rng: Rng;
  now: Date;
  /** The desk's staff (the orders' 担当者 and the actors of what they do). */
  staff: { id: string; actor: Actor }[];
  customers: Customer[];
  /** The first day of the history (the growth of the order count runs from it). */
  firstDay: string;
  days: number;
};

const CARRIER_SLOTS = { yamato: ['0812', '1416', '1820'], sagawa: ['12', '18'], japanpost: ['51', '55'] } as const;
type Carrier = keyof typeof CARRIER_SLOTS;

/** Products ordered by hand and how often (the 定期便 and presents come otherwise). */
const MIX: [string, number][] = [
  ['AOJIRU-30', 30],
  ['BLUEBERRY-60', 14],
  ['GLUCOSAMINE-180', 14],
  ['COLLAGEN-10', 12],
  ['SERUM-30', 8],
  ['GEL-50', 12],
  ['CLEANSING-150', 10],
  ['SET-KENKO', 6],
];
const PAYMENTS: [string, number][] = [
  ['COD', 30],
  ['CARD', 30],
  ['ATOBARAI', 20],
  ['BANK', 10],
  ['CVS', 10],
];
const NOTES = ['置き配希望(玄関前)', '不在時は隣家へ', 'ギフト包装希望', '領収書同封希望', '午前中必着でお願いしたい'];

export type OrderDesk = { tick(since: string, date: string, settling: boolean): Promise<void>; orders: number };

export async function demoOrderDesk(db: Database, env: Env): Promise<OrderDesk> {
  const { rng, tenantId } = env;
  const masters = await db.withTenant(tenantId, async (tx) => ({
    products: await tx.query<{ id: string; code: string }>('SELECT id, code FROM products WHERE tenant_id = $1', [
      tenantId,
    ]),
    methods: await tx.query<{ code: string; id: string }>('SELECT code, id FROM payment_methods WHERE tenant_id = $1', [
      tenantId,
    ]),
    reasons: await tx.query<{ id: string; kind: string }>(
      `SELECT id, kind FROM reasons WHERE tenant_id = $1 AND kind IN ('cancel', 'return') ORDER BY code`,
      [tenantId],
    ),
  }));
  const product = new Map(masters.products.map((p) => [p.code, p.id]));
  const method = new Map(masters.methods.map((m) => [m.code, m.id]));
  const mix = MIX.filter(([code]) => product.has(code)).map(([code, w]) => [product.get(code) as string, w] as const);
  const payments = PAYMENTS.filter(([code]) => method.has(code)).map(([c, w]) => [method.get(c) as string, w] as const);
  const cancelReasons = masters.reasons.filter((r) => r.kind === 'cancel').map((r) => r.id);
  const returnReasons = masters.reasons.filter((r) => r.kind === 'return').map((r) => r.id);
  // Regulars order again and again: the first third of the customers is three times as likely.
  const buyers = env.customers.map((c, i) => [c, i < env.customers.length / 3 ? 3 : 1] as const);
  const at = (date: string, hour: number, minute = 0) => {
    const t = tokyoAt(date, hour, minute);
    return t.getTime() > env.now.getTime() ? env.now : t;
  };
  const toReturn = new Map<string, string>(); // order id → the day it comes back
  const desk: OrderDesk = { orders: 0, tick };

  /**
   * The orders of (since, date], registered at once on `date`, and the cancels; with `settling`, the
   * shipping (each order on its ship date), payments, returns and completions up to `date`.
   */
  async function tick(since: string, date: string, settling: boolean): Promise<void> {
    let expected = 0;
    for (let d = addDate(since, 1); d <= date; d = addDate(d, 1)) {
      const progress = (Date.parse(d) - Date.parse(env.firstDay)) / (env.days * 86_400_000);
      const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
      expected += 1.65 * (0.7 + 0.6 * progress) * (weekday === 0 || weekday === 6 ? 0.6 : 1.16);
    }
    const count = Math.floor(expected + rng.next());
    const clerk = rng.pick(env.staff);
    const ctx = { tenantId, actor: clerk.actor, now: at(date, rng.int(9, 19), rng.int(0, 59)) };
    const inputs = Array.from({ length: count }, () => orderInput(rng.weighted(buyers), rng.pick(env.staff).id));
    const made = count > 0 ? await db.withTenant(tenantId, (tx) => createOrders(tx, ctx, inputs)) : [];
    const cancels: string[] = [];
    for (const r of made) {
      if (!r.ok) continue; // out of stock: the customer was told so on the phone
      desk.orders++;
      if (rng.chance(0.07)) cancels.push(r.id);
      else if (rng.chance(0.012)) toReturn.set(r.id, '');
    }
    for (const id of cancels) {
      await cancelOrder(db, { tenantId, actor: clerk.actor, now: at(date, 20) }, id, {
        reasonId: rng.pick(cancelReasons),
        note: rng.chance(0.5) ? 'お電話にてキャンセルのご連絡' : undefined,
      });
    }
    if (!settling) return;
    await db.withTenant(tenantId, async (tx) => {
      await ship(tx, date);
      await settle(tx, date);
    });
    await returnsAndCompletion(date);
  }

  function orderInput(customer: Customer, staffId: string): OrderInput {
    const lines = new Map<string, number>();
    const n = rng.weighted([
      [1, 60],
      [2, 30],
      [3, 10],
    ] as const);
    for (let k = 0; k < n; k++) lines.set(rng.weighted(mix), rng.chance(0.8) ? 1 : 2);
    const carrier = rng.weighted<Carrier>([
      ['yamato', 60],
      ['sagawa', 25],
      ['japanpost', 15],
    ]);
    const channel = rng.weighted<NonNullable<OrderInput['channel']>>([
      ['phone', 60],
      ['web', 25],
      ['fax', 5],
      ['mail', 10],
    ]);
    return {
      customerId: customer.id,
      lines: [...lines].map(([productId, quantity]) => ({ productId, quantity })),
      paymentMethodId: rng.weighted(payments),
      carrier,
      channel,
      ...(rng.chance(0.3) ? { deliveryTimeSlot: rng.pick(CARRIER_SLOTS[carrier]) } : {}),
      ...(channel === 'phone' ? { staffId } : {}),
      ...(customer.adMediumId && rng.chance(0.6) ? { adMediumId: customer.adMediumId } : {}),
      ...(rng.chance(0.08) ? { note: rng.pick(NOTES) } : {}),
    };
  }

  /** 出荷: every order due to ship by `date` goes out at five in the afternoon of its ship date, tracked. */
  async function ship(tx: TenantTx, date: string) {
    const due = await tx.query<{ id: string; carrier: Carrier; ship_date: string }>(
      `SELECT id, carrier, ship_date::text FROM orders
        WHERE tenant_id = $1 AND status IN ('received', 'instructed') AND ship_date <= $2::date
        ORDER BY ship_date, number`,
      [tenantId, date],
    );
    const actor = (env.staff[0] as { actor: Actor }).actor;
    for (const day of [...new Set(due.map((o) => o.ship_date))])
      for (const carrier of Object.keys(CARRIER_SLOTS) as Carrier[]) {
        const items = due
          .filter((o) => o.ship_date === day && o.carrier === carrier)
          .map((o) => ({ id: o.id, trackingNumber: rng.digits(12, carrier === 'japanpost' ? '1' : '345') }));
        if (items.length > 0) await markShipped(tx, items, carrier, at(day, 17), actor);
      }
    for (const id of toReturn.keys()) if (due.some((o) => o.id === id)) toReturn.set(id, addDate(date, rng.int(5, 12)));
  }

  /**
   * 入金: COD on delivery, prepaid bank transfers and convenience-store payments three days after
   * the order, deferred payments ten days after delivery; one order in twenty-three stays unpaid
   * (the dunning list has something to show).
   */
  async function settle(tx: TenantTx, date: string) {
    const due = await tx.query<{ id: string; customer_id: string; payment_kind: PaymentInput['method']; due: number }>(
      `SELECT id, customer_id, payment_kind, (total - paid_amount)::int AS due FROM orders
        WHERE tenant_id = $1 AND status NOT IN ('cancelled', 'returned') AND total > paid_amount AND number % 23 <> 0
          AND ((payment_kind = 'cod' AND status IN ('shipped', 'completed') AND delivery_date <= $2::date)
            OR (payment_kind IN ('bank_transfer', 'convenience') AND order_date <= $2::date - 3)
            OR (payment_kind = 'deferred' AND status IN ('shipped', 'completed') AND delivery_date <= $2::date - 10)
            OR (payment_kind = 'card' AND order_date <= $2::date))
        ORDER BY number`,
      [tenantId, date],
    );
    const ctx = { tenantId, actor: (env.staff[0] as { actor: Actor }).actor, now: at(date, 15) };
    await applyPayments(
      tx,
      ctx,
      due.map((o) => ({
        kind: 'receipt' as const,
        orderId: o.id,
        customerId: o.customer_id,
        amount: o.due,
        method: o.payment_kind,
        paidOn: date,
        source: 'manual' as const,
      })),
    );
  }

  /**
   * The returns that come back by `date`, and 完了 for some of the orders delivered and paid two weeks
   * ago (one in ten: completing is one transaction each, and the first start should stay fast).
   */
  async function returnsAndCompletion(date: string) {
    const actor = (env.staff[0] as { actor: Actor }).actor;
    const ctx = { tenantId, actor, now: at(date, 16) };
    for (const [id, on] of toReturn) {
      if (on === '' || on > date) continue;
      toReturn.delete(id);
      const lines = await db.withTenant(tenantId, (tx) =>
        tx.query<{ line_no: number; quantity: number }>(
          `SELECT line_no, quantity FROM order_lines WHERE tenant_id = $1 AND order_id = $2 AND kind = 'item' ORDER BY line_no`,
          [tenantId, id],
        ),
      );
      await createReturn(db, ctx, id, {
        reasonId: rng.pick(returnReasons),
        receivedOn: date,
        lines: lines.map((l) => ({ lineNo: l.line_no, quantity: l.quantity })),
        restock: true,
        resolution: 'refund',
        note: '返品受付・返金手続き済み',
      });
    }
    const done = await db.withTenant(tenantId, (tx) =>
      tx.query<{ id: string }>(
        `SELECT id FROM orders WHERE tenant_id = $1 AND status = 'shipped' AND paid_amount >= total
            AND delivery_date <= $2::date - 14 AND number % 10 = 0 ORDER BY number`,
        [tenantId, date],
      ),
    );
    for (const o of done) await completeOrder(db, ctx, o.id);
  }

  return desk;
}
