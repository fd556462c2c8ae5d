import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.js';
import { crossTenantKit } from '../../test/cross-tenant.js';
import { auth, dbOf, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';
import { type PaymentsFixture, paymentsFixture } from './payments.fixtures.js';

let app: TestApp;
let a: TestTenant;
let f: PaymentsFixture;
const clock = new ManualClock(new Date('2025-06-02T03:00:00Z'));

beforeAll(async () => {
  app = await testApp({ clock });
  a = await makeTenant(app);
  f = paymentsFixture(app, dbOf(app), a);
});

const post = (token: string, url: string, payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url: `/api/v1${url}`,
    headers: { ...auth(token), ...headers },
    payload: payload as object,
  });
const get = (token: string, url: string) => app.inject({ method: 'GET', url: `/api/v1${url}`, headers: auth(token) });

describe('payments by hand', () => {
  it('keeps paid_amount in step: partial, paid, over (a credit), cancel by a reversal row', async () => {
    const customerId = await f.customer('山田 花子', 'ヤマダ ハナコ');
    const order = await f.order({ customerId, number: 101 });
    const pay = (amount: number) =>
      post(a.adminToken, '/payments', { orderId: order.id, amount, method: 'bank_transfer', paidOn: '2025-05-28' });

    const first = await pay(2000);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      kind: 'receipt',
      orderId: order.id,
      orderNumber: 101,
      customerId,
      amount: 2000,
      source: 'manual',
    });
    expect((await get(a.adminToken, `/payments/orders/${order.id}`)).json()).toMatchObject({
      total: 5800,
      paidAmount: 2000,
      balance: 3800,
      status: 'partial',
    });
    await pay(3800);
    expect((await get(a.adminToken, `/payments/orders/${order.id}`)).json()).toMatchObject({
      status: 'paid',
      balance: 0,
    });
    const extra = await pay(500);
    const over = (await get(a.adminToken, `/payments/orders/${order.id}`)).json();
    expect(over).toMatchObject({ status: 'over', paidAmount: 6300, balance: -500, credit: 500 });
    expect(over.payments).toHaveLength(3);
    expect((await get(a.adminToken, `/payments/customers/${customerId}`)).json()).toMatchObject({
      credit: 500,
      outstanding: 0,
    });

    const cancelled = await post(a.adminToken, `/payments/${extra.json().id}/cancel`, { note: '二重入力' });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().reversedById).toEqual(expect.any(String));
    expect(await f.paid(order.id)).toBe(5800);
    const reversal = (await get(a.adminToken, `/payments/${cancelled.json().reversedById}`)).json();
    expect(reversal).toMatchObject({ kind: 'reversal', amount: -500, reversesId: extra.json().id });
    expect((await post(a.adminToken, `/payments/${extra.json().id}/cancel`, {})).statusCode).toBe(409);
    expect((await post(a.adminToken, `/payments/${reversal.id}/cancel`, {})).statusCode).toBe(409);
    // Nothing is deleted: 3 receipts + 1 reversal.
    expect((await get(a.adminToken, `/payments?orderId=${order.id}`)).json().items).toHaveLength(4);
  });

  it('takes money for a customer without an order as a credit, and a refund paid out', async () => {
    const customerId = await f.customer('鈴木 一郎', 'スズキ イチロウ');
    const res = await post(a.adminToken, '/payments', { customerId, amount: 1200, method: 'cash' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ orderId: null, paidOn: '2025-06-02' });
    expect((await get(a.adminToken, `/payments/customers/${customerId}`)).json()).toMatchObject({
      unapplied: 1200,
      credit: 1200,
    });
    const order = await f.order({ customerId, number: 102 });
    await post(a.adminToken, '/payments', { orderId: order.id, amount: 6000, method: 'bank_transfer' });
    const refund = await post(a.adminToken, '/payments', {
      orderId: order.id,
      kind: 'refund',
      amount: 200,
      method: 'bank_transfer',
    });
    expect(refund.json()).toMatchObject({ kind: 'refund', amount: -200 });
    expect((await get(a.adminToken, `/payments/orders/${order.id}`)).json()).toMatchObject({
      paidAmount: 5800,
      status: 'paid',
    });
  });

  it('answers a replayed Idempotency-Key with the first payment and refuses another body', async () => {
    const customerId = await f.customer('佐藤 健', 'サトウ ケン');
    const order = await f.order({ customerId, number: 103 });
    const body = { orderId: order.id, amount: 1000, method: 'convenience' };
    const key = { 'idempotency-key': 'pay-103-1' };
    const [one, two] = await Promise.all([
      post(a.adminToken, '/payments', body, key),
      post(a.adminToken, '/payments', body, key),
    ]);
    expect(one.statusCode).toBe(201);
    expect(two.statusCode).toBe(201);
    expect(two.json().id).toBe(one.json().id);
    expect(await f.paid(order.id)).toBe(1000);
    const other = await post(a.adminToken, '/payments', { ...body, amount: 999 }, key);
    expect(other.statusCode).toBe(409);
    expect(other.json().errors[0].path).toBe('Idempotency-Key');
  });

  it('validates the body and names the field', async () => {
    const res = await post(a.adminToken, '/payments', { amount: 0, method: 'bank_transfer' });
    expect(res.statusCode).toBe(400);
    const paths = res.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['amount']));
    expect(
      (await post(a.adminToken, '/payments', { customerId: crypto.randomUUID(), amount: 1, method: 'cash' }))
        .statusCode,
    ).toBe(404);
  });

  it('lets the desk record and read, and only admins and supervisors cancel or import', async () => {
    const customerId = await f.customer('伊藤 愛', 'イトウ アイ');
    const order = await f.order({ customerId, number: 104 });
    const operator = await a.token('operator');
    const viewer = await a.token('client_viewer');
    const appointer = await a.token('appointer');
    const made = await post(operator, '/payments', { orderId: order.id, amount: 100, method: 'cash' });
    expect(made.statusCode).toBe(201);
    expect((await get(operator, '/payments')).statusCode).toBe(200);
    expect((await get(operator, '/payments/unpaid')).statusCode).toBe(200);
    expect((await post(operator, `/payments/${made.json().id}/cancel`, {})).statusCode).toBe(403);
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/v1/payments/imports?kind=bank_csv',
          headers: { ...auth(operator), 'content-type': 'text/csv' },
          payload: 'a,b\n',
        })
      ).statusCode,
    ).toBe(403);
    for (const token of [viewer, appointer]) {
      expect((await get(token, '/payments')).statusCode).toBe(403);
      expect((await get(token, '/payments/unmatched')).statusCode).toBe(403);
      expect((await post(token, '/payments', { orderId: order.id, amount: 1, method: 'cash' })).statusCode).toBe(403);
    }
  });

  it('keeps tenants apart', async () => {
    const b = await makeTenant(app);
    const fb = paymentsFixture(app, dbOf(app), b);
    const orders = new Map<string, string>();
    for (const [t, fx] of [
      [a, f],
      [b, fb],
    ] as const) {
      const c = await fx.customer('高橋 次郎', 'タカハシ ジロウ');
      orders.set(t.adminToken, (await fx.order({ customerId: c, number: 900 + orders.size })).id);
    }
    await crossTenantKit(app, a, b).expectIsolated({
      create: async (token) => {
        const res = await post(token, '/payments', { orderId: orders.get(token), amount: 10, method: 'cash' });
        return res.json().id;
      },
      read: (id) => `/api/v1/payments/${id}`,
      list: '/api/v1/payments',
      writes: (id) => [{ method: 'POST', url: `/api/v1/payments/${id}/cancel`, payload: {} }],
    });
    // Another tenant's order or customer is not there.
    const aOrder = orders.get(a.adminToken) as string;
    expect((await post(b.adminToken, '/payments', { orderId: aOrder, amount: 1, method: 'cash' })).statusCode).toBe(
      404,
    );
    expect((await get(b.adminToken, `/payments/orders/${aOrder}`)).statusCode).toBe(404);
    expect(await f.paid(aOrder)).toBe(20);
  });
});
