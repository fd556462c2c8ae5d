// 定期発送一覧 (list, picking totals, CSV), the demand forecast (checked by hand for weekly and
// monthly schedules, pauses, moves, cancellations and presents) and POST /subscriptions/generate:
// roles, tenants, and the CSV's bytes.
import { randomUUID } from 'node:crypto';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.js';
import { crossTenantKit } from '../../test/cross-tenant.js';
import { auth, dbOf, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';

// 2030-04-01 is a Monday; none of the days below is a national holiday.
const T0 = new Date('2030-04-01T10:00:00+09:00');
const clock = new ManualClock(T0);
let app: TestApp;

async function post(url: string, payload: unknown, token: string) {
  return app.inject({ method: 'POST', url: `/api/v1${url}`, headers: auth(token), payload: payload as object });
}
async function get(url: string, token: string) {
  return app.inject({ method: 'GET', url: `/api/v1${url}`, headers: auth(token) });
}
async function ok(res: Awaited<ReturnType<typeof get>>, status = 200) {
  expect(res.statusCode, res.body.slice(0, 400)).toBe(status);
  return res.json();
}

async function product(token: string, body: Record<string, unknown>): Promise<string> {
  return (await ok(await post('/products', { taxRate: 8, ...body }, token), 201)).id;
}

let phoneSeq = 0;
async function customer(token: string, extra: Record<string, unknown> = {}): Promise<{ id: string; code: string }> {
  const c = await ok(
    await post(
      '/customers',
      {
        name: '定期 花子',
        nameKana: 'テイキ ハナコ',
        phones: [{ number: `090${30_000_000 + phoneSeq++}`, kind: 'mobile' }],
        postalCode: '150-0001',
        prefecture: '東京都',
        city: '渋谷区',
        address1: '神宮前1-1-1',
        ...extra,
      },
      token,
    ),
    201,
  );
  return { id: c.id, code: c.code };
}

async function subscribe(token: string, body: Record<string, unknown>): Promise<{ id: string }> {
  return ok(await post('/subscriptions', body, token), 201);
}

beforeAll(async () => {
  app = await testApp({ clock });
});

describe('定期発送一覧: GET /subscriptions/shipments, /summary and .csv', () => {
  let t: TestTenant;
  let operator: string;
  let supervisor: string;
  let aojiru: string;
  let tea: string;
  let shaker: string;
  let hanako: { id: string; code: string };
  let formula: { id: string; code: string };

  beforeAll(async () => {
    t = await makeTenant(app);
    operator = await t.token('operator');
    supervisor = await t.token('supervisor');
    aojiru = await product(t.adminToken, { code: 'AOJIRU', name: '青汁', unitPrice: 3240, kind: 'subscription' });
    tea = await product(t.adminToken, { code: 'TEA', name: '健康茶', unitPrice: 2000, kind: 'subscription' });
    shaker = await product(t.adminToken, {
      code: 'SHAKER',
      name: 'シェイカー',
      unitPrice: 0,
      taxRate: 10,
      kind: 'present',
    });
    await dbOf(app).withTenant(t.tenantId, (tx) =>
      tx.query(
        `INSERT INTO product_delivery_presents (tenant_id, product_id, delivery_seq, present_product_id, quantity)
         VALUES ($1, $2, 1, $3, 1)`,
        [t.tenantId, tea, shaker],
      ),
    );
    hanako = await customer(operator);
    // A name a spreadsheet would run as a formula: the CSV must defuse it.
    formula = await customer(operator, { name: '=1+2 渡邊', nameKana: 'ワタナベ' });
    await subscribe(operator, {
      customerId: hanako.id,
      lines: [{ productId: aojiru, quantity: 2 }],
      cycle: { every: 1, unit: 'month' },
      firstDeliveryDate: '2030-04-10',
      timeSlot: '1416',
    });
    await subscribe(operator, {
      customerId: formula.id,
      lines: [{ productId: tea, quantity: 1 }],
      cycle: { every: 1, unit: 'week' },
      firstDeliveryDate: '2030-04-10',
    });
    // Due by 2030-04-03 (lead 7) but arriving 04-02: its ship day has passed, so it is late.
    await subscribe(operator, {
      customerId: hanako.id,
      lines: [{ productId: tea, quantity: 3 }],
      cycle: { every: 2, unit: 'week' },
      firstDeliveryDate: '2030-04-02',
    });
    const run = await ok(await post('/subscriptions/generate', { date: '2030-04-03' }, supervisor));
    expect(run).toEqual({ date: '2030-04-03', created: 3, late: 1, exceptions: 0 });
  });

  it("lists the day's subscription orders with customer, delivery number, products, presents and dates", async () => {
    const body = await ok(await get('/subscriptions/shipments?date=2030-04-09', operator));
    expect(body.date).toBe('2030-04-09');
    expect(body.by).toBe('ship');
    expect(body.nextCursor).toBeNull();
    expect(body.items).toHaveLength(2);
    const [first, second] = body.items;
    expect(first.orderNumber).toBeLessThan(second.orderNumber);
    const a = body.items.find((s: { customerId: string }) => s.customerId === hanako.id);
    expect(a).toMatchObject({
      customerCode: hanako.code,
      customerName: '定期 花子',
      customerKana: 'テイキ ハナコ',
      deliverySeq: 1,
      shipDate: '2030-04-09',
      deliveryDate: '2030-04-10',
      scheduledDate: '2030-04-10',
      timeSlot: '1416',
      carrier: 'yamato',
      prefecture: '東京都',
      late: false,
      status: 'received',
      lines: [{ kind: 'item', productId: aojiru, productCode: 'AOJIRU', productName: '青汁', quantity: 2 }],
    });
    const order = await ok(await get(`/orders/${a.orderId}`, operator));
    expect(a.amount).toBe(order.total);
    expect(a.orderNumber).toBe(order.number);
    const b = body.items.find((s: { customerId: string }) => s.customerId === formula.id);
    expect(b.lines).toEqual([
      { kind: 'item', productId: tea, productCode: 'TEA', productName: '健康茶', quantity: 1 },
      { kind: 'present', productId: shaker, productCode: 'SHAKER', productName: 'シェイカー', quantity: 1 },
    ]);
  });

  it('finds the same orders by delivery day, flags the late one, and pages by keyset', async () => {
    const byDelivery = await ok(await get('/subscriptions/shipments?date=2030-04-10&by=delivery', operator));
    expect(byDelivery.items).toHaveLength(2);
    expect((await ok(await get('/subscriptions/shipments?date=2030-04-10', operator))).items).toHaveLength(0);
    const late = await ok(await get('/subscriptions/shipments?date=2030-04-03', operator));
    expect(late.items).toHaveLength(1);
    expect(late.items[0]).toMatchObject({
      scheduledDate: '2030-04-02',
      deliveryDate: '2030-04-04',
      shipDate: '2030-04-03',
      late: true,
    });
    const p1 = await ok(await get('/subscriptions/shipments?date=2030-04-09&limit=1', operator));
    expect(p1.items).toHaveLength(1);
    expect(typeof p1.nextCursor).toBe('string');
    const p2 = await ok(
      await get(`/subscriptions/shipments?date=2030-04-09&limit=1&cursor=${p1.nextCursor}`, operator),
    );
    expect(p2.items).toHaveLength(1);
    expect(p2.nextCursor).toBeNull();
    expect(p2.items[0].orderId).not.toBe(p1.items[0].orderId);
    expect((await get('/subscriptions/shipments?date=2030-04-09&cursor=xyz', operator)).statusCode).toBe(400);
    expect((await get('/subscriptions/shipments?date=2030-04-09&by=when', operator)).statusCode).toBe(400);
  });

  it('defaults to the next business day, skipping the tenant’s closing days', async () => {
    expect((await ok(await get('/subscriptions/shipments', operator))).date).toBe('2030-04-02');
    const other = await makeTenant(app);
    await dbOf(app).withTenant(other.tenantId, (tx) =>
      tx.query(`INSERT INTO closing_days (tenant_id, date, note) VALUES ($1, '2030-04-02', '棚卸')`, [other.tenantId]),
    );
    expect((await ok(await get('/subscriptions/shipments', other.adminToken))).date).toBe('2030-04-03');
    // 2030-04-05 is a Friday: the next business day is Monday 04-08.
    clock.set(new Date('2030-04-05T09:00:00+09:00'));
    try {
      expect((await ok(await get('/subscriptions/shipments/summary', other.adminToken))).date).toBe('2030-04-08');
    } finally {
      clock.set(T0);
    }
  });

  it('totals the day per product for the picking list, presents apart, cancelled orders left out', async () => {
    const s = await ok(await get('/subscriptions/shipments/summary?date=2030-04-09', operator));
    expect(s).toEqual({
      date: '2030-04-09',
      by: 'ship',
      orders: 2,
      items: [
        { productId: aojiru, productCode: 'AOJIRU', productName: '青汁', kind: 'item', quantity: 2, orders: 1 },
        { productId: tea, productCode: 'TEA', productName: '健康茶', kind: 'item', quantity: 1, orders: 1 },
        {
          productId: shaker,
          productCode: 'SHAKER',
          productName: 'シェイカー',
          kind: 'present',
          quantity: 1,
          orders: 1,
        },
      ],
    });
    // A cancelled delivery does not ship: out of the list and the totals.
    const other = await makeTenant(app);
    const p = await product(other.adminToken, { code: 'X', name: '商品X', unitPrice: 1000 });
    const c = await customer(other.adminToken);
    await subscribe(other.adminToken, {
      customerId: c.id,
      lines: [{ productId: p, quantity: 4 }],
      cycle: { every: 1, unit: 'month' },
      firstDeliveryDate: '2030-04-10',
    });
    await ok(await post('/subscriptions/generate', { date: '2030-04-03' }, other.adminToken));
    const [order] = (await ok(await get('/subscriptions/shipments?date=2030-04-09', other.adminToken))).items;
    expect((await ok(await get('/subscriptions/shipments/summary?date=2030-04-09', other.adminToken))).items).toEqual([
      expect.objectContaining({ productId: p, quantity: 4 }),
    ]);
    await ok(await post(`/orders/${order.orderId}/cancel`, {}, other.adminToken));
    expect((await ok(await get('/subscriptions/shipments?date=2030-04-09', other.adminToken))).items).toEqual([]);
    expect(await ok(await get('/subscriptions/shipments/summary?date=2030-04-09', other.adminToken))).toMatchObject({
      orders: 0,
      items: [],
    });
  });

  it('exports the list as Shift_JIS CSV by default (UTF-8 with BOM on request), formula cells defused, audited', async () => {
    const res = await get('/subscriptions/shipments.csv?date=2030-04-09', supervisor);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=Shift_JIS');
    expect(String(res.headers['content-disposition'])).toContain(encodeURIComponent('定期発送一覧-20300409.csv'));
    const bytes = res.rawPayload;
    // Shift_JIS, not UTF-8: 受 is 0x8E 0xF3 in CP932.
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0x8e, 0xf3]));
    const text = iconv.decode(bytes, 'cp932');
    const rows = text.split('\r\n');
    expect(rows[0]).toBe(
      '受注番号,定期番号,回数,顧客コード,顧客名,フリガナ,商品,数量,プレゼント,出荷予定日,お届け予定日,時間帯,配送業者,都道府県,金額,遅延,状態',
    );
    expect(rows).toHaveLength(4); // header, two orders, the empty string after the last CRLF
    expect(rows[3]).toBe('');
    const hanakoRow = rows.find((r) => r.includes(hanako.code)) as string;
    expect(hanakoRow).toContain(',定期 花子,テイキ ハナコ,AOJIRU 青汁×2,2,,2030/04/09,2030/04/10,');
    expect(hanakoRow).toContain(',ヤマト運輸,東京都,');
    expect(hanakoRow).toMatch(/,第1回,/);
    expect(hanakoRow.endsWith(',,受付')).toBe(true);
    const formulaRow = rows.find((r) => r.includes(formula.code)) as string;
    expect(formulaRow).toContain(`,${formula.code},'=1+2 渡邊,ワタナベ,TEA 健康茶×1,1,SHAKER シェイカー×1,`);

    const utf = await get('/subscriptions/shipments.csv?date=2030-04-09&encoding=utf8', supervisor);
    expect(utf.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(utf.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(utf.rawPayload.subarray(3).toString('utf8')).toBe(text);

    const audited = await dbOf(app).withTenant(t.tenantId, (tx) =>
      tx.query<{ detail: { date: string; encoding: string } }>(
        `SELECT detail FROM audit_log WHERE tenant_id = $1 AND action = 'subscription.export_shipments' ORDER BY at, id`,
        [t.tenantId],
      ),
    );
    expect(audited.map((a) => a.detail)).toEqual([
      { date: '2030-04-09', by: 'ship', encoding: 'sjis' },
      { date: '2030-04-09', by: 'ship', encoding: 'utf8bom' },
    ]);
  });

  it('lets the desk read the list; CSV, forecast and generation are for supervisors and admins', async () => {
    const closer = await t.token('closer');
    expect((await get('/subscriptions/shipments?date=2030-04-09', operator)).statusCode).toBe(200);
    expect((await get('/subscriptions/shipments/summary?date=2030-04-09', operator)).statusCode).toBe(200);
    expect((await get('/subscriptions/shipments?date=2030-04-09', closer)).statusCode).toBe(403);
    expect((await get('/subscriptions/shipments.csv?date=2030-04-09', operator)).statusCode).toBe(403);
    expect((await get('/subscriptions/forecast', operator)).statusCode).toBe(403);
    expect((await post('/subscriptions/generate', {}, operator)).statusCode).toBe(403);
    expect((await get('/subscriptions/forecast', supervisor)).statusCode).toBe(200);
    const anon = await app.inject({ method: 'GET', url: '/api/v1/subscriptions/shipments' });
    expect(anon.statusCode).toBe(401);
  });
});

describe('POST /subscriptions/generate', () => {
  it("makes the caller's tenant's due deliveries once, audits the run, and refuses a date far ahead", async () => {
    const t = await makeTenant(app);
    const other = await makeTenant(app);
    const supervisor = await t.token('supervisor');
    for (const tenant of [t, other]) {
      const p = await product(tenant.adminToken, { code: 'G', name: '定期品', unitPrice: 1500 });
      const c = await customer(tenant.adminToken);
      await subscribe(tenant.adminToken, {
        customerId: c.id,
        lines: [{ productId: p, quantity: 1 }],
        cycle: { every: 1, unit: 'week' },
        firstDeliveryDate: '2030-04-08',
      });
    }
    // Today is 2030-04-01 and lead days are 7: the 04-08 delivery is due today.
    expect(await ok(await post('/subscriptions/generate', {}, supervisor))).toEqual({
      date: '2030-04-01',
      created: 1,
      late: 0,
      exceptions: 0,
    });
    expect((await ok(await post('/subscriptions/generate', { date: '2030-04-01' }, supervisor))).created).toBe(0);
    // The other tenant's delivery was not made.
    expect((await ok(await get('/subscriptions/shipments?date=2030-04-05', other.adminToken))).items).toEqual([]);
    expect((await ok(await get('/subscriptions/shipments?date=2030-04-05', t.adminToken))).items).toHaveLength(1);
    const runs = await dbOf(app).withTenant(t.tenantId, (tx) =>
      tx.query<{ actor_type: string; detail: unknown }>(
        `SELECT actor_type, detail FROM audit_log WHERE tenant_id = $1 AND action = 'subscription.generate' ORDER BY at, id`,
        [t.tenantId],
      ),
    );
    expect(runs.map((r) => r.detail)).toEqual(
      expect.arrayContaining([
        { date: '2030-04-01', created: 1, late: 0, exceptions: 0 },
        { date: '2030-04-01', created: 0, late: 0, exceptions: 0 },
      ]),
    );
    expect(runs).toHaveLength(2);
    const far = await post('/subscriptions/generate', { date: '2030-05-15' }, supervisor);
    expect(far.statusCode).toBe(422);
    expect((await post('/subscriptions/generate', { date: '2030-13-01' }, supervisor)).statusCode).toBe(400);
    expect((await post('/subscriptions/generate', { date: '2030-04-01', x: 1 }, supervisor)).statusCode).toBe(400);
  });
});

describe('GET /subscriptions/forecast', () => {
  let t: TestTenant;
  let supplement: string;
  let tea: string;
  let gift: string;

  beforeAll(async () => {
    t = await makeTenant(app);
    const admin = t.adminToken;
    supplement = await product(admin, { code: 'P-SUPP', name: 'サプリ', unitPrice: 4000, kind: 'subscription' });
    tea = await product(admin, { code: 'Q-TEA', name: 'お茶', unitPrice: 2000, kind: 'subscription' });
    gift = await product(admin, { code: 'R-GIFT', name: '記念品', unitPrice: 0, taxRate: 10, kind: 'present' });
    await dbOf(app).withTenant(t.tenantId, (tx) =>
      tx.query(
        `INSERT INTO product_delivery_presents (tenant_id, product_id, delivery_seq, present_product_id, quantity)
         VALUES ($1, $2, 2, $3, 1)`,
        [t.tenantId, tea, gift],
      ),
    );
    const c = (await customer(admin)).id;
    const sub = (productId: string, quantity: number, cycle: object, firstDeliveryDate: string) =>
      subscribe(admin, { customerId: c, lines: [{ productId, quantity }], cycle, firstDeliveryDate });
    // W: weekly, 2 × サプリ from Friday 04-05 (that one is made into an order below).
    await sub(supplement, 2, { every: 1, unit: 'week' }, '2030-04-05');
    // M: monthly on the 31st (else the month's last day), お茶 × 1, 記念品 on its 2nd delivery.
    await sub(tea, 1, { every: 1, unit: 'month', dayOfMonth: 31 }, '2030-04-30');
    // X: weekly from 04-03, 5 × サプリ, paused until 04-20: its next delivery is 04-24.
    const x = await sub(supplement, 5, { every: 1, unit: 'week' }, '2030-04-03');
    await ok(await post(`/subscriptions/${x.id}/pause`, { until: '2030-04-20' }, admin));
    // Y: cancelled; Z: paused until resumed. Neither counts.
    const y = await sub(supplement, 7, { every: 1, unit: 'week' }, '2030-04-10');
    await ok(await post(`/subscriptions/${y.id}/cancel`, {}, admin));
    const z = await sub(supplement, 9, { every: 1, unit: 'week' }, '2030-04-10');
    await ok(await post(`/subscriptions/${z.id}/pause`, {}, admin));
    // V: weekly お茶 × 3 from Friday 04-12, that delivery moved to Monday 04-15 (then 04-19, 04-26 …).
    const v = await sub(tea, 3, { every: 1, unit: 'week' }, '2030-04-12');
    await ok(await post(`/subscriptions/${v.id}/move`, { date: '2030-04-15' }, admin));
    // Today's run makes W's 04-05 delivery (04-05 − 7 ≤ 04-01) and nothing else.
    expect((await ok(await post('/subscriptions/generate', {}, admin))).created).toBe(1);
  });

  const units = (f: { days: string[]; products: { productId: string; units: number[] }[] }, id: string) => {
    const p = f.products.find((x) => x.productId === id);
    const out: Record<string, number> = {};
    p?.units.forEach((u, i) => {
      if (u) out[f.days[i] as string] = u;
    });
    return out;
  };

  it('counts 30 days by hand: weekly, monthly, made orders, pause-until, moved delivery; not cancelled or paused', async () => {
    const f = await ok(await get('/subscriptions/forecast?days=30', t.adminToken));
    expect(f.from).toBe('2030-04-01');
    expect(f.to).toBe('2030-04-30');
    expect(f.days).toHaveLength(30);
    expect(units(f, supplement)).toEqual({
      '2030-04-05': 2, // W, already an order
      '2030-04-12': 2,
      '2030-04-19': 2,
      '2030-04-24': 5, // X after its pause
      '2030-04-26': 2,
    });
    expect(units(f, tea)).toEqual({
      '2030-04-15': 3, // V's moved delivery
      '2030-04-19': 3,
      '2030-04-26': 3,
      '2030-04-30': 1, // M's first
    });
    // お茶's 2nd delivery brings 記念品: V's comes on 04-19 (the moved one was its 1st).
    expect(units(f, gift)).toEqual({ '2030-04-19': 1 });
    expect(f.products.map((p: { productCode: string }) => p.productCode)).toEqual(['P-SUPP', 'Q-TEA', 'R-GIFT']);
    expect(f.products.map((p: { total: number; presents: number }) => [p.total, p.presents])).toEqual([
      [13, 0],
      [10, 0],
      [1, 1],
    ]);
    expect(f.deliveries).toBe(9);
    const i = (d: string) => f.days.indexOf(d);
    expect(f.totals[i('2030-04-19')]).toBe(2 + 3 + 1);
    expect(f.totals[i('2030-04-26')]).toBe(5);
    expect(f.totals[i('2030-04-02')]).toBe(0);
    expect(f.totals.reduce((a: number, b: number) => a + b, 0)).toBe(24);
  });

  it('counts 60 and 90 days: month ends and the nth-delivery present', async () => {
    const f60 = await ok(await get('/subscriptions/forecast?days=60', t.adminToken));
    expect(f60.to).toBe('2030-05-30');
    // May 31st is outside 60 days: M delivers once.
    expect(Object.entries(units(f60, tea)).filter(([d]) => d === '2030-04-30' || d === '2030-05-31')).toEqual([
      ['2030-04-30', 1],
    ]);
    expect(units(f60, gift)).toEqual({ '2030-04-19': 1 });
    const f90 = await ok(await get('/subscriptions/forecast?days=90', t.adminToken));
    expect(f90.to).toBe('2030-06-29');
    // M: 04-30, 05-31 (its 2nd delivery: + 記念品); 06-30 is outside.
    expect(units(f90, tea)['2030-05-31']).toBe(1 + 3); // M, and V's Friday delivery (04-12 + 7 weeks)
    expect(units(f90, tea)['2030-06-30']).toBeUndefined();
    expect(units(f90, gift)).toEqual({ '2030-04-19': 1, '2030-05-31': 1 });
    expect(f90.products.find((p: { productId: string }) => p.productId === gift)).toMatchObject({
      total: 2,
      presents: 2,
    });
    // サプリ over 90 days: W weekly from 04-05 to 06-28 (13 deliveries × 2), X weekly from 04-24 to 06-26 (10 × 5).
    expect(f90.products.find((p: { productId: string }) => p.productId === supplement).total).toBe(13 * 2 + 10 * 5);
  });

  it('starts from a given day and accepts only 30, 60 or 90 days', async () => {
    const f = await ok(await get('/subscriptions/forecast?days=30&from=2030-04-20', t.adminToken));
    expect(f.to).toBe('2030-05-19');
    expect(units(f, supplement)).toEqual({
      '2030-04-24': 5,
      '2030-04-26': 2,
      '2030-05-01': 5,
      '2030-05-03': 2,
      '2030-05-08': 5,
      '2030-05-10': 2,
      '2030-05-15': 5,
      '2030-05-17': 2,
    });
    expect((await get('/subscriptions/forecast?days=45', t.adminToken)).statusCode).toBe(400);
    expect((await get('/subscriptions/forecast?from=2030-02-30', t.adminToken)).statusCode).toBe(400);
  });
});

describe('tenants', () => {
  it("never shows another tenant's shipments, totals or forecast", async () => {
    const a = await makeTenant(app);
    const b = await makeTenant(app);
    const products = new Map<string, string>();
    const kit = crossTenantKit(app, a, b);
    await kit.expectIsolated({
      create: async (token) => {
        const p = await product(token, { code: `K-${randomUUID().slice(0, 8)}`, name: '隔離テスト', unitPrice: 900 });
        const c = await customer(token);
        await subscribe(token, {
          customerId: c.id,
          lines: [{ productId: p, quantity: 1 }],
          cycle: { every: 1, unit: 'month' },
          firstDeliveryDate: '2030-04-10',
        });
        expect((await ok(await post('/subscriptions/generate', { date: '2030-04-03' }, token))).created).toBe(1);
        const list = await ok(await get('/subscriptions/shipments?date=2030-04-09&limit=500', token));
        const made = list.items.find((s: { lines: { productId: string }[] }) => s.lines[0]?.productId === p);
        products.set(made.orderId, p);
        return made.orderId;
      },
      read: (id) => `/api/v1/orders/${id}`,
      list: '/api/v1/subscriptions/shipments?date=2030-04-09',
    });
    const [aOrder, , bOrder] = [...products.keys()];
    const bSummary = await ok(await get('/subscriptions/shipments/summary?date=2030-04-09', b.adminToken));
    expect(bSummary.orders).toBe(1);
    expect(bSummary.items.map((i: { productId: string }) => i.productId)).toEqual([products.get(bOrder as string)]);
    const bForecast = await ok(await get('/subscriptions/forecast?days=90', b.adminToken));
    expect(bForecast.products.map((p: { productId: string }) => p.productId)).toEqual([products.get(bOrder as string)]);
    const bCsv = iconv.decode(
      (await get('/subscriptions/shipments.csv?date=2030-04-09', b.adminToken)).rawPayload,
      'cp932',
    );
    expect(bCsv.split('\r\n')).toHaveLength(3);
    expect(products.get(aOrder as string)).not.toBe(products.get(bOrder as string));
  });
});
