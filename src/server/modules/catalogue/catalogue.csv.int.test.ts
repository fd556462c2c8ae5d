// CSV export (Shift_JIS / UTF-8 BOM, Japanese headers, codes for references) and import (dry run
// listing every bad row, all-or-nothing commit, upsert by key) of the masters.
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { auth, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';

let app: TestApp;

beforeAll(async () => {
  app = await testApp();
});

const upload = (tenant: TestTenant, master: string, csv: string | Buffer, query = '', token = tenant.adminToken) =>
  app.inject({
    method: 'POST',
    url: `/api/v1/${master}/import${query}`,
    headers: { ...auth(token), 'content-type': 'text/csv' },
    payload: typeof csv === 'string' ? Buffer.from(csv, 'utf8') : csv,
  });
const list = async (tenant: TestTenant, url: string) =>
  (await app.inject({ method: 'GET', url: `/api/v1${url}`, headers: auth(tenant.adminToken) })).json().items as Record<
    string,
    unknown
  >[];

const PRODUCTS = [
  '商品コード,商品名,商品名カナ,分類コード,区分,税率,単価,初回価格,原価,販売開始日,販売終了日,在庫,有効,備考,セット内容,同梱物',
  'AOJ-30,国産青汁 30包,アオジル,HEALTH,通常,8,"3,240",,900,2026/4/1,,100,1,,,',
  'SPOON,計量スプーン,,,プレゼント,10,0,,20,,,,1,,,',
  'SUP-BB,ブルーベリー 定期,,HEALTH,定期,8,2980,980,600,,,,はい,"初回980円",,SPOON',
  'SET-1,健康セット,,HEALTH,セット,8,5980,,,,,,1,,AOJ-30×2 SUP-BB,',
].join('\r\n');

async function withCategory(tenant: TestTenant) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/product-categories',
    headers: auth(tenant.adminToken),
    payload: { code: 'HEALTH', name: '健康食品' },
  });
  expect(res.statusCode).toBe(201);
}

describe('products CSV', () => {
  it('dry-runs, then imports every row (references by code, sets by code×qty), then re-imports as updates', async () => {
    const t = await makeTenant(app);
    await withCategory(t);
    const dry = await upload(t, 'products', PRODUCTS, '?dryRun=true');
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({ rows: 4, valid: 4, imported: 0, created: 4, updated: 0, errors: [] });
    expect(await list(t, '/products')).toEqual([]);

    const res = await upload(t, 'products', PRODUCTS);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ rows: 4, valid: 4, imported: 4, created: 4, updated: 0 });
    const items = await list(t, '/products');
    const byCode = Object.fromEntries(items.map((p) => [p.code, p]));
    expect(byCode['AOJ-30']).toMatchObject({
      unitPrice: 3240,
      taxRate: 8,
      unitCost: 900,
      salesFrom: '2026-04-01',
      stock: 100,
    });
    expect(byCode['SUP-BB']).toMatchObject({ kind: 'subscription', firstPrice: 980, note: '初回980円' });
    expect(byCode['SUP-BB']?.companions).toMatchObject([{ code: 'SPOON', quantity: 1 }]);
    expect(byCode['SET-1']?.components).toMatchObject([
      { code: 'AOJ-30', quantity: 2 },
      { code: 'SUP-BB', quantity: 1 },
    ]);

    // The export, re-imported, updates the same rows (ids kept), and changes what changed.
    const exported = await app.inject({
      method: 'GET',
      url: '/api/v1/products/export?encoding=utf8bom',
      headers: auth(t.adminToken),
    });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toBe('text/csv; charset=utf-8');
    const text = exported.rawPayload.subarray(3).toString('utf8');
    expect(exported.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toBe(PRODUCTS.split('\r\n')[0]);
    expect(lines).toContain('SET-1,健康セット,,HEALTH,セット,8,5980,,0,,,,1,,AOJ-30×2 SUP-BB,');
    const again = await upload(t, 'products', text.replace('国産青汁 30包', '国産青汁 30包 (新)'));
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json()).toMatchObject({ created: 0, updated: 4 });
    const after = await list(t, '/products');
    expect(after.map((p) => p.id).sort()).toEqual(items.map((p) => p.id).sort());
    expect(after.find((p) => p.code === 'AOJ-30')?.name).toBe('国産青汁 30包 (新)');
  });

  it('lists every bad row with its column, and imports nothing when one row is bad', async () => {
    const t = await makeTenant(app);
    await withCategory(t);
    const csv = [
      '商品コード,商品名,分類コード,区分,税率,単価,有効,セット内容',
      'OK-1,良い商品,HEALTH,通常,8,1000,1,',
      'BAD-1,税率違い,HEALTH,通常,5,1000,1,',
      'BAD-2,分類なし,NOPE,通常,8,abc,1,',
      'OK-2,良い商品2,,通常,10,500,1,',
      'OK-1,重複行,,通常,10,500,1,',
      'BAD-3,セットでない,,通常,8,500,1,OK-1',
      ',名前だけ,,通常,8,500,たぶん,',
    ].join('\n');
    for (const query of ['?dryRun=true', '']) {
      const res = await upload(t, 'products', csv, query);
      expect(res.statusCode, res.body).toBe(422);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      const body = res.json();
      expect(body).toMatchObject({
        code: 'import.invalid_rows',
        rows: 7,
        valid: 2,
        imported: 0,
        created: 0,
        updated: 0,
      });
      expect(body.errors.map((e: { row: number; column: string | null }) => [e.row, e.column])).toEqual([
        [3, '税率'],
        [4, '分類コード'],
        [4, '単価'],
        [6, null],
        [7, 'セット内容'],
        [8, '有効'],
      ]);
      expect(body.errors[1].message).toBe('コード「NOPE」の商品分類がありません。');
      // Rolled back: the good rows were not kept either.
      expect(await list(t, '/products')).toEqual([]);
    }
  });

  it('reads Shift_JIS and refuses unknown or missing key columns', async () => {
    const t = await makeTenant(app);
    const sjis = iconv.encode('商品コード,商品名,税率,単価\r\n髙-1,髙島屋の①番,8,100\r\nA-1,ｱｵｼﾞﾙ,8,100\r\n', 'cp932');
    const bad = await upload(t, 'products', sjis);
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors).toMatchObject([{ row: 2, column: '商品コード' }]);
    const ok = await upload(
      t,
      'products',
      iconv.encode('商品コード,商品名,税率,単価\r\nA-1,髙島屋の①番,8,100\r\n', 'cp932'),
    );
    expect(ok.statusCode, ok.body).toBe(201);
    expect((await list(t, '/products'))[0]?.name).toBe('髙島屋の①番');
    const unknown = await upload(t, 'products', '商品コード,色\r\nA-1,赤\r\n');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().code).toBe('import.unknown_columns');
    const noKey = await upload(t, 'products', '商品名,単価\r\nx,1\r\n');
    expect(noKey.statusCode).toBe(400);
    expect(noKey.json().errors[0].message).toContain('商品コード');
    const operator = await t.token('operator');
    expect((await upload(t, 'products', PRODUCTS, '', operator)).statusCode).toBe(403);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/products/export', headers: auth(operator) })).statusCode,
    ).toBe(403);
  });
});

describe('other masters', () => {
  it('imports and exports shipping fees (empty cells: any carrier / prefecture) in Shift_JIS', async () => {
    const t = await makeTenant(app);
    const csv = [
      '運送会社,都道府県,送料,送料無料の金額',
      ',,600,5000',
      ',北海道,1200,5000',
      'ヤマト運輸,沖縄,1500,',
    ].join('\r\n');
    const res = await upload(t, 'shipping-fees', csv);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().created).toBe(3);
    const again = await upload(t, 'shipping-fees', ['運送会社,都道府県,送料', ',北海道,1300'].join('\r\n'));
    expect(again.json()).toMatchObject({ created: 0, updated: 1 });
    const out = await app.inject({ method: 'GET', url: '/api/v1/shipping-fees/export', headers: auth(t.adminToken) });
    expect(out.headers['content-type']).toBe('text/csv; charset=Shift_JIS');
    expect(iconv.decode(out.rawPayload, 'cp932').split('\r\n')).toEqual([
      '運送会社,都道府県,送料,送料無料の金額',
      ',,600,5000',
      ',北海道,1300,5000',
      'ヤマト運輸,沖縄県,1500,',
      '',
    ]);
  });

  it('imports ad media, campaigns with prices and presents, payment methods with brackets, reasons', async () => {
    const t = await makeTenant(app);
    expect((await upload(t, 'products', PRODUCTS.replace(/,HEALTH,/g, ',,'))).statusCode).toBe(201);
    const ad = await upload(
      t,
      'ad-media',
      ['広告コード,広告名,媒体,月額費用', 'NP01,読売新聞 朝刊,新聞,"1,200,000"', 'WEB01,リスティング,Web,300000'].join(
        '\n',
      ),
    );
    expect(ad.statusCode, ad.body).toBe(201);
    const camp = await upload(
      t,
      'campaigns',
      [
        'キャンペーンコード,キャンペーン名,開始日,終了日,広告コード,初回購入のみ,送料無料,値引額,キャンペーン価格,プレゼント',
        'FIRST500,初回500円引き,2026/4/1,2026/12/31,NP01,1,1,500,AOJ-30:1980,AOJ-30>SPOON',
      ].join('\n'),
    );
    expect(camp.statusCode, camp.body).toBe(201);
    const [c] = await list(t, '/campaigns');
    expect(c).toMatchObject({
      code: 'FIRST500',
      startsOn: '2026-04-01',
      firstOrderOnly: true,
      freeShipping: true,
      discountAmount: 500,
      prices: [{ code: 'AOJ-30', unitPrice: 1980 }],
      presents: [{ presentCode: 'SPOON', quantity: 1 }],
    });
    const exported = await app.inject({
      method: 'GET',
      url: '/api/v1/campaigns/export?encoding=utf8bom',
      headers: auth(t.adminToken),
    });
    expect(exported.rawPayload.subarray(3).toString('utf8')).toContain('AOJ-30:1980,AOJ-30>SPOON');

    const pay = await upload(
      t,
      'payment-methods',
      ['支払方法コード,支払方法名,種別,手数料表', 'COD,代金引換,代引き,10000:330 30000:440 100000:660 *:1100'].join(
        '\n',
      ),
    );
    expect(pay.statusCode, pay.body).toBe(201);
    expect((await list(t, '/payment-methods'))[0]?.brackets).toHaveLength(4);
    const badPay = await upload(
      t,
      'payment-methods',
      ['支払方法コード,支払方法名,種別,手数料表', 'COD2,x,代引き,*:1 10000:2'].join('\n'),
    );
    expect(badPay.statusCode).toBe(422);
    expect(badPay.json().errors).toMatchObject([{ row: 2, column: '手数料表' }]);

    const reasons = await upload(
      t,
      'reasons',
      ['区分,理由コード,理由', 'キャンセル,C01,注文間違い', '返品,R01,破損', '定期解約,S01,飲み忘れ'].join('\n'),
    );
    expect(reasons.statusCode, reasons.body).toBe(201);
    expect((await list(t, '/reasons')).map((r) => r.kind)).toEqual(['cancel', 'return', 'subscription_cancel']);
  });
});
