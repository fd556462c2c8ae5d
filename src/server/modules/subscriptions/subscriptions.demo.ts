// The demo tenant's 定期便: ~60 subscriptions started over the last 12 months (monthly and
// bi-monthly), each created on its day (createSubscription with ctx.now then), their deliveries
// made tick by tick by the generator itself (generateDue), a few skips and pauses, and ~15
// cancelled with a reason after a few deliveries — so that the retention reports (continuation,
// LTV, cancellations) draw real curves. platform/demo/demo.ts drives the ticks, oldest first,
// before the order desk's tick (which ships and bills the generated orders too).
import type { Database } from '../../db/database.js';
import { type Actor, SYSTEM_ACTOR } from '../../platform/audit/audit.js';
import { addDate, type Rng, tokyoAt } from '../../platform/demo/random.js';
import { generateDue } from './generate.js';
import { cancel, createSubscription, pause, skipNext } from './subscriptions.service.js';

type Env = {
  tenantId: string;
  rng: Rng;
  now: Date;
  staff: { id: string; actor: Actor }[];
  customers: { id: string; adMediumId: string | null }[];
  firstDay: string;
  days: number;
  count: number;
};

type Plan = {
  start: string;
  customerId: string;
  adMediumId: string | null;
  /** Cancelled after this many deliveries (null: keeps going). */
  cancelAfter: number | null;
  /** Skips the delivery after this many (null: never). */
  skipAfter: number | null;
  pauseAfter: number | null;
  id?: string;
  made: number;
  done: boolean;
};

export type SubscriptionDesk = {
  tick(since: string, date: string, generate: boolean): Promise<void>;
  subscriptions: number;
  cancelled: number;
};

export async function demoSubscriptions(db: Database, env: Env): Promise<SubscriptionDesk> {
  const { rng, tenantId } = env;
  const masters = await db.withTenant(tenantId, async (tx) => ({
    products: await tx.query<{ id: string; code: string }>(
      `SELECT id, code FROM products WHERE tenant_id = $1 AND kind = 'subscription' ORDER BY code`,
      [tenantId],
    ),
    methods: await tx.query<{ id: string; code: string }>(
      `SELECT id, code FROM payment_methods WHERE tenant_id = $1 AND code IN ('CARD', 'ATOBARAI', 'COD') ORDER BY code`,
      [tenantId],
    ),
    reasons: await tx.query<{ id: string }>(
      `SELECT id FROM reasons WHERE tenant_id = $1 AND kind = 'subscription_cancel' AND active ORDER BY code`,
      [tenantId],
    ),
  }));
  if (masters.products.length === 0 || masters.reasons.length === 0) {
    return { tick: async () => {}, subscriptions: 0, cancelled: 0 };
  }
  // Distinct subscribers; starts spread over the year (a few more lately), in date order.
  const subscribers = [...env.customers];
  for (let i = subscribers.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [subscribers[i], subscribers[j]] = [
      subscribers[j] as Env['customers'][number],
      subscribers[i] as Env['customers'][number],
    ];
  }
  subscribers.length = Math.min(subscribers.length, env.count);
  const plans: Plan[] = subscribers
    .map((c, i) => ({
      start: addDate(env.firstDay, 1 + Math.floor(Math.sqrt(rng.next()) * (env.days - 12))),
      customerId: c.id,
      adMediumId: c.adMediumId,
      // One in four cancels, most of them early (the curve falls steepest after deliveries 1–3).
      cancelAfter:
        i % 4 === 1
          ? rng.weighted([
              [1, 4],
              [2, 3],
              [3, 2],
              [4, 1],
              [6, 1],
            ] as const)
          : null,
      skipAfter: i % 9 === 2 ? rng.int(1, 3) : null,
      pauseAfter: i % 13 === 4 ? 2 : null,
      made: 0,
      done: false,
    }))
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const at = (date: string, hour: number) => {
    const t = tokyoAt(date, hour, rng.int(0, 59));
    return t.getTime() > env.now.getTime() ? env.now : t;
  };
  const desk: SubscriptionDesk = { tick, subscriptions: 0, cancelled: 0 };

  /** What happened in (since, date]: the generator (when asked), new subscriptions, changes. */
  async function tick(since: string, date: string, generate: boolean): Promise<void> {
    if (generate) {
      const result = await generateDue(db, { date, now: at(date, 2), tenantId, actor: SYSTEM_ACTOR });
      for (const o of result.orders) {
        const plan = plans.find((p) => p.id === o.subscriptionId);
        if (plan) plan.made++;
      }
    }
    for (const plan of plans) {
      if (!plan.id && plan.start > since && plan.start <= date) await start(plan, date);
      if (!plan.id || plan.done) continue;
      const change = { db, ctx: { tenantId, actor: rng.pick(env.staff).actor, now: at(date, 14) }, id: plan.id };
      if (plan.cancelAfter !== null && plan.made >= plan.cancelAfter) {
        await cancel(change, {
          reasonId: rng.pick(masters.reasons).id,
          acknowledgeCommitment: true,
          note: rng.chance(0.5) ? 'お電話にて解約のお申し出。引き止めのご案内済み。' : undefined,
        });
        plan.done = true;
        desk.cancelled++;
      } else if (plan.skipAfter !== null && plan.made >= plan.skipAfter) {
        await skipNext(change);
        plan.skipAfter = null;
      } else if (plan.pauseAfter !== null && plan.made >= plan.pauseAfter) {
        await pause(change, addDate(date, 40));
        plan.pauseAfter = null;
      }
    }
  }

  async function start(plan: Plan, date: string) {
    const product = masters.products[desk.subscriptions % masters.products.length] as { id: string };
    const bimonthly = rng.chance(0.3);
    const created = await createSubscription(
      db,
      { tenantId, actor: rng.pick(env.staff).actor, now: at(date, 11) },
      {
        customerId: plan.customerId,
        lines: [{ productId: product.id, quantity: rng.chance(0.85) ? 1 : 2 }],
        cycle: bimonthly ? { every: 2, unit: 'month' } : { every: 1, unit: 'month' },
        firstDeliveryDate: addDate(date, rng.int(5, 10)),
        paymentMethodId: rng.pick(masters.methods).id,
        carrier: 'yamato',
        ...(plan.adMediumId ? { adMediumId: plan.adMediumId } : {}),
        ...(rng.chance(0.3) ? { minDeliveries: 3 } : {}),
      },
    );
    plan.id = created.id;
    desk.subscriptions++;
  }

  return desk;
}
