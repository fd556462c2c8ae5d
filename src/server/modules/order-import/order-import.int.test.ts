// Web受注取込 and 受注一覧 CSV (issue 5): grouping rows into orders, customers matched by phone or
// e-mail or made once, per-row errors (ja/en) with nothing written, dry runs that write nothing,
// Shift_JIS files, presets, roles, tenants, and the export for Excel.
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.js';
import { crossTenantKit } from '../../test/cross-tenant.js';
import { auth, dbOf, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';

// 2030-04-05 is a Friday.
const clock = new ManualClock(new Date('2030-04-05T10:00:00+09:00'));
let app: TestApp;

async function call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, token: string, payload?: unknown) {
  return app.inject({
    method,
    url: `/api/v1${url}`,
    headers: auth(token),
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}
async function made(url: string, payload: unknown, token: string) {
  const res = await call('POST', url, token, payload);
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json();
}

function postCsv(token: string, body: string | Buffer, query: Record<string, string> = {}, lang = 'ja') {
  const qs = new URLSearchParams(query).toString();
  return app.inject({
    method: 'POST',
    url: `/api/v1/orders/import${qs ? `?${qs}` : ''}`,
    headers: { ...auth(token), 'content-type': 'text/csv', 'accept-language': lang },
    payload: body,
  });
}

async function counts(t: TestTenant) {
  const [row] = await dbOf(app).withTenant(t.tenantId, (tx) =>
    tx.query<{ orders: number; customers: number; refs: number }>(
      `SELECT (SELECT count(*)::int FROM orders WHERE tenant_id = $1) AS orders,
              (SELECT count(*)::int FROM customers WHERE tenant_id = $1) AS customers,
              (SELECT count(*)::int FROM order_import_refs WHERE tenant_id = $1) AS refs`,
      [t.tenantId],
    ),
  );
  return row;
}

/** A tenant with products, a payment method and two customers to match (one by phone, one by e-mail). */
async function shop() {
  const t = await makeTenant(app);
  await made('/products', { code: 'AOJIRU', name: '青汁', unitPrice: 3240, taxRate: 8 }, t.adminToken);
  await made('/products', { code: 'MUG', name: 'マグカップ', unitPrice: 1100, taxRate: 10 }, t.adminToken);
  await made('/payment-methods', { code: 'CARD', name: 'クレジットカード', kind: 'card' }, t.adminToken);
  const byPhone = await made(
    '/customers',
    { name: '既存 電話', phones: [{ number: '03-1111-2222' }], prefecture: '東京都', city: '千代田区' },
    t.adminToken,
  );
  const byEmail = await made('/customers', { name: '既存 メール', emails: ['mail@example.jp'] }, t.adminToken);
  return { t, byPhone: byPhone.id as string, byEmail: byEmail.id as string };
}

const HEADER =
  'orderNumber,productCode,quantity,unitPrice,name,phone,email,postalCode,prefecture,city,address1,paymentMethod,note';
const GOOD = [
  HEADER,
  // Existing customer, the number written another way; two lines; the site's price for one of them.
  'W-1001,AOJIRU,2,,別名で注文,０３－１１１１－２２２２,,,,,,CARD,ギフト包装',
  'W-1001,mug,1,990,,,,,,,,,',
  // A new customer, and a second order by the same new customer: one customer made.
  'W-1002,MUG,3,,新規 花子,090-1234-5678,hanako@example.jp,100-0001,東京都,千代田区,千代田1-1,,',
  'W-1003,AOJIRU,1,,新規 花子,09012345678,,100-0001,東京都,千代田区,千代田1-1,,',
  // Existing customer by e-mail (case folded).
  'W-1004,MUG,1,,メール 様,,MAIL@example.jp,,,,,,',
].join('\r\n');

beforeAll(async () => {
  app = await testApp({ clock });
});

describe('POST /orders/import', () => {
  it('a good file: rows grouped into orders, customers matched by phone and e-mail or made once, channel web', async () => {
    const { t, byPhone, byEmail } = await shop();
    const before = await counts(t);
    const res = await postCsv(t.adminToken, GOOD);
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      encoding: 'utf8',
      rows: 5,
      orders: 4,
      valid: 4,
      imported: 4,
      customersMatched: 2,
      customersCreated: 1,
      errors: [],
    });
    const after = await counts(t);
    expect(after).toEqual({ orders: 4, customers: (before?.customers ?? 0) + 1, refs: 4 });
    const items = body.items as {
      externalNumber: string;
      customerMatch: string;
      orderId: string;
      customerId: string;
    }[];
    expect(items.map((i) => [i.externalNumber, i.customerMatch])).toEqual([
      ['W-1001', 'phone'],
      ['W-1002', 'new'],
      ['W-1003', 'new'],
      ['W-1004', 'email'],
    ]);
    expect(items[0]?.customerId).toBe(byPhone);
    expect(items[3]?.customerId).toBe(byEmail);
    expect(items[1]?.customerId).toBe(items[2]?.customerId);

    const o1 = (await call('GET', `/orders/${items[0]?.orderId}`, t.adminToken)).json();
    expect(o1).toMatchObject({ channel: 'web', customerId: byPhone, paymentMethodName: 'クレジットカード' });
    expect(o1.note).toBe('Web注文番号: W-1001 / ギフト包装');
    expect(
      o1.lines.map((l: { productCode: string; quantity: number; unitPrice: number }) => [
        l.productCode,
        l.quantity,
        l.unitPrice,
      ]),
    ).toEqual([
      ['AOJIRU', 2, 3240],
      ['MUG', 1, 990],
    ]);
    const created = (await call('GET', `/customers/${items[1]?.customerId}`, t.adminToken)).json();
    expect(created).toMatchObject({ name: '新規 花子', emails: ['hanako@example.jp'], prefecture: '東京都' });
    expect(created.phones[0].e164).toBe('+819012345678');

    // The same file again: every order already imported, nothing made twice.
    const again = await postCsv(t.adminToken, GOOD);
    expect(again.statusCode).toBe(422);
    expect(again.json().errors.map((e: { row: number; code: string }) => [e.row, e.code])).toEqual([
      [2, 'already_imported'],
      [3, 'already_imported'],
      [4, 'already_imported'],
      [5, 'already_imported'],
      [6, 'already_imported'],
    ]);
    expect(await counts(t)).toEqual(after);
  });

  it('a dry run of a good file: 200 with totals and matches, nothing written', async () => {
    const { t } = await shop();
    const before = await counts(t);
    const res = await postCsv(t.adminToken, GOOD, { dryRun: 'true' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ orders: 4, valid: 4, imported: 0, customersCreated: 1, errors: [] });
    // 3,240 × 2 + 990 goods; no shipping-fee rule.
    expect(body.items[0]).toMatchObject({ externalNumber: 'W-1001', total: 7470, orderId: null, orderNumber: null });
    expect(body.items[1]).toMatchObject({ customerMatch: 'new', customerId: null, customerName: '新規 花子' });
    expect(await counts(t)).toEqual(before);
  });

  it('a dry run lists every bad row (row, the file’s column, reason) and writes nothing; English on request', async () => {
    const { t } = await shop();
    const before = await counts(t);
    const csv = [
      '受注番号,品番,個数,お名前,TEL,お届け日',
      'A-1,AOJIRU,1,良い 行,03-1111-2222,2030/4/20',
      'A-2,NOPE,1,商品 不明,03-1111-2222,',
      'A-3,MUG,0,数量 不正,03-1111-2222,',
      'A-4,MUG,1,連絡先 なし,,',
      'A-5,MUG,1,日付 不正,03-1111-2222,2030/2/30',
      ',MUG,1,番号 なし,03-1111-2222,',
      'A-6,MUG,1,電話 不正,abc,',
    ].join('\n');
    const mapping = {
      orderNumber: '受注番号',
      productCode: '品番',
      quantity: '個数',
      name: 'お名前',
      phone: 'TEL',
      desiredDeliveryDate: 'お届け日',
    };
    const res = await postCsv(t.adminToken, csv, { dryRun: 'true', mapping: JSON.stringify(mapping) });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body.code).toBe('import.invalid_rows');
    expect(body.errors.map((e: { row: number; column: string; code: string }) => [e.row, e.column, e.code])).toEqual([
      [3, '品番', 'product_unknown'],
      [4, '個数', 'invalid_quantity'],
      [5, 'TEL', 'customer_key'],
      [6, 'お届け日', 'invalid_date'],
      [7, '受注番号', 'required'],
      [8, 'TEL', 'invalid_phone'],
    ]);
    expect(body.errors[0].message).toBe('商品コード「NOPE」の商品がありません。');
    expect(body).toMatchObject({ rows: 7, orders: 6, valid: 1, imported: 0 });
    expect(await counts(t)).toEqual(before);

    const en = await postCsv(t.adminToken, csv, { dryRun: 'true', mapping: JSON.stringify(mapping) }, 'en');
    expect(en.json().errors[0].message).toBe('No product has the code "NOPE".');
  });

  it('one bad row → 422 on commit and nothing written (no orders, no customers); order errors name their row', async () => {
    const { t } = await shop();
    const before = await counts(t);
    const csv = [
      HEADER,
      'B-1,AOJIRU,1,,新規 一郎,080-1111-0001,,,,,,,',
      'B-2,MUG,1,,新規 二郎,080-1111-0002,,,,,,,',
      'B-2,AOJIRU,1,,,,,,,,,,',
      'B-3,MUG,1,,新規 三郎,080-1111-0003,,,,,,GIFT,',
    ].join('\r\n');
    const res = await postCsv(t.adminToken, csv);
    expect(res.statusCode, res.body).toBe(422);
    // An unknown payment code is found by the order rules (createOrders): on the order's first row.
    expect(res.json().errors).toEqual([
      {
        row: 5,
        column: 'paymentMethod',
        code: 'not_found',
        message: '指定されたマスタ (paymentMethod) が見つからないか、無効です。',
      },
    ]);
    expect(res.json()).toMatchObject({ imported: 0, valid: 2, customersCreated: 3 });
    expect(await counts(t)).toEqual(before);
  });

  it('reads a Shift_JIS file with the columns of a saved preset', async () => {
    const { t } = await shop();
    const preset = await made(
      '/order-import/presets',
      {
        name: '楽天形式',
        mapping: {
          orderNumber: '注文番号',
          productCode: '商品番号',
          quantity: '個数',
          name: '注文者名',
          phone: '注文者電話番号',
          email: '注文者メール',
        },
      },
      t.adminToken,
    );
    const csv = [
      '注文番号,商品番号,個数,注文者名,注文者電話番号,注文者メール',
      'R-1,AOJIRU,1,髙橋 﨑子,0311112223,',
    ].join('\r\n');
    const res = await postCsv(t.adminToken, iconv.encode(csv, 'cp932'), { presetId: preset.id });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ encoding: 'sjis', imported: 1, customersCreated: 1 });
    expect(res.json().items[0].customerName).toBe('髙橋 﨑子');

    // A mapping naming a column the file lacks, or none that the file's headers name: 400.
    const wrong = await postCsv(t.adminToken, 'a,b\n1,2\n', { presetId: preset.id });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().code).toBe('mapping_unknown_header');
    const none = await postCsv(t.adminToken, 'a,b\n1,2\n');
    expect(none.statusCode).toBe(400);
    expect(none.json().code).toBe('mapping_missing');
    const bad = await postCsv(t.adminToken, 'a,b\n1,2\n', { mapping: '{"nope":1}' });
    expect(bad.json().code).toBe('mapping_invalid');
  });
});

describe('presets', () => {
  it('CRUD with names unique per tenant, ETag/If-Match and keyset pages', async () => {
    const t = await makeTenant(app);
    const a = await made('/order-import/presets', { name: 'B形式', mapping: { orderNumber: 'No' } }, t.adminToken);
    await made('/order-import/presets', { name: 'A形式', mapping: { orderNumber: '注文ID' } }, t.adminToken);
    const dup = await call('POST', '/order-import/presets', t.adminToken, { name: 'B形式', mapping: {} });
    expect(dup.statusCode).toBe(409);
    const first = (await call('GET', '/order-import/presets?limit=1', t.adminToken)).json();
    expect(first.items.map((p: { name: string }) => p.name)).toEqual(['A形式']);
    const second = (await call('GET', `/order-import/presets?limit=1&cursor=${first.nextCursor}`, t.adminToken)).json();
    expect(second).toMatchObject({ items: [{ name: 'B形式' }], nextCursor: null });

    const stale = await app.inject({
      method: 'PATCH',
      url: `/api/v1/order-import/presets/${a.id}`,
      headers: { ...auth(t.adminToken), 'if-match': '"0"' },
      payload: { name: 'C形式' },
    });
    expect(stale.statusCode).toBe(412);
    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/v1/order-import/presets/${a.id}`,
      headers: { ...auth(t.adminToken), 'if-match': '"1"' },
      payload: { mapping: { orderNumber: 'No', productCode: 'SKU' } },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ name: 'B形式', version: 2, mapping: { productCode: 'SKU' } });
    expect((await call('PATCH', `/order-import/presets/${a.id}`, t.adminToken, { name: 'A形式' })).statusCode).toBe(
      409,
    );
    expect((await call('DELETE', `/order-import/presets/${a.id}`, t.adminToken)).statusCode).toBe(204);
    expect((await call('GET', `/order-import/presets/${a.id}`, t.adminToken)).statusCode).toBe(404);
  });

  it("another tenant's presets answer 404 and never show", async () => {
    const kit = crossTenantKit(app, await makeTenant(app), await makeTenant(app));
    let n = 0;
    await kit.expectIsolated({
      create: async (token) =>
        (await made('/order-import/presets', { name: `形式${n++}`, mapping: { orderNumber: 'No' } }, token)).id,
      read: (id) => `/api/v1/order-import/presets/${id}`,
      list: '/api/v1/order-import/presets',
      writes: (id) => [
        { method: 'PATCH', url: `/api/v1/order-import/presets/${id}`, payload: { name: 'x' } },
        { method: 'DELETE', url: `/api/v1/order-import/presets/${id}` },
      ],
    });
  });
});

describe('tenants and roles', () => {
  it("an import never matches another tenant's customers or products", async () => {
    const { t: a } = await shop();
    const b = await makeTenant(app);
    await made('/products', { code: 'MUG', name: 'B社マグ', unitPrice: 500, taxRate: 10 }, b.adminToken);
    // 03-1111-2222 is A's customer: B gets a new customer of its own. AOJIRU is A's product only.
    const csv = ['orderNumber,productCode,quantity,name,phone', 'X-1,MUG,1,B社 顧客,03-1111-2222'].join('\n');
    const res = await postCsv(b.adminToken, csv);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ customersMatched: 0, customersCreated: 1 });
    const unknown = await postCsv(b.adminToken, `${csv.split('\n')[0]}\nX-2,AOJIRU,1,B社 顧客,03-1111-2222`);
    expect(unknown.json().errors[0].code).toBe('product_unknown');
    expect((await counts(a))?.orders).toBe(0);
  });

  it('operators may neither import, nor keep presets, nor export', async () => {
    const { t } = await shop();
    const op = await t.token('operator');
    expect((await postCsv(op, GOOD, { dryRun: 'true' })).statusCode).toBe(403);
    expect((await call('GET', '/order-import/presets', op)).statusCode).toBe(403);
    expect((await call('POST', '/order-import/presets', op, { name: 'x', mapping: {} })).statusCode).toBe(403);
    expect((await call('GET', '/orders.csv', op)).statusCode).toBe(403);
    const sup = await t.token('supervisor');
    expect((await postCsv(sup, GOOD, { dryRun: 'true' })).statusCode).toBe(200);
  });
});

describe('GET /orders.csv', () => {
  let t: TestTenant;
  let numbers: Record<string, number>;
  beforeAll(async () => {
    ({ t } = await shop());
    expect((await postCsv(t.adminToken, GOOD)).statusCode).toBe(201);
    const phoneOrder = await made(
      '/orders',
      {
        customerId: (await call('GET', '/customers/lookup?phone=0311112222', t.adminToken)).json().items[0].id,
        lines: [{ productId: (await call('GET', '/products?q=MUG', t.adminToken)).json().items[0].id, quantity: 1 }],
        note: '=HYPERLINK("http://evil.example")',
      },
      t.adminToken,
    );
    const list = (await call('GET', '/orders?limit=500', t.adminToken)).json().items as {
      number: number;
      note: string;
    }[];
    numbers = Object.fromEntries(list.map((o) => [o.note?.match(/W-\d+/)?.[0] ?? 'phone', o.number]));
    expect(numbers.phone).toBe(phoneOrder.number);
    // Another tenant's orders never appear.
    const other = await shop();
    expect((await postCsv(other.t.adminToken, GOOD)).statusCode).toBe(201);
  });

  const orderNumbersOf = (text: string) =>
    new Set(
      text
        .split('\r\n')
        .slice(1)
        .filter((l) => l !== '')
        .map((l) => Number(l.split(',')[0])),
    );

  it('Shift_JIS by default: one row per line, Japanese header, CRLF, formulas defused', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/orders.csv', headers: auth(t.adminToken) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=Shift_JIS');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename=".*\.csv"; filename\*=UTF-8''/);
    const text = iconv.decode(res.rawPayload, 'cp932');
    const lines = text.split('\r\n').filter((l) => l !== '');
    expect(lines[0]?.startsWith('受注番号,受付日,受注日時,区分,伝票種別,状態,顧客コード,顧客名')).toBe(true);
    // W-1001 has 2 lines, the others 1 each: 6 rows.
    expect(lines).toHaveLength(1 + 6);
    expect(orderNumbersOf(text)).toEqual(new Set(Object.values(numbers)));
    expect(text).toContain('新規 花子');
    expect(text).toContain('Web注文番号: W-1001 / ギフト包装');
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"")"`);
  });

  it('the filters of GET /orders: customer, status, dates; UTF-8 with BOM on request', async () => {
    const orders = (await call('GET', '/orders?limit=500', t.adminToken)).json().items as {
      id: string;
      number: number;
      customerId: string;
    }[];
    const target = orders.find((o) => o.number === numbers['W-1002']);
    const res = await app.inject({
      method: 'GET',
      url: `/api/v1/orders.csv?encoding=utf8bom&customerId=${target?.customerId}`,
      headers: auth(t.adminToken),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = res.rawPayload.subarray(3).toString('utf8');
    expect(orderNumbersOf(text)).toEqual(new Set([numbers['W-1002'], numbers['W-1003']]));

    const cancelled = orders.find((o) => o.number === numbers['W-1004']);
    expect((await call('POST', `/orders/${cancelled?.id}/cancel`, t.adminToken, {})).statusCode).toBe(200);
    const byStatus = await app.inject({
      method: 'GET',
      url: '/api/v1/orders.csv?encoding=utf8bom&status=cancelled',
      headers: auth(t.adminToken),
    });
    expect(orderNumbersOf(byStatus.rawPayload.subarray(3).toString('utf8'))).toEqual(new Set([numbers['W-1004']]));
    const none = await app.inject({
      method: 'GET',
      url: '/api/v1/orders.csv?encoding=utf8bom&from=2030-04-06&to=2030-04-30',
      headers: auth(t.adminToken),
    });
    expect(orderNumbersOf(none.rawPayload.subarray(3).toString('utf8'))).toEqual(new Set());
    const day = await app.inject({
      method: 'GET',
      url: '/api/v1/orders.csv?from=2030-04-05&to=2030-04-05',
      headers: auth(t.adminToken),
    });
    expect(orderNumbersOf(iconv.decode(day.rawPayload, 'cp932')).size).toBe(5);
  });
});
