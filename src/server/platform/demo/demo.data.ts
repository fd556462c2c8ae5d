// The demo tenant's business history, so that every list and report a new user opens has
// something in it: customers, a year of orders and 定期便 day by day (oldest first, each module's
// own functions with ctx.now on that day), 対応履歴, open cases and the FAQ. Deterministic (one
// seeded Rng), dates relative to `now`. Does nothing when the tenant has customers already.
import { tokyoDate } from '../../../shared/calendar.js';
import type { Database } from '../../db/database.js';
import { seedCasesDemo } from '../../modules/cases/cases.demo.js';
import { seedCustomersDemo } from '../../modules/customers/customers.demo.js';
import { seedFaqDemo } from '../../modules/faq/faq.demo.js';
import { seedInteractionsDemo, seedOrderEntriesDemo } from '../../modules/interactions/interactions.demo.js';
import { demoOrderDesk } from '../../modules/orders/orders.demo.js';
import { demoSubscriptions } from '../../modules/subscriptions/subscriptions.demo.js';
import type { Actor } from '../audit/audit.js';
import { addDate, seededRng } from './random.js';

const DAYS = 365;
const TICK = 3;

export type DemoDataResult = {
  customers: number;
  orders: number;
  subscriptions: number;
  cancelledSubscriptions: number;
  openEntries: number;
  cases: number;
  faq: number;
};

export async function seedDemoData(db: Database, tenantId: string, now: Date): Promise<DemoDataResult | null> {
  const staffRows = await db.withTenant(tenantId, async (tx) => {
    const [has] = await tx.query('SELECT 1 FROM customers WHERE tenant_id = $1 LIMIT 1', [tenantId]);
    if (has) return null;
    return tx.query<{ id: string; name: string; role: string }>(
      `SELECT id, name, role FROM users WHERE tenant_id = $1 AND role IN ('supervisor', 'operator') AND active
        ORDER BY email`,
      [tenantId],
    );
  });
  if (!staffRows || staffRows.length === 0) return null;
  const rng = seededRng(20240401);
  const staff = staffRows.map((u) => ({
    id: u.id,
    supervisor: u.role === 'supervisor',
    actor: { type: 'user', id: u.id, label: u.name, requestId: null, ip: null } satisfies Actor,
  }));
  const today = tokyoDate(now);
  const firstDay = addDate(today, -DAYS);
  const customers = await seedCustomersDemo(db, tenantId, {
    now: new Date(now.getTime() - (DAYS + 30) * 86_400_000),
    rng,
    actor: (staff[0] as { actor: Actor }).actor,
    count: 120,
    staffIds: staff.map((s) => s.id),
  });
  const env = { tenantId, rng, now, staff, customers, firstDay, days: DAYS };
  const subscriptions = await demoSubscriptions(db, { ...env, count: 60 });
  const desk = await demoOrderDesk(db, env);
  // Every TICK days (and today): what came in since the last tick, at once (batches keep the first
  // start fast); the generator, the warehouse and the bank come on every other tick (the generator
  // stays within the week's lead time: no delivery is late).
  let since = firstDay;
  for (let d = TICK, n = 0; d < DAYS + TICK; d += TICK, n++) {
    const date = addDate(firstDay, Math.min(d, DAYS));
    const other = n % 2 === 1 || d >= DAYS;
    await subscriptions.tick(since, date, other);
    await desk.tick(since, date, other);
    since = date;
  }
  await seedOrderEntriesDemo(db, tenantId);
  const open = await seedInteractionsDemo(db, tenantId, { now, rng, days: DAYS, staff, customers });
  const cases = await seedCasesDemo(db, tenantId, { now, rng, entries: open, staff, count: 5 });
  const faq = await seedFaqDemo(db, tenantId, { now, actor: (staff[0] as { actor: Actor }).actor });
  return {
    customers: customers.length,
    orders: desk.orders,
    subscriptions: subscriptions.subscriptions,
    cancelledSubscriptions: subscriptions.cancelled,
    openEntries: open.length,
    cases,
    faq,
  };
}
