// 定期: CONTRACTS.md routes, changes during the call with their 定期変更 trail, and generation
// exactly once (repeat runs, two concurrent generators, catch-up after downtime, exceptions).
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.js';
import { crossTenantKit } from '../../test/cross-tenant.js';
import { auth, dbOf, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';
import { generateDue } from './generate.js';

// 2030-04-01 is a Monday.
const T0 = new Date('2030-04-01T10:00:00+09:00');
const clock = new ManualClock(T0);
let app: TestApp;
let t: TestTenant;
let operator: string;
let aojiru: string;
let present: string;

async function post(url: string, payload: unknown, token = operator, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url: `/api/v1${url}`,
    headers: { ...auth(token), ...headers },
    payload: payload as object,
  });
}
async function get(url: string, token = operator) {
  return app.inject({ method: 'GET', url: `/api/v1${url}`, headers: auth(token) });
}

async function product(token: string, body: Record<string, unknown>): Promise<string> {
  const res = await post('/products', body, token);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

let phoneSeq = 0;
async function customer(token = t.adminToken, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await post(
    '/customers',
    {
      name: '定期 花子',
      phones: [{ number: `090${20_000_000 + phoneSeq++}`, kind: 'mobile' }],
      postalCode: '150-0001',
      prefecture: '東京都',
      city: '渋谷区',
      address1: '神宮前1-1-1',
      ...extra,
    },
    token,
  );
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

async function subscribe(body: Record<string, unknown>, token = operator) {
  const res = await post('/subscriptions', body, token);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function interactions(customerId: string) {
  const res = await get(`/customers/${customerId}/interactions?limit=50`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items as { subject: string | null; body: string; kindName?: string }[];
}

beforeAll(async () => {
  app = await testApp({ clock });
  t = await makeTenant(app);
  operator = await t.token('operator');
  aojiru = await product(t.adminToken, {
    code: 'AOJIRU-T',
    name: '青汁 定期便',
    unitPrice: 3240,
    taxRate: 8,
    kind: 'subscription',
  });
  present = await product(t.adminToken, {
    code: 'SHAKER',
    name: 'シェイカー',
    unitPrice: 0,
    taxRate: 10,
    kind: 'present',
  });
});

describe('POST /subscriptions and the schedule (CONTRACTS.md)', () => {
  it('creates a monthly subscription and keeps its day of month, falling back to the month’s last day', async () => {
    const customerId = await customer();
    const s = await subscribe({
      customerId,
      lines: [{ productId: aojiru, quantity: 2 }],
      cycle: { every: 1, unit: 'month' },
      firstDeliveryDate: '2030-05-31',
    });
    expect(s).toMatchObject({
      status: 'active',
      nextDeliveryDate: '2030-05-31',
      cycleLabel: '毎月 末日',
      deliveriesMade: 0,
    });
    const sch = await get(`/subscriptions/${s.id}/schedule?count=4`);
    expect(sch.json().dates).toEqual(['2030-05-31', '2030-06-30', '2030-07-31', '2030-08-31']);
    const feb = await subscribe({
      customerId,
      lines: [{ productId: aojiru, quantity: 1 }],
      cycle: { every: 1, unit: 'month', dayOfMonth: 31 },
      firstDeliveryDate: '2031-01-31',
    });
    expect((await get(`/subscriptions/${feb.id}/schedule?count=3`)).json().dates).toEqual([
      '2031-01-31',
      '2031-02-28',
      '2031-03-31',
    ]);
  });

  it('counts weekly cycles from the first delivery and knows "every 2 months on the 2nd Tuesday"', async () => {
    const customerId = await customer();
    const w = await subscribe({
      customerId,
      lines: [{ productId: aojiru, quantity: 1 }],
      cycle: { every: 2, unit: 'week' },
      firstDeliveryDate: '2030-04-12',
    });
    expect((await get(`/subscriptions/${w.id}/schedule?count=3`)).json().dates).toEqual([
      '2030-04-12',
      '2030-04-26',
      '2030-05-10',
    ]);
    const m = await subscribe({
      customerId,
      lines: [{ productId: aojiru, quantity: 1 }],
      cycle: { every: 2, unit: 'month', weekday: { nth: 2, day: 2 } },
      firstDeliveryDate: '2030-04-09',
    });
    expect(m.cycleLabel).toBe('2か月ごと 第2火曜日');
    // June 2030: Tuesdays 4, 11 …; August 2030: 6, 13 …
    expect((await get(`/subscriptions/${m.id}/schedule?count=3`)).json().dates).toEqual([
      '2030-04-09',
      '2030-06-11',
      '2030-08-13',
    ]);
  });

  it('refuses a first delivery in the past, an unknown product, a bad cycle, with the field named', async () => {
    const customerId = await customer();
    const past = await post('/subscriptions', {
      customerId,
      lines: [{ productId: aojiru, quantity: 1 }],
      cycle: { every: 1, unit: 'month' },
      firstDeliveryDate: '2030-03-31',
    });
    expect(past.statusCode).toBe(422);
    expect(past.json().errors[0].path).toBe('firstDeliveryDate');
    const unknown = await post('/subscriptions', {
      customerId,
      lines: [
        { productId: aojiru, quantity: 1 },
        { productId: randomUUID(), quantity: 1 },
      ],
      cycle: { every: 1, unit: 'month' },
      firstDeliveryDate: '2030-05-01',
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors[0].path).toBe('lines.1.productId');
    const cycle = await post('/subscriptions', {
      customerId,
      lines: [{ productId: aojiru, quantity: 1 }],
      cycle: { every: 1, unit: 'week', dayOfMonth: 3 },
      firstDeliveryDate: '2030-05-01',
    });
    expect(cycle.statusCode).toBe(400);
    expect(JSON.stringify(cycle.json().errors)).toContain('cycle');
  });
});

describe('changes during the call', () => {
  it('skips, moves, pauses, resumes and changes the cycle, each with a 定期変更 entry and history', async () => {
    const customerId = await customer();
    const s = await subscribe({
      customerId,
      lines: [{ productId: aojiru, quantity: 1 }],
      cycle: { every: 1, unit: 'month', dayOfMonth: 10 },
      firstDeliveryDate: '2030-04-10',
    });
    const skip = await post(`/subscriptions/${s.id}/skip`, {});
    expect(skip.statusCode, skip.body).toBe(200);
    expect(skip.json()).toMatchObject({ nextDeliveryDate: '2030-05-10', deliveriesSkipped: 1 });

    const move = await post(`/subscriptions/${s.id}/move`, { date: '2030-05-14' });
    expect(move.json()).toMatchObject({ nextDeliveryDate: '2030-05-14', nextDeliveryMoved: true });
    expect((await get(`/subscriptions/${s.id}/schedule?count=2`)).json().dates).toEqual(['2030-05-14', '2030-06-10']);
    const tooLate = await post(`/subscriptions/${s.id}/move`, { date: '2030-06-10' });
    expect(tooLate.statusCode).toBe(422);

    const pause = await post(`/subscriptions/${s.id}/pause`, { until: '2030-07-01' });
    expect(pause.json()).toMatchObject({ status: 'paused', pausedUntil: '2030-07-01', nextDeliveryDate: '2030-07-10' });
    const resume = await post(`/subscriptions/${s.id}/resume`, {});
    expect(resume.json()).toMatchObject({ status: 'active', pausedUntil: null, nextDeliveryDate: '2030-07-10' });

    const stale = await app.inject({
      method: 'PATCH',
      url: `/api/v1/subscriptions/${s.id}`,
      headers: { ...auth(operator), 'if-match': `"${s.version}"` },
      payload: { cycle: { every: 2, unit: 'month' } },
    });
    expect(stale.statusCode).toBe(412);
    const changed = await app.inject({
      method: 'PATCH',
      url: `/api/v1/subscriptions/${s.id}`,
      headers: { ...auth(operator), 'if-match': `"${resume.json().version}"` },
      payload: { cycle: { every: 2, unit: 'month' }, lines: [{ productId: aojiru, quantity: 3 }] },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ cycleLabel: '2か月ごと 10日', nextDeliveryDate: '2030-07-10' });
    expect((await get(`/subscriptions/${s.id}/schedule?count=3`)).json().dates).toEqual([
      '2030-07-10',
      '2030-09-10',
      '2030-11-10',
    ]);

    const history = (await get(`/subscriptions/${s.id}/history`)).json().items.map((e: { kind: string }) => e.kind);
    expect(history).toEqual(['changed', 'resumed', 'paused', 'moved', 'skipped', 'created']);
    const entries = await interactions(customerId);
    const subjects = entries.map((e) => e.subject);
    expect(subjects).toEqual(
      expect.arrayContaining([
        `定期 #${s.number} 申込`,
        `定期 #${s.number} 次回お届けスキップ`,
        `定期 #${s.number} 次回お届け日変更`,
        `定期 #${s.number} 休止`,
        `定期 #${s.number} 再開`,
        `定期 #${s.number} 内容変更`,
      ]),
    );
    const change = entries.find((e) => e.subject === `定期 #${s.number} 内容変更`);
    expect(change?.body).toContain('周期: 毎月 10日 → 2か月ごと 10日');
    expect(change?.body).toContain('青汁 定期便×1 → 青汁 定期便×3');
  });

  it('warns with the remaining count when cancelling under the agreed minimum, then cancels with a reason', async () => {
    const customerId = await customer();
    const s = await subscribe({
      customerId,
      lines: [{ productId: aojiru, quantity: 1 }],
      cycle: { every: 1, unit: 'month' },
      firstDeliveryDate: '2030-04-20',
      minDeliveries: 3,
    });
    const warned = await post(`/subscriptions/${s.id}/cancel`, {});
    expect(warned.statusCode).toBe(409);
    expect(warned.json().errors[0]).toMatchObject({ path: 'acknowledgeCommitment', code: 'commitment_not_met' });
    expect(warned.json().errors[0].message).toContain('残り 3 回');
    const ok = await post(`/subscriptions/${s.id}/cancel`, { acknowledgeCommitment: true });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'cancelled', nextDeliveryDate: null });
    expect((await get(`/subscriptions/${s.id}/schedule?count=3`)).json().dates).toEqual([]);
    expect((await post(`/subscriptions/${s.id}/skip`, {})).statusCode).toBe(409);
  });

  it('is the desk’s: a technician gets 403, another tenant 404', async () => {
    const tech = await t.token('technician');
    expect((await get('/subscriptions', tech)).statusCode).toBe(403);
    const b = await makeTenant(app);
    const bProduct = await product(b.adminToken, { code: 'B-1', name: '他社商品', unitPrice: 1000, taxRate: 10 });
    const bCustomer = await customer(b.adminToken);
    const aCustomer = await customer();
    await crossTenantKit(app, t, b).expectIsolated({
      create: async (token) =>
        (
          await subscribe(
            {
              customerId: token === t.adminToken ? aCustomer : bCustomer,
              lines: [{ productId: token === t.adminToken ? aojiru : bProduct, quantity: 1 }],
              cycle: { every: 1, unit: 'month' },
              firstDeliveryDate: '2030-06-01',
            },
            token,
          )
        ).id,
      read: (id) => `/api/v1/subscriptions/${id}`,
      list: '/api/v1/subscriptions',
      writes: (id) => [
        { method: 'POST', url: `/api/v1/subscriptions/${id}/skip`, payload: {} },
        { method: 'POST', url: `/api/v1/subscriptions/${id}/cancel`, payload: {} },
        { method: 'PATCH', url: `/api/v1/subscriptions/${id}`, payload: { note: 'x' } },
        { method: 'GET', url: `/api/v1/subscriptions/${id}/schedule` },
      ],
    });
  });
});

describe('generation, exactly once', () => {
  async function ordersOf(subscriptionId: string) {
    const res = await get(`/orders?subscriptionId=${subscriptionId}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items as {
      id: string;
      status: string;
      total: number;
      lines: { productId: string; unitPrice: number; quantity: number }[];
    }[];
  }

  it('makes each due delivery once, however often and concurrently it runs, and advances the schedule', async () => {
    const g = await makeTenant(app);
    const op = await g.token('operator');
    const p = await product(g.adminToken, {
      code: 'SUPP',
      name: 'サプリ',
      unitPrice: 4000,
      taxRate: 8,
      kind: 'subscription',
    });
    const c = await customer(g.adminToken);
    const subs = [];
    for (let i = 0; i < 6; i++)
      subs.push(
        await subscribe(
          {
            customerId: c,
            lines: [{ productId: p, quantity: 1 }],
            cycle: { every: 1, unit: 'month' },
            firstDeliveryDate: '2030-04-08',
          },
          op,
        ),
      );
    const db = dbOf(app);
    // Lead days 7: deliveries on 2030-04-08 are due from 2030-04-01.
    const early = await generateDue(db, { date: '2030-03-31', now: T0, tenantId: g.tenantId });
    expect(early.generated).toBe(0);
    const runs = await Promise.all([
      generateDue(db, { date: '2030-04-01', now: T0, tenantId: g.tenantId }),
      generateDue(db, { date: '2030-04-01', now: T0, tenantId: g.tenantId }),
      generateDue(db, { date: '2030-04-01', now: T0, tenantId: g.tenantId }),
    ]);
    expect(runs.reduce((n, r) => n + r.generated, 0)).toBe(6);
    const again = await generateDue(db, { date: '2030-04-01', now: T0, tenantId: g.tenantId });
    expect(again.generated).toBe(0);
    for (const s of subs) {
      const orders = (
        await app.inject({ method: 'GET', url: `/api/v1/orders?subscriptionId=${s.id}`, headers: auth(op) })
      ).json().items;
      expect(orders).toHaveLength(1);
      const after = (
        await app.inject({ method: 'GET', url: `/api/v1/subscriptions/${s.id}`, headers: auth(op) })
      ).json();
      expect(after).toMatchObject({ deliveriesMade: 1, nextDeliveryDate: '2030-05-08', nextDeliverySeq: 2 });
    }
  });

  it('catches up after downtime without skipping, flags late ones, prices the first delivery and adds nth presents', async () => {
    const customerId = await customer();
    const p = await product(t.adminToken, {
      code: 'FIRST-P',
      name: '初回割引サプリ',
      unitPrice: 5000,
      taxRate: 8,
      kind: 'subscription',
    });
    await dbOf(app).withTenant(t.tenantId, async (tx) => {
      await tx.query('UPDATE products SET first_price = 1980 WHERE tenant_id = $1 AND id = $2', [t.tenantId, p]);
      await tx.query(
        `INSERT INTO product_delivery_presents (tenant_id, product_id, delivery_seq, present_product_id, quantity)
         VALUES ($1, $2, 2, $3, 1)`,
        [t.tenantId, p, present],
      );
    });
    const s = await subscribe({
      customerId,
      lines: [{ productId: p, quantity: 1 }],
      cycle: { every: 1, unit: 'week' },
      firstDeliveryDate: '2030-04-03',
    });
    // Nothing ran for three weeks: deliveries 04-03, 04-10, 04-17, 04-24 and 05-01 are due by 04-24 (lead 7).
    const run = await generateDue(dbOf(app), { date: '2030-04-24', now: T0, tenantId: t.tenantId });
    const mine = run.orders.filter((o) => o.subscriptionId === s.id);
    expect(mine.map((o) => o.deliveryDate)).toEqual([
      '2030-04-03',
      '2030-04-10',
      '2030-04-17',
      '2030-04-24',
      '2030-05-01',
    ]);
    expect(mine.filter((o) => o.late).map((o) => o.deliveryDate)).toEqual([
      '2030-04-03',
      '2030-04-10',
      '2030-04-17',
      '2030-04-24',
    ]);
    const orders = await ordersOf(s.id);
    expect(orders).toHaveLength(5);
    const detail = async (id: string) => (await get(`/orders/${id}`)).json();
    const byDate = new Map<string, { lines: { productId: string; unitPrice: number }[] }>();
    for (const o of mine) byDate.set(o.deliveryDate, await detail(o.orderId));
    expect(byDate.get('2030-04-03')?.lines.find((l) => l.productId === p)?.unitPrice).toBe(1980);
    expect(byDate.get('2030-04-10')?.lines.find((l) => l.productId === p)?.unitPrice).toBe(5000);
    expect(byDate.get('2030-04-10')?.lines.some((l) => l.productId === present)).toBe(true);
    expect(byDate.get('2030-04-17')?.lines.some((l) => l.productId === present)).toBe(false);
  });

  it('puts a delivery it cannot make on the exceptions list and goes on with the others', async () => {
    const customerId = await customer();
    const gone = await product(t.adminToken, { code: 'GONE', name: '終売品', unitPrice: 1000, taxRate: 8 });
    const broken = await subscribe({
      customerId,
      lines: [{ productId: gone, quantity: 1 }],
      cycle: { every: 1, unit: 'month' },
      firstDeliveryDate: '2030-06-05',
    });
    const fine = await subscribe({
      customerId,
      lines: [{ productId: aojiru, quantity: 1 }],
      cycle: { every: 1, unit: 'month' },
      firstDeliveryDate: '2030-06-05',
    });
    await dbOf(app).withTenant(t.tenantId, (tx) =>
      tx.query('UPDATE products SET active = false WHERE tenant_id = $1 AND id = $2', [t.tenantId, gone]),
    );
    const run = await generateDue(dbOf(app), { date: '2030-05-29', now: T0, tenantId: t.tenantId });
    expect(run.orders.some((o) => o.subscriptionId === fine.id)).toBe(true);
    expect(run.orders.some((o) => o.subscriptionId === broken.id)).toBe(false);
    const list = (await get('/subscriptions/exceptions')).json().items;
    const ex = list.find((x: { subscriptionId: string }) => x.subscriptionId === broken.id);
    expect(ex).toMatchObject({ deliveryDate: '2030-06-05', attempts: 1 });
    // The next run retries it (attempts 2) and still makes nothing twice.
    await generateDue(dbOf(app), { date: '2030-05-29', now: T0, tenantId: t.tenantId });
    const list2 = (await get('/subscriptions/exceptions')).json().items;
    expect(list2.find((x: { subscriptionId: string }) => x.subscriptionId === broken.id).attempts).toBe(2);
    expect(await ordersOf(fine.id)).toHaveLength(1);
    // Skipping the delivery clears the way: no exception is made for it again.
    await post(`/subscriptions/${broken.id}/skip`, {});
    expect((await get(`/subscriptions/${broken.id}`)).json().nextDeliveryDate).toBe('2030-07-05');
  });
});
