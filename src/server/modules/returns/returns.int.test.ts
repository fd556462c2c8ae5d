import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.js';
import { crossTenantKit } from '../../test/cross-tenant.js';
import { auth, dbOf, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';
import { type PaymentsFixture, paymentsFixture } from '../payments/payments.fixtures.js';
import { refundOf } from './returns.service.js';

let app: TestApp;
let a: TestTenant;
let f: PaymentsFixture;
let reasonId: string;
const clock = new ManualClock(new Date('2025-06-02T03:00:00Z'));

beforeAll(async () => {
  app = await testApp({ clock });
  a = await makeTenant(app);
  f = paymentsFixture(app, dbOf(app), a);
  reasonId = await f.reason('return', 'DAMAGED', '破損');
});

const get = (url: string, token = a.adminToken) =>
  app.inject({ method: 'GET', url: `/api/v1${url}`, headers: auth(token) });
const post = (url: string, payload: unknown, token = a.adminToken) =>
  app.inject({ method: 'POST', url: `/api/v1${url}`, headers: auth(token), payload: payload as object });

async function stats(customerId: string) {
  const [row] = await dbOf(app).withTenant(a.tenantId, (tx) =>
    tx.query<{ purchase_count: number; purchase_amount: number }>(
      'SELECT purchase_count, purchase_amount FROM customer_stats WHERE tenant_id = $1 AND customer_id = $2',
      [a.tenantId, customerId],
    ),
  );
  return row ?? null;
}

describe('returns (返品入力)', () => {
  it('computes the refund per rate with one rounding, tax added when prices exclude it', () => {
    const lines = [
      { unitPrice: 1000, quantity: 3, taxRate: 10 as const },
      { unitPrice: 333, quantity: 1, taxRate: 8 as const },
    ];
    expect(refundOf(lines, 'included', 'floor')).toBe(3333);
    // 3000 + 300, 333 + floor(26.64) = 359.
    expect(refundOf(lines, 'excluded', 'floor')).toBe(3659);
    expect(refundOf(lines, 'excluded', 'ceil')).toBe(3660);
  });

  it('takes a partial return back: restock, refund lowers what is due, statistics keep the purchase, histories show it', async () => {
    const customerId = await f.customer('山田 花子', 'ヤマダ ハナコ');
    const tea = await f.product('TEA', { price: 1080, stock: 10 });
    const snack = await f.product('SNACK', { price: 540, taxRate: 8, stock: null });
    const order = await f.order({
      customerId,
      number: 7001,
      countPurchase: true,
      lines: [
        { productId: tea, quantity: 3, unitPrice: 1080 },
        { productId: snack, quantity: 2, unitPrice: 540, taxRate: 8 },
      ],
    });
    await post('/payments', { orderId: order.id, amount: order.total, method: 'bank_transfer' });
    const res = await post(`/orders/${order.id}/returns`, {
      reasonId,
      lines: [{ lineNo: 1, quantity: 2 }],
      note: '箱つぶれ',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      orderNumber: 7001,
      reasonName: '破損',
      resolution: 'refund',
      computedRefund: 2160,
      refundAmount: 2160,
      orderStatus: 'shipped',
      receivedOn: '2025-06-02',
      lines: [{ lineNo: 1, productId: tea, quantity: 2, amount: 2160 }],
    });
    expect(await f.stock(tea)).toBe(12);
    expect(await f.stock(snack)).toBeNull();
    // Paid in full before: the refund is now owed back (a credit of the customer).
    expect((await get(`/payments/orders/${order.id}`)).json()).toMatchObject({
      due: 4320 - 2160,
      status: 'over',
      credit: 2160,
    });
    expect(await stats(customerId)).toEqual({ purchase_count: 1, purchase_amount: 4320 - 2160 });
    const interactions = (await get(`/customers/${customerId}/interactions`)).json().items;
    expect(interactions[0]).toMatchObject({ subject: '返品 受注 #7001' });

    // At most shipped − returned: 1 left on line 1.
    const over = await post(`/orders/${order.id}/returns`, { reasonId, lines: [{ lineNo: 1, quantity: 2 }] });
    expect(over.statusCode).toBe(422);
    expect(over.json().errors).toEqual([expect.objectContaining({ path: 'lines.0.quantity', code: 'too_many' })]);
    expect(await f.stock(tea)).toBe(12);
    const tooMuch = await post(`/orders/${order.id}/returns`, {
      reasonId,
      lines: [{ lineNo: 2, quantity: 1 }],
      refundAmount: 541,
    });
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.json().errors[0].path).toBe('refundAmount');
  });

  it('marks a fully returned order returned and takes the purchase out of the statistics', async () => {
    const customerId = await f.customer('鈴木 一郎', 'スズキ イチロウ');
    const p = await f.product('FULL', { price: 2000, stock: 0 });
    const order = await f.order({
      customerId,
      number: 7002,
      countPurchase: true,
      lines: [{ productId: p, quantity: 2, unitPrice: 2000 }],
    });
    const first = await post(`/orders/${order.id}/returns`, {
      reasonId,
      lines: [{ lineNo: 1, quantity: 1 }],
      refundAmount: 1500,
    });
    expect(first.json()).toMatchObject({ computedRefund: 2000, refundAmount: 1500, orderStatus: 'shipped' });
    const second = await post(`/orders/${order.id}/returns`, {
      reasonId,
      lines: [{ lineNo: 1, quantity: 1 }],
      restock: false,
    });
    expect(second.statusCode).toBe(201);
    // What is left to refund: 4000 − 1500 = 2500, more than the goods' 2000.
    expect(second.json()).toMatchObject({ computedRefund: 2000, refundAmount: 2000, orderStatus: 'returned' });
    expect(await f.stock(p)).toBe(1);
    expect(await stats(customerId)).toEqual({ purchase_count: 0, purchase_amount: 0 });
    expect((await get(`/payments/orders/${order.id}`)).json()).toMatchObject({
      refunded: 3500,
      due: 500,
      status: 'unpaid',
    });
    const again = await post(`/orders/${order.id}/returns`, { reasonId, lines: [{ lineNo: 1, quantity: 1 }] });
    expect(again.statusCode).toBe(409);
  });

  it('refuses an order not shipped, a reason that is not a return reason, an unknown line', async () => {
    const customerId = await f.customer('佐藤 健', 'サトウ ケン');
    const received = await f.order({ customerId, number: 7003, status: 'received' });
    const res = await post(`/orders/${received.id}/returns`, { reasonId, lines: [{ lineNo: 1, quantity: 1 }] });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('order_not_shipped');
    const shipped = await f.order({ customerId, number: 7004 });
    const cancelReason = await f.reason('cancel', 'CHANGE', '心変わり');
    const wrong = await post(`/orders/${shipped.id}/returns`, {
      reasonId: cancelReason,
      lines: [{ lineNo: 1, quantity: 1 }],
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().errors[0].path).toBe('reasonId');
    const line = await post(`/orders/${shipped.id}/returns`, { reasonId, lines: [{ lineNo: 9, quantity: 1 }] });
    expect(line.json().errors[0]).toMatchObject({ path: 'lines.0.lineNo', code: 'unknown_line' });
    expect(await f.count('returns')).toBe(3);
  });

  it('lists returns by customer and received dates; the desk only; tenants apart', async () => {
    const customerId = await f.customer('伊藤 愛', 'イトウ アイ');
    const order = await f.order({
      customerId,
      number: 7005,
      lines: [{ productId: await f.product('LST'), quantity: 5, unitPrice: 100 }],
    });
    await post(`/orders/${order.id}/returns`, {
      reasonId,
      lines: [{ lineNo: 1, quantity: 1 }],
      receivedOn: '2025-05-30',
    });
    await post(`/orders/${order.id}/returns`, {
      reasonId,
      lines: [{ lineNo: 1, quantity: 1 }],
      receivedOn: '2025-06-01',
    });
    const all = (await get(`/returns?customerId=${customerId}`)).json().items;
    expect(all.map((r: { receivedOn: string }) => r.receivedOn)).toEqual(['2025-06-01', '2025-05-30']);
    expect((await get(`/returns?customerId=${customerId}&from=2025-05-31&to=2025-06-30`)).json().items).toHaveLength(1);
    const paged = (await get('/returns?limit=1')).json();
    expect(paged.items).toHaveLength(1);
    expect(paged.nextCursor).toEqual(expect.any(String));
    const operator = await a.token('operator');
    expect((await get('/returns', operator)).statusCode).toBe(200);
    expect((await get('/returns', await a.token('client_viewer'))).statusCode).toBe(403);
    expect(
      (
        await post(
          `/orders/${order.id}/returns`,
          { reasonId, lines: [{ lineNo: 1, quantity: 1 }] },
          await a.token('technician'),
        )
      ).statusCode,
    ).toBe(403);

    const b = await makeTenant(app);
    const fb = paymentsFixture(app, dbOf(app), b);
    const bReason = await fb.reason('return', 'DAMAGED', '破損');
    // Each create returns one unit of a fresh order of the calling tenant.
    const side = new Map([
      [a.adminToken, { fx: f, customer: customerId, reason: reasonId }],
      [b.adminToken, { fx: fb, customer: await fb.customer('別 人', 'ベツ ヒト'), reason: bReason }],
    ]);
    let number = 7100;
    await crossTenantKit(app, a, b).expectIsolated({
      create: async (token) => {
        const s = side.get(token) as { fx: PaymentsFixture; customer: string; reason: string };
        const o = await s.fx.order({ customerId: s.customer, number: number++ });
        const res = await post(
          `/orders/${o.id}/returns`,
          { reasonId: s.reason, lines: [{ lineNo: 1, quantity: 1 }] },
          token,
        );
        return res.json().id;
      },
      read: (id) => `/api/v1/returns/${id}`,
      list: '/api/v1/returns',
    });
    // B cannot return A's order.
    const aOrder = (await f.order({ customerId, number: 7200 })).id;
    expect(
      (
        await post(
          `/orders/${aOrder}/returns`,
          { reasonId: bReason, lines: [{ lineNo: 1, quantity: 1 }] },
          b.adminToken,
        )
      ).statusCode,
    ).toBe(404);
  });
});

describe('exchange (交換)', () => {
  it('creates the exchange as a new 0-yen order through the orders module', async () => {
    await dbOf(app).withTenant(a.tenantId, (tx) =>
      tx.query(
        `INSERT INTO shipping_origins (tenant_id, code, name, shipper_name, postal_code, prefecture, city, phone, is_default)
         VALUES ($1, 'MAIN', '本社倉庫', '窓口通販', '530-0001', '大阪府', '大阪市北区', '06-1234-5678', true)`,
        [a.tenantId],
      ),
    );
    const customerId = await f.customer('中村 翔', 'ナカムラ ショウ');
    const size = await f.product('SHIRT-M', { price: 3000, stock: 5 });
    const bigger = await f.product('SHIRT-L', { price: 3000, stock: 5 });
    const order = await f.order({
      customerId,
      number: 7300,
      lines: [{ productId: size, quantity: 1, unitPrice: 3000 }],
    });
    const res = await post(`/orders/${order.id}/returns`, {
      reasonId,
      lines: [{ lineNo: 1, quantity: 1 }],
      resolution: 'exchange',
      exchange: { lines: [{ productId: bigger, quantity: 1 }] },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      resolution: 'exchange',
      refundAmount: 0,
      orderStatus: 'returned',
      exchangeOrderId: expect.any(String),
    });
    const made = (await get(`/orders/${res.json().exchangeOrderId}`)).json();
    expect(made).toMatchObject({ customerId, subtotal: 0 });
    expect(made.lines[0]).toMatchObject({ productId: bigger, quantity: 1, unitPrice: 0 });
    expect(await f.stock(size)).toBe(6);
    expect(await f.stock(bigger)).toBe(4);
    const other = await f.order({ customerId, number: 7301 });
    const missing = await post(`/orders/${other.id}/returns`, {
      reasonId,
      lines: [{ lineNo: 1, quantity: 1 }],
      resolution: 'exchange',
    });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors[0].path).toBe('exchange');
  });
});
