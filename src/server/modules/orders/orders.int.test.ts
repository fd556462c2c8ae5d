// Orders: CONTRACTS.md money and idempotency, the masters' fees and campaigns, dates, stock,
// edits with If-Match, cancel, 再注文, lists, histories, roles and tenants.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.js';
import { crossTenantKit } from '../../test/cross-tenant.js';
import { auth, dbOf, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';

// 2030-04-05 is a Friday; 2030-04-29 (昭和の日) a national holiday.
const T0 = new Date('2030-04-05T10:00:00+09:00');
const clock = new ManualClock(T0);
let app: TestApp;
let t: TestTenant;
let op: string;
let aojiru: string; // ¥3,240 at 8 %
let mug: string; // ¥1,100 at 10 %
let leaflet: string;
let cod: string;

async function call(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT',
  url: string,
  payload?: unknown,
  token = op,
  headers: Record<string, string> = {},
) {
  return app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { ...auth(token), ...headers },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}
async function made(method: 'POST' | 'PUT' | 'PATCH', url: string, payload: unknown, token = t.adminToken) {
  const res = await call(method, url, payload, token);
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json();
}

let phoneSeq = 0;
async function customer(token = t.adminToken, extra: Record<string, unknown> = {}): Promise<string> {
  return (
    await made(
      'POST',
      '/customers',
      {
        name: '注文 太郎',
        phones: [{ number: `080${30_000_000 + phoneSeq++}`, kind: 'mobile' }],
        postalCode: '060-0001',
        prefecture: '北海道',
        city: '札幌市中央区',
        address1: '北一条西2-1',
        ...extra,
      },
      token,
    )
  ).id;
}

beforeAll(async () => {
  app = await testApp({ clock });
  t = await makeTenant(app);
  op = await t.token('operator');
  aojiru = (
    await made('POST', '/products', { code: 'AOJIRU', name: '青汁', unitPrice: 3240, taxRate: 8, unitCost: 900 })
  ).id;
  mug = (await made('POST', '/products', { code: 'MUG', name: 'マグカップ', unitPrice: 1100, taxRate: 10 })).id;
  leaflet = (
    await made('POST', '/products', { code: 'LEAF', name: 'ご案内', unitPrice: 0, taxRate: 10, kind: 'present' })
  ).id;
  await made('PATCH', `/products/${aojiru}`, { companions: [{ productId: leaflet, quantity: 1 }] });
  cod = (
    await made('POST', '/payment-methods', {
      code: 'COD',
      name: '代引き',
      kind: 'cod',
      brackets: [
        { upTo: 10_000, fee: 330 },
        { upTo: 30_000, fee: 440 },
        { upTo: null, fee: 660 },
      ],
    })
  ).id;
  await made('POST', '/shipping-fees', { fee: 600, freeThreshold: 10_000 });
  await made('POST', '/shipping-fees', { prefecture: '北海道', fee: 1200, freeThreshold: 10_000 });
  await made('POST', '/delivery-lead-days', { carrier: 'yamato', prefecture: '北海道', days: 2 });
});

describe('POST /orders (CONTRACTS.md)', () => {
  it('prices per rate with one rounding per rate, adds shipping at 10 % and the COD fee, and fills the histories', async () => {
    const customerId = await customer();
    const res = await call('POST', '/orders', {
      customerId,
      lines: [
        { productId: aojiru, quantity: 2 },
        { productId: mug, quantity: 1 },
      ],
      paymentMethod: 'COD',
    });
    expect(res.statusCode, res.body).toBe(201);
    const o = res.json();
    expect(
      o.lines.map((l: { productId: string; kind: string; amount: number }) => [l.productId, l.kind, l.amount]),
    ).toEqual([
      [aojiru, 'item', 6480],
      [leaflet, 'component', 0],
      [mug, 'item', 1100],
    ]);
    // Goods 7,580 < 10,000: 北海道 ¥1,200; COD bracket ≤ 10,000 (7,580 + 1,200 = 8,780): ¥330.
    expect(o).toMatchObject({
      subtotal: 7580,
      shippingFee: 1200,
      paymentFee: 330,
      discount: 0,
      total: 9110,
      status: 'received',
    });
    expect(o.taxes).toEqual([
      { rate: 8, taxableAmount: 6480, tax: 480 },
      { rate: 10, taxableAmount: 2630, tax: 239 },
    ]);
    // Friday + 1 business day = Monday 04-08; 北海道 2 days → 04-10.
    expect(o).toMatchObject({ shipDate: '2030-04-08', deliveryDate: '2030-04-10', carrier: 'yamato' });
    const history = (await call('GET', `/customers/${customerId}/interactions`)).json().items;
    expect(history[0]).toMatchObject({ subject: `受注 #${o.number}` });
    expect(history[0].body).toContain('青汁×2、マグカップ×1。合計 ¥9,110');
    // Time-ordered ids (migration 0020): the order's and its 対応履歴 entry's.
    for (const id of [o.id, history[0].id]) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab]/);
    const stats = await dbOf(app).withTenant(t.tenantId, (tx) =>
      tx.query<{ purchase_count: number; purchase_amount: string }>(
        'SELECT purchase_count, purchase_amount FROM customer_stats WHERE tenant_id = $1 AND customer_id = $2',
        [t.tenantId, customerId],
      ),
    );
    expect(stats[0]).toMatchObject({ purchase_count: 1 });
    expect(Number(stats[0]?.purchase_amount)).toBe(9110);
  });

  it('with prices excluding tax adds the taxes, rounded as the tenant says', async () => {
    const b = await makeTenant(app);
    await made('PATCH', '/settings', { tax: { priceMode: 'excluded', rounding: 'round' } }, b.adminToken);
    const p = (await made('POST', '/products', { code: 'X', name: '税抜品', unitPrice: 999, taxRate: 8 }, b.adminToken))
      .id;
    const c = await customer(b.adminToken);
    const o = await made('POST', '/orders', { customerId: c, lines: [{ productId: p, quantity: 1 }] }, b.adminToken);
    expect(o.taxes).toEqual([{ rate: 8, taxableAmount: 999, tax: 80 }]);
    expect(o.total).toBe(1079);
  });

  it('answers the first order to a replay, makes one of concurrent replays, and refuses the key with another body', async () => {
    const customerId = await customer();
    const body = { customerId, lines: [{ productId: mug, quantity: 1 }] };
    const key = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 4 }, () => call('POST', '/orders', body, op, { 'idempotency-key': key })),
    );
    for (const r of results) expect(r.statusCode, r.body).toBe(201);
    expect(new Set(results.map((r) => r.json().id)).size).toBe(1);
    const list = (await call('GET', `/orders?customerId=${customerId}`)).json().items;
    expect(list).toHaveLength(1);
    const other = await call('POST', '/orders', { ...body, lines: [{ productId: mug, quantity: 2 }] }, op, {
      'idempotency-key': key,
    });
    expect(other.statusCode).toBe(409);
    expect(other.json().errors[0].path).toBe('Idempotency-Key');
  });

  it('places a burst from one caller in shared transactions, each request answered, audited and recorded on its own', async () => {
    const customers = await Promise.all(Array.from({ length: 3 }, () => customer()));
    const body = (i: number) => ({
      customerId: customers[i % 3],
      lines: [{ productId: i % 2 ? mug : aojiru, quantity: 1 + (i % 3) }],
    });
    const pairKey = randomUUID();
    const reusedKey = randomUUID();

    const requests: [unknown, Record<string, string>][] = [
      ...Array.from({ length: 16 }, (_, i): [unknown, Record<string, string>] => [body(i), {}]),
      [{ customerId: customers[0], lines: [{ productId: randomUUID(), quantity: 1 }] }, {}],
      [body(1), { 'idempotency-key': pairKey }],
      [body(1), { 'idempotency-key': pairKey }],
      [body(2), { 'idempotency-key': reusedKey }],
      [body(5), { 'idempotency-key': reusedKey }],
    ];
    const res = await Promise.all(requests.map(([payload, headers]) => call('POST', '/orders', payload, op, headers)));
    // The reused key: whichever of the two is placed first gets the order, the other a 409.
    const reused = [res[19], res[20]].sort((a, b) => (a?.statusCode ?? 0) - (b?.statusCode ?? 0));
    expect(reused.map((r) => r?.statusCode)).toEqual([201, 409]);
    const good = [...res.slice(0, 16), res[17], res[18], reused[0]].filter((r) => r !== undefined);
    for (const r of good) expect(r.statusCode, r.body).toBe(201);
    const orders = good.map((r) => r.json());
    orders.slice(0, 16).forEach((o, i) => {
      expect(o.customerId).toBe(customers[i % 3]);
      expect(o.lines[0]).toMatchObject({ productId: i % 2 ? mug : aojiru, quantity: 1 + (i % 3) });
    });
    // The product that does not exist: that request's 422 only.
    expect(res[16]?.statusCode).toBe(422);
    expect(res[16]?.json().errors[0].path).toBe('lines.0.productId');
    // One order for the pair, the second answered as a replay; the reused key with another body: 409.
    expect(orders[16].id).toBe(orders[17].id);
    expect([res[17], res[18]].filter((r) => r?.headers['idempotent-replayed'] === 'true')).toHaveLength(1);
    const ids = [...new Set(orders.map((o) => o.id))];
    expect(ids).toHaveLength(18);
    expect(new Set(orders.map((o) => o.number)).size).toBe(18);
    const rows = await dbOf(app).owner.query<{
      transactions: number;
      audited: number;
      requests: number;
      entries: number;
    }>(
      `SELECT (SELECT count(DISTINCT xmin::text)::int FROM orders WHERE tenant_id = $1 AND id = ANY($2::uuid[])) AS transactions,
              (SELECT count(*)::int FROM audit_log WHERE tenant_id = $1 AND action = 'order.create' AND object_id = ANY($3::text[])) AS audited,
              (SELECT count(DISTINCT request_id)::int FROM audit_log WHERE tenant_id = $1 AND action = 'order.create' AND object_id = ANY($3::text[])) AS requests,
              (SELECT count(*)::int FROM interactions WHERE tenant_id = $1 AND subject = ANY($4::text[])) AS entries`,
      [t.tenantId, ids, ids, orders.map((o) => `受注 #${o.number}`)],
    );
    // Fewer transactions than orders: the queue placed them together.
    expect(rows[0]?.transactions).toBeLessThan(18);
    expect(rows[0]).toMatchObject({ audited: 18, requests: 18, entries: 18 });
  });

  it('answers each of a burst with keys whose orders cannot be made with its own error, saving none of them', async () => {
    const customerId = await customer();
    const key = randomUUID();
    const bad = { customerId, lines: [{ productId: randomUUID(), quantity: 1 }] };
    const good = { customerId, lines: [{ productId: mug, quantity: 1 }] };
    const res = await Promise.all([
      ...Array.from({ length: 3 }, () => call('POST', '/orders', bad, op, { 'idempotency-key': key })),
      ...Array.from({ length: 5 }, () => call('POST', '/orders', good, op, { 'idempotency-key': randomUUID() })),
    ]);
    for (const r of res.slice(0, 3)) {
      expect(r.statusCode, r.body).toBe(422);
      expect(r.json().errors[0].path).toBe('lines.0.productId');
    }
    for (const r of res.slice(3)) expect(r.statusCode, r.body).toBe(201);
    const list = (await call('GET', `/orders?customerId=${customerId}`)).json().items;
    expect(list).toHaveLength(5);
    // The key was never kept: the same key with a good body now makes its order.
    const later = await call('POST', '/orders', good, op, { 'idempotency-key': key });
    expect(later.statusCode, later.body).toBe(201);
  });

  it('names the bad field and saves nothing', async () => {
    const customerId = await customer();
    const cases: [unknown, number, string][] = [
      [{ customerId: randomUUID(), lines: [{ productId: mug, quantity: 1 }] }, 422, 'customerId'],
      [
        {
          customerId,
          lines: [
            { productId: mug, quantity: 1 },
            { productId: randomUUID(), quantity: 1 },
          ],
        },
        422,
        'lines.1.productId',
      ],
      [{ customerId, lines: [{ productId: mug, quantity: 0 }] }, 400, 'lines.0.quantity'],
      [
        { customerId, lines: [{ productId: mug, quantity: 1 }], desiredDeliveryDate: '2030-04-09' },
        422,
        'desiredDeliveryDate',
      ],
      [{ customerId, lines: [{ productId: mug, quantity: 1 }], campaignCode: 'NOPE' }, 422, 'campaignCode'],
      [{ customerId, lines: [{ productId: mug, quantity: 1 }], paymentMethod: 'NOPE' }, 422, 'paymentMethod'],
    ];
    for (const [payload, status, path] of cases) {
      const res = await call('POST', '/orders', payload);
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    expect((await call('GET', `/orders?customerId=${customerId}`)).json().items).toHaveLength(0);
  });

  it('numbers orders from the tenant’s sequence: an open order does not hold up the next, numbers never repeat', async () => {
    const customerId = await customer();
    const db = dbOf(app);
    // (The tenant's first order creates its sequence and holds that creation to its commit.)
    expect((await call('POST', '/orders', { customerId, lines: [{ productId: mug, quantity: 1 }] })).statusCode).toBe(
      201,
    );
    // An order-number taken in a transaction that stays open (an operator's order mid-commit).
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let heldNumber = 0;
    let taken!: () => void;
    const tookNumber = new Promise<void>((r) => {
      taken = r;
    });
    const open = db.withTenant(t.tenantId, async (tx) => {
      const [row] = await tx.query<{ n: string[] }>('SELECT take_order_numbers(1) AS n');
      heldNumber = Number(row?.n[0]);
      taken();
      await held;
      throw new Error('rolled back on purpose');
    });
    await tookNumber;
    // With the number row locked to commit (before 0011) this would wait for `open` for ever.
    const next = await Promise.race([
      call('POST', '/orders', { customerId, lines: [{ productId: mug, quantity: 1 }] }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('order waited on an open one')), 5000)),
    ]);
    expect(next.statusCode, next.body).toBe(201);
    release();
    await expect(open).rejects.toThrow('rolled back on purpose');
    // The rolled-back number is a gap, not given again.
    const after = await call('POST', '/orders', { customerId, lines: [{ productId: mug, quantity: 1 }] });
    expect(next.json().number).toBeGreaterThan(heldNumber);
    expect(after.json().number).toBeGreaterThan(next.json().number);
    const numbers = await db.withTenant(t.tenantId, (tx) =>
      tx.query<{ dup: string }>('SELECT count(*) - count(DISTINCT number) AS dup FROM orders'),
    );
    expect(Number(numbers[0]?.dup)).toBe(0);
  });
});

describe('campaigns, fees, dates and stock', () => {
  it('applies a first-order campaign (discount by rate, free shipping, present) and refuses it the second time', async () => {
    const gift = (
      await made('POST', '/products', { code: 'GIFT', name: 'シェイカー', unitPrice: 0, taxRate: 10, kind: 'present' })
    ).id;
    await made('POST', '/campaigns', {
      code: 'WELCOME',
      name: '初回500円引き',
      startsOn: '2030-04-01',
      endsOn: '2030-04-30',
      firstOrderOnly: true,
      discountAmount: 500,
      freeShipping: true,
      presents: [{ triggerProductId: aojiru, presentProductId: gift, quantity: 1 }],
    });
    const customerId = await customer();
    const q = await call('POST', '/orders/quote', {
      customerId,
      lines: [
        { productId: aojiru, quantity: 2 },
        { productId: mug, quantity: 1 },
      ],
      campaignCode: 'welcome',
    });
    expect(q.statusCode, q.body).toBe(200);
    // Discount 500 over 6,480 : 1,100 → 427 / 73; shipping free.
    expect(q.json()).toMatchObject({ subtotal: 7580, discount: 500, shippingFee: 0, total: 7080 });
    expect(q.json().taxes).toEqual([
      { rate: 8, taxableAmount: 6053, tax: 448 },
      { rate: 10, taxableAmount: 1027, tax: 93 },
    ]);
    expect(
      q
        .json()
        .lines.filter((l: { kind: string }) => l.kind === 'present')
        .map((l: { productId: string }) => l.productId),
    ).toEqual([gift]);
    expect((await call('GET', `/orders?customerId=${customerId}`)).json().items).toHaveLength(0);
    await made(
      'POST',
      '/orders',
      { customerId, lines: [{ productId: mug, quantity: 1 }], campaignCode: 'WELCOME' },
      op,
    );
    const again = await call('POST', '/orders/quote', {
      customerId,
      lines: [{ productId: mug, quantity: 1 }],
      campaignCode: 'WELCOME',
    });
    expect(again.statusCode).toBe(422);
    expect(again.json().errors[0]).toMatchObject({ path: 'campaignCode', code: 'campaign_not_applicable' });
  });

  it('ships free from the threshold and picks the COD bracket by the amount collected', async () => {
    const customerId = await customer();
    const q = (
      await call('POST', '/orders/quote', {
        customerId,
        lines: [{ productId: aojiru, quantity: 4 }],
        paymentMethodId: cod,
      })
    ).json();
    // 12,960 ≥ 10,000: free; COD on 12,960 → the ≤ 30,000 bracket.
    expect(q).toMatchObject({ shippingFee: 0, paymentFee: 440, total: 13400 });
  });

  it('counts business days over weekends, holidays and closing days, and honours a later desired date', async () => {
    await made('PATCH', '/settings', {
      closingDays: [{ date: '2030-04-08', note: '棚卸' }],
      orders: { preparationDays: 1 },
    });
    const customerId = await customer(t.adminToken, { prefecture: '東京都', city: '渋谷区', postalCode: '150-0001' });
    const q = (await call('POST', '/orders/quote', { customerId, lines: [{ productId: mug, quantity: 1 }] })).json();
    // Fri 04-05 → (Sat, Sun, closed Mon) → Tue 04-09; Tokyo 1 day.
    expect(q).toMatchObject({ shipDate: '2030-04-09', deliveryDate: '2030-04-10', earliestDeliveryDate: '2030-04-10' });
    const later = (
      await call('POST', '/orders/quote', {
        customerId,
        lines: [{ productId: mug, quantity: 1 }],
        desiredDeliveryDate: '2030-04-30',
      })
    ).json();
    // Leaves the last business day that still arrives 04-30: 04-29 is 昭和の日 → 04-26 (Fri).
    expect(later).toMatchObject({ shipDate: '2030-04-26', deliveryDate: '2030-04-30' });
    await made('PATCH', '/settings', { closingDays: [] });
  });

  it('takes tracked stock, refuses an order beyond it, and gives it back on cancel', async () => {
    const limited = (
      await made('POST', '/products', { code: 'LTD', name: '限定品', unitPrice: 5000, taxRate: 10, stock: 3 })
    ).id;
    const customerId = await customer();
    const o = await made('POST', '/orders', { customerId, lines: [{ productId: limited, quantity: 2 }] }, op);
    const short = await call('POST', '/orders', { customerId, lines: [{ productId: limited, quantity: 2 }] });
    expect(short.statusCode).toBe(409);
    expect(short.json().errors[0]).toMatchObject({ path: 'lines.0.quantity', code: 'out_of_stock' });
    expect((await call('GET', `/products/${limited}`)).json().stock).toBe(1);
    const reason = (await made('POST', '/reasons', { kind: 'cancel', code: 'C1', name: 'お客様都合' })).id;
    const cancelled = await call('POST', `/orders/${o.id}/cancel`, { reasonId: reason });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', cancelReasonId: reason });
    expect((await call('GET', `/products/${limited}`)).json().stock).toBe(3);
    expect((await call('POST', `/orders/${o.id}/cancel`, {})).statusCode).toBe(409);
    const events = (await call('GET', `/orders/${o.id}/events`)).json().items.map((e: { kind: string }) => e.kind);
    expect(events).toEqual(['created', 'cancelled']);
  });
});

describe('edits, lists and 再注文', () => {
  it('edits a received order with If-Match, re-priced, and refuses a stale version', async () => {
    const customerId = await customer();
    const o = await made('POST', '/orders', { customerId, lines: [{ productId: mug, quantity: 1 }] }, op);
    const stale = await call('PATCH', `/orders/${o.id}`, { lines: [{ productId: mug, quantity: 3 }] }, op, {
      'if-match': '"99"',
    });
    expect(stale.statusCode).toBe(412);
    const ok = await call(
      'PATCH',
      `/orders/${o.id}`,
      { lines: [{ productId: mug, quantity: 3 }], note: '3個に変更' },
      op,
      {
        'if-match': `"${o.version}"`,
      },
    );
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ subtotal: 3300, version: o.version + 1, note: '3個に変更' });
    await dbOf(app).withTenant(t.tenantId, (tx) =>
      tx.query(`UPDATE orders SET status = 'shipped' WHERE tenant_id = $1 AND id = $2`, [t.tenantId, o.id]),
    );
    expect((await call('PATCH', `/orders/${o.id}`, { note: 'x' })).statusCode).toBe(409);
    expect((await call('POST', `/orders/${o.id}/complete`, {})).json().status).toBe('completed');
  });

  it('lists newest first with filters and keyset pages, and gives a 再注文 body', async () => {
    const customerId = await customer();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      clock.advance(60_000);
      ids.push((await made('POST', '/orders', { customerId, lines: [{ productId: aojiru, quantity: i + 1 }] }, op)).id);
    }
    const p1 = (await call('GET', `/orders?customerId=${customerId}&limit=2`)).json();
    expect(p1.items.map((o: { id: string }) => o.id)).toEqual([ids[2], ids[1]]);
    const p2 = (await call('GET', `/orders?customerId=${customerId}&limit=2&cursor=${p1.nextCursor}`)).json();
    expect(p2.items.map((o: { id: string }) => o.id)).toEqual([ids[0]]);
    expect(p2.nextCursor).toBeNull();
    expect((await call('GET', `/orders?customerId=${customerId}&status=shipped`)).json().items).toHaveLength(0);
    const re = (await call('GET', `/orders/${ids[2]}/reorder`)).json();
    expect(re).toMatchObject({
      customerId,
      lines: [{ productId: aojiru, quantity: 3 }],
      unavailable: [],
      carrier: 'yamato',
    });
    expect(
      (await call('POST', '/orders', { customerId: re.customerId, lines: re.lines, carrier: re.carrier })).statusCode,
    ).toBe(201);
  });

  it('is the desk’s: a technician gets 403; another tenant 404', async () => {
    const tech = await t.token('technician');
    expect((await call('GET', '/orders', undefined, tech)).statusCode).toBe(403);
    const b = await makeTenant(app);
    const bProduct = (
      await made('POST', '/products', { code: 'B', name: 'B社品', unitPrice: 100, taxRate: 10 }, b.adminToken)
    ).id;
    const bCustomer = await customer(b.adminToken);
    const aCustomer = await customer();
    await crossTenantKit(app, t, b).expectIsolated({
      create: async (token) =>
        (
          await made(
            'POST',
            '/orders',
            token === t.adminToken
              ? { customerId: aCustomer, lines: [{ productId: mug, quantity: 1 }] }
              : { customerId: bCustomer, lines: [{ productId: bProduct, quantity: 1 }] },
            token,
          )
        ).id,
      read: (id) => `/api/v1/orders/${id}`,
      list: '/api/v1/orders',
      writes: (id) => [
        { method: 'PATCH', url: `/api/v1/orders/${id}`, payload: { note: 'x' } },
        { method: 'POST', url: `/api/v1/orders/${id}/cancel`, payload: {} },
        { method: 'GET', url: `/api/v1/orders/${id}/reorder` },
        { method: 'GET', url: `/api/v1/orders/${id}/events` },
      ],
    });
  });
});
