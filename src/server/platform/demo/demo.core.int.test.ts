// The demo data set: a year of customers, orders, 定期便, 対応履歴, cases and FAQ written through
// the modules' own functions, so that the lists and reports a new user opens are not empty — and
// a second seeding adds nothing. Runs on PGlite and PostgreSQL.
import { beforeAll, describe, expect, it } from 'vitest';
import { auth, dbOf, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';
import { seedDemo } from './demo.js';

const NOW = new Date('2026-05-01T03:00:00Z');
const FROM = '2025-05-01';
const TO = '2026-05-01';

let app: TestApp;
let t: TestTenant;
let first: Awaited<ReturnType<typeof seedDemo>>;

beforeAll(async () => {
  app = await testApp();
  t = await makeTenant(app);
  first = await seedDemo(dbOf(app), t.tenantId, { password: 'demo-password-123', now: NOW });
}, 300_000);

const get = async (url: string) => {
  const res = await app.inject({ method: 'GET', url: `/api/v1${url}`, headers: auth(t.adminToken) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

async function counts() {
  return dbOf(app).withTenant(t.tenantId, async (tx) => {
    const [row] = await tx.query<Record<string, number>>(
      `SELECT (SELECT count(*) FROM customers WHERE tenant_id = $1)::int AS customers,
              (SELECT count(*) FROM orders WHERE tenant_id = $1 AND kind = 'normal')::int AS orders,
              (SELECT count(*) FROM orders WHERE tenant_id = $1 AND kind = 'subscription')::int AS deliveries,
              (SELECT count(*) FROM orders WHERE tenant_id = $1 AND status = 'cancelled' AND cancel_reason_id IS NOT NULL)::int AS cancelled,
              (SELECT count(*) FROM orders WHERE tenant_id = $1 AND status IN ('shipped', 'completed') AND tracking_number IS NOT NULL)::int AS shipped,
              (SELECT count(*) FROM orders WHERE tenant_id = $1 AND status = 'completed')::int AS completed,
              (SELECT count(*) FROM returns WHERE tenant_id = $1)::int AS returns,
              (SELECT count(*) FROM payments WHERE tenant_id = $1)::int AS payments,
              (SELECT count(*) FROM subscriptions WHERE tenant_id = $1)::int AS subscriptions,
              (SELECT count(*) FROM subscriptions WHERE tenant_id = $1 AND status = 'cancelled' AND cancel_reason_id IS NOT NULL)::int AS subs_cancelled,
              (SELECT count(*) FROM interactions WHERE tenant_id = $1)::int AS interactions,
              (SELECT count(*) FROM interactions i JOIN interaction_kinds k ON k.tenant_id = i.tenant_id AND k.id = i.kind_id
                WHERE i.tenant_id = $1 AND k.code IN ('inquiry', 'complaint', 'subscription_change'))::int AS contacts,
              (SELECT count(*) FROM cases WHERE tenant_id = $1)::int AS cases,
              (SELECT count(*) FROM faq_articles WHERE tenant_id = $1 AND published)::int AS faq,
              (SELECT count(DISTINCT date_trunc('month', order_date)) FROM orders WHERE tenant_id = $1)::int AS months`,
      [t.tenantId],
    );
    return row as Record<string, number>;
  });
}

describe('demo data', () => {
  it('holds customers, a year of orders and 定期便, 対応履歴, cases and FAQ', async () => {
    const c = await counts();
    expect(c.customers).toBe(120);
    expect(c.orders).toBeGreaterThanOrEqual(500);
    expect(c.orders).toBeLessThanOrEqual(700);
    expect(c.months).toBeGreaterThanOrEqual(12);
    expect(c.deliveries).toBeGreaterThan(150);
    expect(c.cancelled).toBeGreaterThanOrEqual(20);
    expect(c.shipped).toBeGreaterThan(400);
    expect(c.completed).toBeGreaterThan(20);
    expect(c.returns).toBeGreaterThanOrEqual(2);
    expect(c.payments).toBeGreaterThan(400);
    expect(c.subscriptions).toBe(60);
    expect(c.subs_cancelled).toBeGreaterThanOrEqual(10);
    expect(c.contacts).toBeGreaterThanOrEqual(180);
    expect(c.cases).toBe(5);
    expect(c.faq).toBe(10);
    expect(first.data).toMatchObject({ customers: 120, subscriptions: 60, cases: 5, faq: 10 });

    const customers = (await get('/customers?limit=500')).items as { phones: unknown[]; alert: string | null }[];
    expect(customers).toHaveLength(120);
    expect(customers.every((x) => x.phones.length >= 1)).toBe(true);
    expect(customers.filter((x) => x.alert).length).toBeGreaterThanOrEqual(3);
    const cases = (await get('/cases?status=open,in_progress,waiting')).items as { dueAt: string }[];
    expect(cases).toHaveLength(5);
    // Overdue by the seeding's clock (the server's own clock is today's).
    expect(cases.filter((x) => Date.parse(x.dueAt) < NOW.getTime())).toHaveLength(1);
    expect((await get(`/faq?q=${encodeURIComponent('送料')}`)).items.length).toBeGreaterThanOrEqual(1);
  });

  it('answers the retention reports with real rates', async () => {
    const nth = await get(`/reports/subscriptions/continuation?from=${FROM}&to=${TO}`);
    expect(nth.total.started).toBeGreaterThanOrEqual(50);
    const rate2 = nth.rows.find((r: { n: number }) => r.n === 2).rate as number;
    expect(rate2).toBeGreaterThan(0.3);
    expect(rate2).toBeLessThan(1);
    const ltv = await get(`/reports/subscriptions/ltv?from=${FROM}&to=${TO}`);
    expect(ltv.total.revenue).toBeGreaterThan(0);
    expect(ltv.total.averageDeliveries).toBeGreaterThan(1);
    const cancellations = await get(`/reports/subscriptions/cancellations?from=${FROM}&to=${TO}`);
    expect(cancellations.total.count).toBeGreaterThanOrEqual(10);
    expect(cancellations.reasons.filter((r: { reasonId: string | null }) => r.reasonId).length).toBeGreaterThan(1);
  });

  it('answers the sales reports with non-zero totals', async () => {
    const staff = await get(`/reports/sales/customer-sales?from=${FROM}&to=${TO}`);
    expect(staff.total.sales).toBeGreaterThan(1_000_000);
    const regions = await get(`/reports/sales/region-sales-shipping?from=${FROM}&to=${TO}`);
    expect(regions.rows.length).toBeGreaterThanOrEqual(10);
    const products = await get(`/reports/sales/product-shipments?from=${FROM}&to=${TO}`);
    expect(products.total.units).toBeGreaterThan(500);
  });

  it('seeds only once', async () => {
    const before = await counts();
    const again = await seedDemo(dbOf(app), t.tenantId, {
      password: 'demo-password-123',
      now: new Date('2026-05-02T03:00:00Z'),
    });
    expect(again.data).toBeNull();
    expect(await counts()).toEqual(before);
  });
});
