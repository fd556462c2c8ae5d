import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.js';
import { auth, dbOf, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';
import { type PaymentsFixture, paymentsFixture } from './payments.fixtures.js';
import { writeZengin } from './payments.zengin.js';

let app: TestApp;
let a: TestTenant;
let f: PaymentsFixture;
const clock = new ManualClock(new Date('2025-06-02T03:00:00Z'));

beforeAll(async () => {
  app = await testApp({ clock, env: { LOG_LEVEL: process.env.DEBUG_LOG ?? 'silent' } });
  a = await makeTenant(app);
  f = paymentsFixture(app, dbOf(app), a);
});

const upload = (token: string, query: string, body: Buffer | string, type = 'application/octet-stream') =>
  app.inject({
    method: 'POST',
    url: `/api/v1/payments/imports?${query}`,
    headers: { ...auth(token), 'content-type': type },
    payload: body,
  });
const get = (url: string, token = a.adminToken) =>
  app.inject({ method: 'GET', url: `/api/v1${url}`, headers: auth(token) });
const post = (url: string, payload: unknown, token = a.adminToken) =>
  app.inject({ method: 'POST', url: `/api/v1${url}`, headers: auth(token), payload: payload as object });

describe('全銀 statement import and matching', () => {
  let orders: Record<string, { id: string; number: number; total: number }>;
  let file: Buffer;

  beforeAll(async () => {
    const yamada = await f.customer('山田 花子', 'ヤマダ ハナコ');
    const suzuki = await f.customer('鈴木 一郎', 'スズキ イチロウ');
    const sato = await f.customer('佐藤 健', 'さとう けん');
    const kobayashi = await f.customer('小林 由紀', 'コバヤシ ユキ');
    const ito = await f.customer('伊藤 愛', 'イトウ アイ');
    const line = async (price: number) => [
      { productId: await f.product(`G${price}-${Math.random()}`.slice(0, 20)), quantity: 1, unitPrice: price },
    ];
    orders = {
      reference: await f.order({ customerId: yamada, number: 1001, lines: await line(5800) }),
      kana: await f.order({ customerId: suzuki, number: 1002, lines: await line(3000) }),
      sato1: await f.order({ customerId: sato, number: 1003, lines: await line(4000) }),
      sato2: await f.order({ customerId: sato, number: 1004, lines: await line(4000) }),
      partial: await f.order({ customerId: kobayashi, number: 1006, lines: await line(5000) }),
      over: await f.order({ customerId: ito, number: 1007, lines: await line(5000) }),
    };
    file = writeZengin(
      [
        // 1. exact reference (order number in 摘要), amount equal.
        { date: '2025-05-30', amount: 5800, payerName: 'ﾔﾏﾀﾞ ﾊﾅｺ', summary: '1001' },
        // 2. amount + kana, unique (no reference written).
        { date: '2025-05-30', amount: 3000, payerName: 'ｽｽﾞｷ ｲﾁﾛｳ' },
        // 3. two open orders of this kana owe this amount → queue (ambiguous).
        { date: '2025-05-31', amount: 4000, payerName: 'ｻﾄｳ ｹﾝ' },
        // 4. a withdrawal: not a payment.
        { date: '2025-05-31', amount: 770, payerName: 'ﾃｽｳﾘﾖｳ', direction: 2 },
        // 5. nobody → queue (no candidate).
        { date: '2025-06-01', amount: 1234, payerName: 'ﾀﾅｶ ｼﾞﾛｳ' },
        // 6. partial: the reference and the kana, less than owed.
        { date: '2025-06-01', amount: 1000, payerName: '1006 ｺﾊﾞﾔｼ ﾕｷ' },
        // 7. over-payment: the reference (EDI) and the kana, more than owed.
        { date: '2025-06-02', amount: 6000, payerName: 'ｲﾄｳ ｱｲ', edi: 'ﾁｭｳﾓﾝ1007' },
        // 8. a stray number, another payer, another amount → queue, the order only suggested.
        { date: '2025-06-02', amount: 999, payerName: 'ﾖｼﾀﾞ ﾏｷ', summary: '1003' },
      ],
      { created: '2025-06-02' },
    );
  });

  it('answers a dry run with the plan and writes nothing', async () => {
    const before = await f.count('statement_lines');
    const res = await upload(a.adminToken, 'kind=zengin&dryRun=true', file);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      importId: null,
      lines: 7,
      imported: 0,
      duplicates: 0,
      matched: 4,
      queued: 3,
      skipped: 1,
    });
    expect(
      body.items.map((i: { outcome: string; rule: string | null; queueReason: string | null }) => [
        i.outcome,
        i.rule ?? i.queueReason,
      ]),
    ).toEqual([
      ['matched', 'reference'],
      ['matched', 'amount_kana'],
      ['queued', 'ambiguous'],
      ['queued', 'no_candidate'],
      ['matched', 'reference'],
      ['matched', 'reference'],
      ['queued', 'unconfirmed_reference'],
    ]);
    expect(await f.count('statement_lines')).toBe(before);
    expect(await f.paid(orders.reference?.id as string)).toBe(0);
  });

  it('imports: matched lines become payments, the rest wait in the queue; statuses follow', async () => {
    const res = await upload(a.adminToken, 'kind=zengin', file);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      lines: 7,
      imported: 7,
      matched: 4,
      queued: 3,
      amount: 5800 + 3000 + 4000 + 1234 + 1000 + 6000 + 999,
    });
    const status = async (key: string) => (await get(`/payments/orders/${orders[key]?.id}`)).json();
    expect(await status('reference')).toMatchObject({ status: 'paid', paidAmount: 5800 });
    expect(await status('kana')).toMatchObject({ status: 'paid' });
    expect(await status('sato1')).toMatchObject({ status: 'unpaid' });
    expect(await status('partial')).toMatchObject({ status: 'partial', balance: 4000 });
    expect(await status('over')).toMatchObject({ status: 'over', credit: 1000 });
    const paid = (await status('reference')).payments[0];
    expect(paid).toMatchObject({
      source: 'import',
      method: 'bank_transfer',
      paidOn: '2025-05-30',
      payerName: 'ﾔﾏﾀﾞ ﾊﾅｺ',
    });

    const queue = (await get('/payments/unmatched')).json().items;
    expect(queue.map((q: { amount: number; queueReason: string }) => [q.amount, q.queueReason])).toEqual([
      [4000, 'ambiguous'],
      [1234, 'no_candidate'],
      [999, 'unconfirmed_reference'],
    ]);
    expect(queue[0].candidates.map((c: { number: number }) => c.number).sort()).toEqual([1003, 1004]);
    expect(queue[2].candidates.map((c: { number: number }) => c.number)).toEqual([1003]);
  });

  it('adds nothing when the same file comes again', async () => {
    const payments = await f.count('payments');
    const res = await upload(a.adminToken, 'kind=zengin', file);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ imported: 0, duplicates: 7, matched: 0, queued: 0 });
    expect(await f.count('payments')).toBe(payments);
    expect(await f.paid(orders.reference?.id as string)).toBe(5800);
  });

  it('refuses a bad file whole, listing every bad record, and rolls nothing in', async () => {
    const text = writeZengin(
      [
        { date: '2025-06-02', amount: 4000, payerName: 'ｻﾄｳ ｹﾝ', summary: '1004' },
        { date: '2025-06-02', amount: 100, payerName: 'X' },
      ],
      { created: '2025-06-02' },
    )
      .toString('latin1')
      .split('\r\n');
    // The second deposit's amount is not a number; the trailer still says 2 deposits.
    text[2] = `${(text[2] as string).slice(0, 24)}00000000010X${(text[2] as string).slice(36)}`;
    const before = { lines: await f.count('statement_lines'), payments: await f.count('payments') };
    const res = await upload(a.adminToken, 'kind=zengin', Buffer.from(text.join('\r\n'), 'latin1'));
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.json().errors).toEqual([
      expect.objectContaining({
        row: 3,
        column: '取引金額',
        code: 'invalid_amount',
        message: '金額が正しくありません。',
      }),
    ]);
    expect({ lines: await f.count('statement_lines'), payments: await f.count('payments') }).toEqual(before);
    expect(await f.paid(orders.sato2?.id as string)).toBe(0);
  });

  it('works the queue: match to an order, dismiss, and a cancelled payment sends its line back', async () => {
    const queue = (await get('/payments/unmatched')).json().items;
    const [ambiguous, nobody] = queue;
    const matched = await post(`/payments/unmatched/${ambiguous.id}/match`, { orderId: orders.sato2?.id });
    expect(matched.statusCode).toBe(200);
    expect(matched.json()).toMatchObject({ status: 'matched', matchRule: 'manual', paymentId: expect.any(String) });
    expect(await f.paid(orders.sato2?.id as string)).toBe(4000);
    expect((await post(`/payments/unmatched/${ambiguous.id}/match`, { orderId: orders.sato1?.id })).statusCode).toBe(
      409,
    );

    const dismissed = await post(`/payments/unmatched/${nobody.id}/dismiss`, { note: '利息' });
    expect(dismissed.json()).toMatchObject({ status: 'dismissed', dismissNote: '利息' });
    expect((await get('/payments/unmatched?status=dismissed')).json().items.map((i: { id: string }) => i.id)).toEqual([
      nobody.id,
    ]);

    const cancel = await post(`/payments/${matched.json().paymentId}/cancel`, {});
    expect(cancel.statusCode).toBe(200);
    expect(await f.paid(orders.sato2?.id as string)).toBe(0);
    expect((await get(`/payments/unmatched/${ambiguous.id}`)).json()).toMatchObject({
      status: 'unmatched',
      paymentId: null,
    });

    // Another tenant sees none of it.
    const b = await makeTenant(app);
    expect((await get(`/payments/unmatched/${ambiguous.id}`, b.adminToken)).statusCode).toBe(404);
    expect(
      (await post(`/payments/unmatched/${ambiguous.id}/match`, { orderId: orders.sato2?.id }, b.adminToken)).statusCode,
    ).toBe(404);
    expect((await post(`/payments/unmatched/${ambiguous.id}/dismiss`, {}, b.adminToken)).statusCode).toBe(404);
    expect((await get('/payments/unmatched', b.adminToken)).json().items).toEqual([]);
    // B's match of A's line to B's own order changes nothing of A's.
    expect((await get(`/payments/unmatched/${ambiguous.id}`)).json().status).toBe('unmatched');
  });
});

describe('CSV statements: bank, 代引き, 後払い', () => {
  it('reads a Shift_JIS bank CSV with named columns and skips withdrawals', async () => {
    const c = await f.customer('中村 翔', 'ナカムラ ショウ');
    const o = await f.order({
      customerId: c,
      number: 2001,
      lines: [{ productId: await f.product('CSV1'), quantity: 2, unitPrice: 1500 }],
    });
    const csv = iconv.encode(
      '取引日,お引出金額,お預入金額,お取引内容,メモ\r\n2025/06/01,5000,,ｶｰﾄﾞ,\r\n2025/06/01,,"3,000",ﾅｶﾑﾗ ｼｮｳ,\r\n',
      'cp932',
    );
    const dry = await upload(a.adminToken, 'kind=bank_csv&dryRun=1&amount=お預入金額&name=お取引内容', csv, 'text/csv');
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ lines: 1, skipped: 1, matched: 1 });
    const res = await upload(a.adminToken, 'kind=bank_csv&amount=3&name=4', csv, 'text/csv');
    expect(res.statusCode).toBe(201);
    expect(await f.paid(o.id)).toBe(3000);
    const missing = await upload(a.adminToken, 'kind=bank_csv&amount=入金', csv, 'text/csv');
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors[0]).toMatchObject({ row: 1, code: 'unknown_column' });
  });

  it('matches COD remittances by tracking number and 後払い settlements by order number; a bad row refuses the file', async () => {
    const c = await f.customer('加藤 恵', 'カトウ メグミ');
    const cod = await f.order({ customerId: c, number: 3001, paymentKind: 'cod', trackingNumber: '123456789012' });
    const deferred = await f.order({ customerId: c, number: 3002, paymentKind: 'deferred' });
    const codCsv =
      '伝票番号,お客様管理番号,代引金額,入金日\r\n1234-5678-9012,,5800,2025/06/02\r\n9999-0000-1111,,1000,2025/06/02\r\n';
    const codRes = await upload(a.adminToken, 'kind=cod', codCsv, 'text/csv');
    expect(codRes.statusCode).toBe(201);
    expect(codRes.json().items.map((i: { outcome: string; rule: string | null }) => [i.outcome, i.rule])).toEqual([
      ['matched', 'tracking'],
      ['queued', null],
    ]);
    expect((await get(`/payments/orders/${cod.id}`)).json()).toMatchObject({ status: 'paid' });
    expect((await get(`/payments/orders/${cod.id}`)).json().payments[0].method).toBe('cod');

    const bad = '注文番号,請求金額,入金日\r\n3002,5800,2025/06/02\r\n3002,5800,2025/13/40\r\n';
    const refused = await upload(a.adminToken, 'kind=deferred', bad, 'text/csv');
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors).toEqual([
      expect.objectContaining({ row: 3, column: '入金日', code: 'invalid_date' }),
    ]);
    expect(await f.paid(deferred.id)).toBe(0);
    const good = await upload(
      a.adminToken,
      'kind=deferred',
      '注文番号,請求金額,入金日\r\n3002,5800,2025/06/02\r\n',
      'text/csv',
    );
    expect(good.statusCode).toBe(201);
    expect((await get(`/payments/orders/${deferred.id}`)).json()).toMatchObject({ status: 'paid' });
  });

  it('refuses an unknown kind (400) and a JSON body (415)', async () => {
    expect((await upload(a.adminToken, 'kind=paypal', 'x', 'text/csv')).statusCode).toBe(400);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/payments/imports?kind=cod',
      headers: auth(a.adminToken),
      payload: { a: 1 },
    });
    expect(res.statusCode).toBe(415);
  });
});
