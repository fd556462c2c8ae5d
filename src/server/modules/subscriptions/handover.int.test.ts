// 定期 hand-over from the order form (伝票区分 定期): POST /subscriptions with sourceOrderId makes
// that order delivery 1 of the new subscription — linked, counted, and never generated again.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.js';
import { auth, dbOf, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';
import { generateDue } from './generate.js';

// 2030-04-01 is a Monday.
const T0 = new Date('2030-04-01T10:00:00+09:00');
const clock = new ManualClock(T0);
let app: TestApp;
let t: TestTenant;
let operator: string;
let tonic: string;

async function call(method: 'GET' | 'POST', url: string, payload?: unknown, token = operator) {
  return app.inject({
    method,
    url: `/api/v1${url}`,
    headers: auth(token),
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

let phoneSeq = 0;
async function customer(token = t.adminToken): Promise<string> {
  const res = await call(
    'POST',
    '/customers',
    {
      name: '佐賀 太郎',
      phones: [{ number: `090${30_000_000 + phoneSeq++}`, kind: 'mobile' }],
      postalCode: '849-0937',
      prefecture: '佐賀県',
      city: '佐賀市',
      address1: '鍋島3-2',
    },
    token,
  );
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

async function order(customerId: string, kind: 'normal' | 'subscription' = 'subscription', token = operator) {
  const res = await call(
    'POST',
    '/orders',
    { customerId, kind, lines: [{ productId: tonic, quantity: 1 }], desiredDeliveryDate: '2030-04-10' },
    token,
  );
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; number: number; deliveryDate: string; kind: string };
}

const monthly = { every: 1, unit: 'month' } as const;

beforeAll(async () => {
  app = await testApp({ clock });
  t = await makeTenant(app);
  operator = await t.token('operator');
  const res = await call(
    'POST',
    '/products',
    { code: '10005', name: '健康トニック1個', unitPrice: 6900, taxRate: 8, kind: 'subscription' },
    t.adminToken,
  );
  expect(res.statusCode, res.body).toBe(201);
  tonic = res.json().id;
});

describe('POST /subscriptions with sourceOrderId (the order form’s 定期)', () => {
  it('counts the order as delivery 1, links it, and schedules the next delivery after it', async () => {
    const customerId = await customer();
    const o = await order(customerId);
    expect(o.deliveryDate).toBe('2030-04-10');
    const res = await call('POST', '/subscriptions', {
      customerId,
      lines: [{ productId: tonic, quantity: 1 }],
      cycle: monthly,
      firstDeliveryDate: o.deliveryDate,
      sourceOrderId: o.id,
    });
    expect(res.statusCode, res.body).toBe(201);
    const s = res.json();
    expect(s).toMatchObject({
      sourceOrderId: o.id,
      deliveriesMade: 1,
      nextDeliverySeq: 2,
      firstDeliveryDate: '2030-04-10',
      nextDeliveryDate: '2030-05-10',
      cycleLabel: '毎月 10日',
    });
    const sch = (await call('GET', `/subscriptions/${s.id}/schedule?count=3`)).json();
    expect(sch.dates).toEqual(['2030-05-10', '2030-06-10', '2030-07-10']);
    expect(sch.deliveries[0]).toMatchObject({ seq: 2, date: '2030-05-10' });

    const linked = (await call('GET', `/orders/${o.id}`)).json();
    expect(linked).toMatchObject({
      subscriptionId: s.id,
      subscriptionDeliveryDate: '2030-04-10',
      kind: 'subscription',
    });
    // The generated orders' list of the subscription (the monitor's 定期情報) shows it.
    const list = (await call('GET', `/orders?subscriptionId=${s.id}`)).json().items as { id: string }[];
    expect(list.map((x) => x.id)).toEqual([o.id]);
    // Another subscription's filter does not.
    expect((await call('GET', `/orders?subscriptionId=${randomUUID()}`)).json().items).toEqual([]);
    const events = (await call('GET', `/orders/${o.id}/events`)).json().items as { kind: string }[];
    expect(events.map((e) => e.kind)).toContain('subscription_linked');

    // The 定期変更 trail says it came from the order.
    const interactions = (await call('GET', `/customers/${customerId}/interactions?limit=50`)).json().items as {
      subject: string | null;
      body: string;
    }[];
    const entry = interactions.find((i) => i.subject?.includes('申込'));
    expect(entry?.body).toContain('受注から引継ぎ');
    expect(entry?.body).toContain('次回お届け 2030-05-10');
  });

  it('never generates delivery 1 again: the next run makes delivery 2 only', async () => {
    const customerId = await customer();
    const o = await order(customerId);
    const s = (
      await call('POST', '/subscriptions', {
        customerId,
        lines: [{ productId: tonic, quantity: 2 }],
        cycle: { every: 2, unit: 'week' },
        firstDeliveryDate: o.deliveryDate,
        sourceOrderId: o.id,
      })
    ).json();
    expect(s.nextDeliveryDate).toBe('2030-04-24');
    const db = dbOf(app);
    // Lead days 7: 2030-04-10 would be due on 2030-04-03, but it is the source order.
    expect((await generateDue(db, { date: '2030-04-03', now: T0, tenantId: t.tenantId })).generated).toBe(0);
    const run = await generateDue(db, { date: '2030-04-17', now: T0, tenantId: t.tenantId });
    expect(run.generated).toBe(1);
    const orders = (await call('GET', `/orders?subscriptionId=${s.id}`)).json().items as {
      id: string;
      subscriptionDeliveryDate: string;
      note: string | null;
    }[];
    expect(orders.map((x) => x.subscriptionDeliveryDate).sort()).toEqual(['2030-04-10', '2030-04-24']);
    expect(orders.find((x) => x.id !== o.id)?.note).toContain('第2回');
    const after = (await call('GET', `/subscriptions/${s.id}`)).json();
    expect(after).toMatchObject({ deliveriesMade: 2, nextDeliveryDate: '2030-05-08', nextDeliverySeq: 3 });
  });

  it('refuses an order already handed over, another customer’s, a normal one, or an unknown one', async () => {
    const customerId = await customer();
    const o = await order(customerId);
    const body = {
      customerId,
      lines: [{ productId: tonic, quantity: 1 }],
      cycle: monthly,
      firstDeliveryDate: o.deliveryDate,
      sourceOrderId: o.id,
    };
    expect((await call('POST', '/subscriptions', body)).statusCode).toBe(201);
    const twice = await call('POST', '/subscriptions', body);
    expect(twice.statusCode, twice.body).toBe(409);
    expect(twice.json().code).toBe('source_order_linked');
    expect(twice.json().errors[0].path).toContain('sourceOrderId');

    const other = await customer();
    const theirs = await order(other);
    const wrongCustomer = await call('POST', '/subscriptions', { ...body, sourceOrderId: theirs.id });
    expect(wrongCustomer.statusCode, wrongCustomer.body).toBe(422);
    expect(wrongCustomer.json().code).toBe('source_order_invalid');

    const normal = await order(customerId, 'normal');
    const notSubscription = await call('POST', '/subscriptions', { ...body, sourceOrderId: normal.id });
    expect(notSubscription.statusCode, notSubscription.body).toBe(422);
    expect(notSubscription.json().code).toBe('source_order_invalid');

    const unknown = await call('POST', '/subscriptions', { ...body, sourceOrderId: randomUUID() });
    expect(unknown.statusCode, unknown.body).toBe(422);
    expect(unknown.json().code).toBe('not_found');

    // Nothing of the refused ones was written: the customer still has one subscription.
    const subs = (await call('GET', `/subscriptions?customerId=${customerId}`)).json().items;
    expect(subs).toHaveLength(1);
    expect((await call('GET', `/orders/${normal.id}`)).json().subscriptionId).toBeNull();
  });

  it('does not reach another tenant’s order', async () => {
    const b = await makeTenant(app);
    const bOperator = await b.token('operator');
    const bTonic = (
      await call(
        'POST',
        '/products',
        { code: '10005', name: '健康トニック1個', unitPrice: 6900, taxRate: 8, kind: 'subscription' },
        b.adminToken,
      )
    ).json().id;
    const bCustomer = await customer(b.adminToken);
    const bOrder = (
      await call(
        'POST',
        '/orders',
        { customerId: bCustomer, kind: 'subscription', lines: [{ productId: bTonic, quantity: 1 }] },
        bOperator,
      )
    ).json();
    const customerId = await customer();
    const res = await call('POST', '/subscriptions', {
      customerId,
      lines: [{ productId: tonic, quantity: 1 }],
      cycle: monthly,
      firstDeliveryDate: '2030-04-10',
      sourceOrderId: bOrder.id,
    });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().code).toBe('not_found');
    expect((await call('GET', `/orders/${bOrder.id}`, undefined, bOperator)).json().subscriptionId).toBeNull();
  });

  it('refuses a hand-over whose next delivery would not be after today', async () => {
    const customerId = await customer();
    const o = await order(customerId);
    const res = await call('POST', '/subscriptions', {
      customerId,
      lines: [{ productId: tonic, quantity: 1 }],
      cycle: { every: 1, unit: 'day' },
      firstDeliveryDate: '2030-03-31',
      sourceOrderId: o.id,
    });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().code).toBe('date_in_past');
  });
});
