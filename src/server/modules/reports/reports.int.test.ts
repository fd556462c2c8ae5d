// The sales reports over hand-made orders whose figures are worked out below by hand.
//
// April 2025, excluded-price orders unless said (sales = subtotal − discount − returned goods;
// sales ex tax = total − tax − fees ex tax − returned goods ex tax; cost net of returns):
//   O1 A  S1 M1 yamato   東京都   order 04-01 ship 04-02  P1×2@1000 (cost 400), P2×1@500 8 % (cost 200), ship 600
//        subtotal 2500, tax 300, total 3400, cost 1000 → sales 2500, ex 2500, units 3
//   O2 B  S1 M2 sagawa   大阪府   order 04-10 ship 04-11  tax INCLUDED: P1×1@1100 (cost 400), present P3×1@0 (cost 50),
//        discount 100, COD fee 330; total 1330, tax 120, cost 450 → sales 1000, ex 1330−120−300 = 910, units 2
//   O3 A  S2 —  yamato   北海道   order 04-20 ship 04-30  P2×3@500 8 % (cost 200) one returned, ship 800;
//        subtotal 1500, tax 200, total 2500, cost 600 → sales 1000, ex 2500−200−800−500 = 1000, cost 400, units 2
//   O4 B  S2 M1 yamato   東京都   order 04-05 ship 04-06  CANCELLED (counts nowhere)
//   O5 A  S1 M1 yamato   神奈川県 order 03-31 ship 04-01  P1×1@1000 → in April's shipments, not April's sales
//   O6 C  S2 M2 japanpost 福岡県  order 04-15 ship 04-16  SET1×1@3000 (cost 1200) + its contents P2×2 (component)
//        subtotal 3000, tax 300, total 3300, cost 1200 → sales 3000, ex 3000, units 1
//   O7 C  S1 M1 yamato   東京都   order 04-12 ship 04-13  RETURNED (counts nowhere)
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossTenantKit } from '../../test/cross-tenant.js';
import { auth, dbOf, makeTenant, type TestTenant, testApp } from '../../test/harness.js';
import { buildCustomerPeriod, syncCustomerPeriods } from './reports.service.js';
import { fixtures } from './reports.test-util.js';

const app = await testApp();
const db = dbOf(app);
const APRIL = 'from=2025-04-01&to=2025-04-30';

type World = Awaited<ReturnType<typeof world>>;

async function world(t: TestTenant) {
  const f = fixtures(db, t.tenantId);
  const [A, B, C] = [await f.customer('青木 一郎'), await f.customer('馬場 二郎'), await f.customer('千葉 三子')];
  const S1 = (await t.user('operator', { name: '佐藤 受付' })).userId;
  const S2 = (await t.user('operator', { name: '鈴木 受付' })).userId;
  const catA = await f.category('CATA', '健康食品');
  const P1 = await f.product('P1', '青汁', { categoryId: catA });
  const P2 = await f.product('P2', '黒酢', { categoryId: catA });
  const P3 = await f.product('P3', 'サンプル', { kind: 'present' });
  const SET1 = await f.product('SET1', 'お試しセット', { kind: 'set' });
  const M1 = await f.adMedium('M1', '新聞広告', 20_000);
  const M2 = await f.adMedium('M2', 'テレビ', 30_000);
  const M3 = await f.adMedium('M3', 'チラシ', 10_000);
  await f.adCost(M1, '2025-04-01', 50_000);
  const o = {
    O1: await f.order({
      customerId: A,
      staffId: S1,
      adMediumId: M1,
      orderDate: '2025-04-01',
      shipDate: '2025-04-02',
      prefecture: '東京都',
      subtotal: 2500,
      shippingFee: 600,
      taxTotal: 300,
      total: 3400,
      costTotal: 1000,
      lines: [
        { productId: P1, quantity: 2, unitPrice: 1000, unitCost: 400 },
        { productId: P2, quantity: 1, unitPrice: 500, taxRate: 8, unitCost: 200 },
      ],
    }),
    O2: await f.order({
      customerId: B,
      staffId: S1,
      adMediumId: M2,
      carrier: 'sagawa',
      orderDate: '2025-04-10',
      shipDate: '2025-04-11',
      prefecture: '大阪府',
      priceMode: 'included',
      subtotal: 1100,
      discount: 100,
      paymentFee: 330,
      taxTotal: 120,
      total: 1330,
      costTotal: 450,
      lines: [
        { productId: P1, quantity: 1, unitPrice: 1100, unitCost: 400 },
        { productId: P3, quantity: 1, unitPrice: 0, unitCost: 50, kind: 'present' },
      ],
    }),
    O3: await f.order({
      customerId: A,
      staffId: S2,
      orderDate: '2025-04-20',
      shipDate: '2025-04-30',
      prefecture: '北海道',
      status: 'shipped',
      subtotal: 1500,
      shippingFee: 800,
      taxTotal: 200,
      total: 2500,
      costTotal: 600,
      lines: [{ productId: P2, quantity: 3, unitPrice: 500, taxRate: 8, unitCost: 200, returnedQuantity: 1 }],
    }),
    O4: await f.order({
      customerId: B,
      staffId: S2,
      adMediumId: M1,
      orderDate: '2025-04-05',
      shipDate: '2025-04-06',
      status: 'cancelled',
      subtotal: 5000,
      taxTotal: 500,
      total: 5500,
      costTotal: 2000,
      lines: [{ productId: P1, quantity: 5, unitPrice: 1000, unitCost: 400 }],
    }),
    O5: await f.order({
      customerId: A,
      staffId: S1,
      adMediumId: M1,
      orderDate: '2025-03-31',
      shipDate: '2025-04-01',
      prefecture: '神奈川県',
      subtotal: 1000,
      taxTotal: 100,
      total: 1100,
      costTotal: 400,
      lines: [{ productId: P1, quantity: 1, unitPrice: 1000, unitCost: 400 }],
    }),
    O6: await f.order({
      customerId: C,
      staffId: S2,
      adMediumId: M2,
      carrier: 'japanpost',
      orderDate: '2025-04-15',
      shipDate: '2025-04-16',
      prefecture: '福岡県',
      subtotal: 3000,
      taxTotal: 300,
      total: 3300,
      costTotal: 1200,
      lines: [
        { productId: SET1, quantity: 1, unitPrice: 3000, unitCost: 1200 },
        { productId: P2, quantity: 2, unitPrice: 0, kind: 'component' },
      ],
    }),
    O7: await f.order({
      customerId: C,
      staffId: S1,
      adMediumId: M1,
      orderDate: '2025-04-12',
      shipDate: '2025-04-13',
      status: 'returned',
      subtotal: 1000,
      taxTotal: 100,
      total: 1100,
      costTotal: 400,
      lines: [{ productId: P1, quantity: 1, unitPrice: 1000, unitCost: 400 }],
    }),
  };
  return { f, A, B, C, S1, S2, catA, P1, P2, P3, SET1, M1, M2, M3, o };
}

let t: TestTenant;
let w: World;
let supervisor: string;

beforeAll(async () => {
  t = await makeTenant(app);
  w = await world(t);
  supervisor = await t.token('supervisor');
});

async function get(path: string, token = supervisor) {
  const res = await app.inject({ method: 'GET', url: `/api/v1/reports/sales/${path}`, headers: auth(token) });
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  return res.json();
}

/** Every report's JSON for April, to compare before and after a compaction. */
async function everything() {
  const names = [
    'ad-shipments',
    'product-shipments',
    'region-shipments',
    'customer-sales',
    'region-sales-shipping',
    'ad-monthly',
    'staff',
    'staff-gross-profit',
  ];
  return Promise.all(names.map((n) => get(`${n}?${APRIL}`)));
}

describe('shipment reports (by ship date)', () => {
  it('広告別出荷個数: parcels and units per ad medium', async () => {
    const r = await get(`ad-shipments?${APRIL}`);
    expect(r.rows).toEqual([
      { adMediumId: w.M1, adMediumCode: 'M1', adMediumName: '新聞広告', orders: 2, units: 4 },
      { adMediumId: w.M2, adMediumCode: 'M2', adMediumName: 'テレビ', orders: 2, units: 3 },
      { adMediumId: null, adMediumCode: null, adMediumName: null, orders: 1, units: 2 },
    ]);
    expect(r.total).toEqual({ orders: 5, units: 9 });
    const yamato = await get(`ad-shipments?${APRIL}&carrier=yamato`);
    expect(yamato.rows.map((x: { adMediumCode: string; units: number }) => [x.adMediumCode, x.units])).toEqual([
      ['M1', 4],
      [null, 2],
    ]);
    const s2 = await get(`ad-shipments?${APRIL}&staffId=${w.S2}`);
    expect(s2.total).toEqual({ orders: 2, units: 3 });
  });

  it('商品別出荷個数: units and amount per product; set contents not counted; category filter', async () => {
    const r = await get(`product-shipments?${APRIL}`);
    expect(r.rows.map((x: Record<string, unknown>) => [x.productCode, x.units, x.amount, x.categoryName])).toEqual([
      ['P1', 4, 4100, '健康食品'],
      ['P2', 3, 1500, '健康食品'],
      ['P3', 1, 0, null],
      ['SET1', 1, 3000, null],
    ]);
    expect(r.total).toEqual({ units: 9, amount: 8600 });
    const cat = await get(`product-shipments?${APRIL}&categoryId=${w.catA}`);
    expect(cat.rows.map((x: { productCode: string }) => x.productCode)).toEqual(['P1', 'P2']);
    expect(cat.total).toEqual({ units: 7, amount: 5600 });
  });

  it('地区別出荷個数: per prefecture in JIS order, or per region', async () => {
    const r = await get(`region-shipments?${APRIL}`);
    expect(r.rows).toEqual([
      { prefecture: '北海道', region: '北海道', orders: 1, units: 2 },
      { prefecture: '東京都', region: '関東', orders: 1, units: 3 },
      { prefecture: '神奈川県', region: '関東', orders: 1, units: 1 },
      { prefecture: '大阪府', region: '近畿', orders: 1, units: 2 },
      { prefecture: '福岡県', region: '九州・沖縄', orders: 1, units: 1 },
    ]);
    const regions = await get(`region-shipments?${APRIL}&groupBy=region`);
    expect(regions.rows).toEqual([
      { prefecture: null, region: '北海道', orders: 1, units: 2 },
      { prefecture: null, region: '関東', orders: 2, units: 4 },
      { prefecture: null, region: '近畿', orders: 1, units: 2 },
      { prefecture: null, region: '九州・沖縄', orders: 1, units: 1 },
    ]);
    expect(regions.total).toEqual({ orders: 5, units: 9 });
  });
});

describe('sales reports (by order date)', () => {
  it('顧客別売上一覧: best customers first, keyset pages with ranks', async () => {
    const r = await get(`customer-sales?${APRIL}`);
    expect(r.rows).toEqual([
      { rank: 1, customerId: w.A, customerCode: 'C000001', customerName: '青木 一郎', orders: 2, sales: 3500 },
      { rank: 2, customerId: w.C, customerCode: 'C000003', customerName: '千葉 三子', orders: 1, sales: 3000 },
      { rank: 3, customerId: w.B, customerCode: 'C000002', customerName: '馬場 二郎', orders: 1, sales: 1000 },
    ]);
    expect(r.total).toEqual({ customers: 3, orders: 4, sales: 7500 });
    expect(r.nextCursor).toBeNull();
    const p1 = await get(`customer-sales?${APRIL}&limit=2`);
    expect(p1.rows.map((x: { customerId: string }) => x.customerId)).toEqual([w.A, w.C]);
    const p2 = await get(`customer-sales?${APRIL}&limit=2&cursor=${p1.nextCursor}`);
    expect(p2.rows).toEqual([expect.objectContaining({ rank: 3, customerId: w.B, sales: 1000 })]);
    expect(p2.nextCursor).toBeNull();
    expect(p2.total).toEqual(r.total);
  });

  it('地区別売上送料対比表: sales against shipping fees', async () => {
    const r = await get(`region-sales-shipping?${APRIL}`);
    expect(r.rows).toEqual([
      {
        prefecture: '北海道',
        region: '北海道',
        orders: 1,
        sales: 1000,
        shippingFee: 800,
        shippingRatio: 0.8,
        averageShippingFee: 800,
      },
      {
        prefecture: '東京都',
        region: '関東',
        orders: 1,
        sales: 2500,
        shippingFee: 600,
        shippingRatio: 0.24,
        averageShippingFee: 600,
      },
      {
        prefecture: '大阪府',
        region: '近畿',
        orders: 1,
        sales: 1000,
        shippingFee: 0,
        shippingRatio: 0,
        averageShippingFee: 0,
      },
      {
        prefecture: '福岡県',
        region: '九州・沖縄',
        orders: 1,
        sales: 3000,
        shippingFee: 0,
        shippingRatio: 0,
        averageShippingFee: 0,
      },
    ]);
    expect(r.total).toEqual({
      orders: 4,
      sales: 7500,
      shippingFee: 1400,
      shippingRatio: 0.1867,
      averageShippingFee: 350,
    });
  });

  it('広告月別集計: orders, sales, cost, CPO and ROAS per medium and month', async () => {
    const r = await get(`ad-monthly?${APRIL}`);
    expect(r.rows).toEqual([
      {
        month: '2025-04',
        adMediumId: w.M1,
        adMediumCode: 'M1',
        adMediumName: '新聞広告',
        orders: 1,
        sales: 2500,
        cost: 50_000,
        cpo: 50_000,
        roas: 0.05,
      },
      {
        month: '2025-04',
        adMediumId: w.M2,
        adMediumCode: 'M2',
        adMediumName: 'テレビ',
        orders: 2,
        sales: 4000,
        cost: 30_000,
        cpo: 15_000,
        roas: 0.1333,
      },
      {
        month: '2025-04',
        adMediumId: w.M3,
        adMediumCode: 'M3',
        adMediumName: 'チラシ',
        orders: 0,
        sales: 0,
        cost: 10_000,
        cpo: null,
        roas: 0,
      },
      {
        month: '2025-04',
        adMediumId: null,
        adMediumCode: null,
        adMediumName: null,
        orders: 1,
        sales: 1000,
        cost: 0,
        cpo: 0,
        roas: null,
      },
    ]);
    expect(r.total).toEqual({ orders: 4, sales: 7500, cost: 90_000, cpo: 22_500, roas: 0.0833 });
    // March and April: O5 (03-31) is March's; M1's March cost is its monthly cost (20,000).
    const two = await get(`ad-monthly?from=2025-03-01&to=2025-04-30&adMediumId=${w.M1}`);
    expect(two.rows.map((x: Record<string, unknown>) => [x.month, x.orders, x.sales, x.cost])).toEqual([
      ['2025-03', 1, 1000, 20_000],
      ['2025-04', 1, 2500, 50_000],
    ]);
  });

  it('担当者別集計 and 担当者別粗利集計: per staff member', async () => {
    const r = await get(`staff?${APRIL}`);
    expect(r.rows).toEqual([
      { staffId: w.S2, staffName: '鈴木 受付', orders: 2, units: 3, sales: 4000, averageOrderValue: 2000 },
      { staffId: w.S1, staffName: '佐藤 受付', orders: 2, units: 5, sales: 3500, averageOrderValue: 1750 },
    ]);
    expect(r.total).toEqual({ orders: 4, units: 8, sales: 7500, averageOrderValue: 1875 });
    const g = await get(`staff-gross-profit?${APRIL}`);
    expect(g.rows).toEqual([
      {
        staffId: w.S2,
        staffName: '鈴木 受付',
        orders: 2,
        sales: 4000,
        salesExTax: 4000,
        cost: 1600,
        grossProfit: 2400,
        margin: 0.6,
      },
      {
        staffId: w.S1,
        staffName: '佐藤 受付',
        orders: 2,
        sales: 3500,
        salesExTax: 3410,
        cost: 1450,
        grossProfit: 1960,
        margin: 0.5748,
      },
    ]);
    expect(g.total).toEqual({
      orders: 4,
      sales: 7500,
      salesExTax: 7410,
      cost: 3050,
      grossProfit: 4360,
      margin: 0.5884,
    });
    const m2 = await get(`staff?${APRIL}&adMediumId=${w.M2}`);
    expect(m2.rows.map((x: Record<string, unknown>) => [x.staffName, x.orders, x.sales])).toEqual([
      ['鈴木 受付', 1, 3000],
      ['佐藤 受付', 1, 1000],
    ]);
  });
});

describe('the summaries follow the orders', () => {
  it('answers the same after the deltas are compacted, and again after a second compaction', async () => {
    const before = await everything();
    const tw = await makeTenant(app);
    const other = await world(tw);
    expect(await w.f.compact()).toBeGreaterThan(0);
    expect(await everything()).toEqual(before);
    expect(await w.f.compact()).toBe(0);
    expect(await everything()).toEqual(before);
    // The other tenant's deltas are still there: the compaction ran in this tenant only.
    expect(await other.f.compact()).toBeGreaterThan(0);
  });

  it('follows cancellations, returns, edits and deletions of orders and lines', async () => {
    const tx = await makeTenant(app);
    const x = await world(tx);
    const tok = await tx.token('admin');
    const staff = async () =>
      (await get(`staff-gross-profit?${APRIL}`, tok)).rows.map((r: Record<string, unknown>) => [
        r.staffName,
        r.orders,
        r.sales,
        r.cost,
      ]);
    await x.f.compact();
    // Cancel O1 (S1): S1 keeps O2 only.
    await x.f.sql(`UPDATE orders SET status = 'cancelled', version = version + 1 WHERE id = $1`, [x.o.O1]);
    expect(await staff()).toEqual([
      ['鈴木 受付', 2, 4000, 1600],
      ['佐藤 受付', 1, 1000, 450],
    ]);
    // A status change that does not cancel (shipped) and a tracking number move nothing.
    await x.f.sql(`UPDATE orders SET status = 'shipped', tracking_number = '1234' WHERE id = $1`, [x.o.O2]);
    expect((await get(`staff?${APRIL}`, tok)).total.sales).toBe(5000);
    // Return one SET1 of O6 (S2): its sales and cost go, its unit too.
    await x.f.sql('UPDATE order_lines SET returned_quantity = 1 WHERE order_id = $1 AND line_no = 1', [x.o.O6]);
    expect(await staff()).toEqual([
      ['佐藤 受付', 1, 1000, 450],
      ['鈴木 受付', 2, 1000, 400],
    ]);
    // O2 handed to S2 and its ship date moved into May.
    await x.f.sql(`UPDATE orders SET staff_id = $2, ship_date = '2025-05-01' WHERE id = $1`, [x.o.O2, x.S2]);
    expect(await staff()).toEqual([['鈴木 受付', 3, 2000, 850]]);
    expect((await get(`region-shipments?${APRIL}`, tok)).rows.map((r: { prefecture: string }) => r.prefecture)).toEqual(
      ['北海道', '神奈川県', '福岡県'],
    );
    // A line removed from O3 and another added.
    // (The application role deletes no lines today; the owner does, with the tenant set.)
    const asOwner = (text: string, params: unknown[]) =>
      dbOf(app).owner.transaction(async (o) => {
        await o.query(`SELECT set_config('app.tenant_id', $1, true)`, [tx.tenantId]);
        await o.query(text, params);
      });
    await asOwner('DELETE FROM order_lines WHERE tenant_id = $1 AND order_id = $2', [tx.tenantId, x.o.O3]);
    await x.f.sql(
      `INSERT INTO order_lines (tenant_id, order_id, line_no, product_id, product_code, product_name, quantity, unit_price, amount, tax_rate)
       VALUES ($1, $2, 9, $3, 'P1', '青汁', 7, 1000, 7000, 10)`,
      [tx.tenantId, x.o.O3, x.P1],
    );
    const products = await get(`product-shipments?${APRIL}`, tok);
    // P2 (O1 cancelled, O3's line gone) and SET1 (returned) and P3 (O2 now in May) drop out.
    expect(products.rows.map((r: Record<string, unknown>) => [r.productCode, r.units])).toEqual([['P1', 8]]);
    // An order deleted (by the owner) takes its lines with it.
    await asOwner('DELETE FROM orders WHERE tenant_id = $1 AND id = $2', [tx.tenantId, x.o.O5]);
    expect((await get(`product-shipments?${APRIL}`, tok)).total).toEqual({ units: 7, amount: 7000 });
    // Compacting changes no figure.
    const before = await get(`staff-gross-profit?${APRIL}`, tok);
    await x.f.compact();
    expect(await get(`staff-gross-profit?${APRIL}`, tok)).toEqual(before);
  });
});

describe('顧客別売上一覧 over a kept period (0018)', () => {
  it('answers as the daily summaries do, with changes after the build, before and after compaction', async () => {
    const tk = await makeTenant(app);
    const x = await world(tk);
    const tok = await tk.token('admin');
    const april = { from: '2025-04-01', to: '2025-04-30' };
    // Every page of one customer each (the cursor's path too), and the totals.
    const pages = async (period: string) => {
      const rows = [];
      let cursor = '';
      for (;;) {
        const r = await get(`customer-sales?${period}&limit=1${cursor ? `&cursor=${cursor}` : ''}`, tok);
        rows.push(...r.rows);
        if (!r.nextCursor) return { rows, total: r.total };
        cursor = r.nextCursor;
      }
    };
    // The same customers and orders by the daily summaries: no order falls on 1 May.
    const byDays = () => pages('from=2025-04-01&to=2025-05-01');
    const kept = () => pages('from=2025-04-01&to=2025-04-30');
    const sums = async (compacted: boolean) =>
      (
        await x.f.sql<{ n: number }>(
          'SELECT count(*)::int AS n FROM report_customer_period_sums WHERE compacted = $1',
          [compacted],
        )
      )[0]?.n;

    expect(await byDays()).toEqual({
      rows: [
        expect.objectContaining({ rank: 1, customerId: x.A, orders: 2, sales: 3500 }),
        expect.objectContaining({ rank: 2, customerId: x.C, orders: 1, sales: 3000 }),
        expect.objectContaining({ rank: 3, customerId: x.B, orders: 1, sales: 1000 }),
      ],
      total: { customers: 3, orders: 4, sales: 7500 },
    });
    expect(await buildCustomerPeriod(db, tk.tenantId, april)).toBe(3);
    expect([await sums(true), await sums(false)]).toEqual([3, 0]);
    expect(await kept()).toEqual(await byDays());

    // After the build: B orders 4,000 more (first now), C's order is cancelled (C drops out), one
    // of A's lines is returned (A: 3,500 − 1,000).
    await x.f.order({
      customerId: x.B,
      orderDate: '2025-04-20',
      shipDate: '2025-04-21',
      subtotal: 4000,
      taxTotal: 400,
      total: 4400,
      costTotal: 0,
      lines: [{ productId: x.P1, quantity: 4, unitPrice: 1000 }],
    });
    await x.f.sql(`UPDATE orders SET status = 'cancelled', version = version + 1 WHERE id = $1`, [x.o.O6]);
    await x.f.sql('UPDATE order_lines SET returned_quantity = 1 WHERE order_id = $1 AND line_no = 1', [x.o.O1]);
    expect(await sums(false)).toBeGreaterThan(0);
    const after = await byDays();
    expect(after).toEqual({
      rows: [
        expect.objectContaining({ rank: 1, customerId: x.B, orders: 2, sales: 5000 }),
        expect.objectContaining({ rank: 2, customerId: x.A, orders: 2, sales: 2500 }),
      ],
      total: { customers: 2, orders: 4, sales: 7500 },
    });
    expect(await kept()).toEqual(after);
    await x.f.compact();
    expect([await sums(true), await sums(false)]).toEqual([3, 0]);
    expect(await kept()).toEqual(after);
  });

  it('keeps the periods of the day: builds the missing, drops the old', async () => {
    const tk = await makeTenant(app);
    const x = await world(tk);
    const periods = async () =>
      x.f.sql<{ f: string; t: string; ready: boolean }>(
        'SELECT period_from::text AS f, period_to::text AS t, ready FROM report_customer_periods ORDER BY 1',
      );
    const first = await syncCustomerPeriods(db, tk.tenantId, '2025-05-10');
    expect(first).toEqual({
      built: [
        { from: '2024-05-01', to: '2025-04-30' },
        { from: '2024-01-01', to: '2024-12-31' },
      ],
      dropped: 0,
    });
    expect(await periods()).toEqual([
      { f: '2024-01-01', t: '2024-12-31', ready: true },
      { f: '2024-05-01', t: '2025-04-30', ready: true },
    ]);
    expect(await syncCustomerPeriods(db, tk.tenantId, '2025-05-31')).toEqual({ built: [], dropped: 0 });
    // In January the twelve months are the last year: one period.
    expect(await syncCustomerPeriods(db, tk.tenantId, '2026-01-01')).toEqual({
      built: [{ from: '2025-01-01', to: '2025-12-31' }],
      dropped: 2,
    });
    expect((await get('customer-sales?from=2025-01-01&to=2025-12-31', await tk.token('admin'))).total).toEqual({
      customers: 3,
      orders: 5,
      sales: 8500,
    });
  });
});

describe('files', () => {
  it('CSV in Shift_JIS with a header and a total row; UTF-8 with a BOM on request', async () => {
    const res = await app.inject({
      method: 'GET',
      url: `/api/v1/reports/sales/staff?${APRIL}&format=csv`,
      headers: auth(supervisor),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=Shift_JIS');
    expect(String(res.headers['content-disposition'])).toContain(
      encodeURIComponent('担当者別集計_20250401-20250430.csv'),
    );
    const text = iconv.decode(res.rawPayload, 'cp932');
    expect(text.split('\r\n')).toEqual([
      '担当者,受注件数,個数,売上金額,平均単価',
      '鈴木 受付,2,3,4000,2000',
      '佐藤 受付,2,5,3500,1750',
      '合計,4,8,7500,1875',
      '',
    ]);
    const utf8 = await app.inject({
      method: 'GET',
      url: `/api/v1/reports/sales/ad-shipments?${APRIL}&format=csv&encoding=utf8bom`,
      headers: auth(supervisor),
    });
    expect([...utf8.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(utf8.rawPayload.subarray(3).toString('utf8').split('\r\n').slice(0, 5)).toEqual([
      '広告コード,広告名,出荷件数,出荷個数',
      'M1,新聞広告,2,4',
      'M2,テレビ,2,3',
      '(なし),,1,2',
      '合計,,5,9',
    ]);
  });

  it('XLSX with the title, the header, the rows and the total', async () => {
    const res = await app.inject({
      method: 'GET',
      url: `/api/v1/reports/sales/ad-monthly?${APRIL}&format=xlsx`,
      headers: { ...auth(supervisor), 'accept-language': 'en' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    if (!ws) throw new Error('no worksheet');
    const row = (n: number) => (ws.getRow(n).values as unknown[]).slice(1);
    expect(row(1)).toEqual(['Ad media by month 2025-04-01 – 2025-04-30']);
    expect(row(2)).toEqual(['Month', 'Ad code', 'Ad medium', 'Orders', 'Sales', 'Cost', 'CPO', 'ROAS']);
    expect(row(3)).toEqual(['2025-04', 'M1', '新聞広告', 1, 2500, 50000, 50000, 0.05]);
    expect(row(7)).toEqual(['Total', '', '', 4, 7500, 90000, 22500, 0.0833]);
    // The export is audited (who, which report, which period), no personal data.
    const audit = await app.inject({
      method: 'GET',
      url: '/api/v1/audit?action=report.export',
      headers: auth(t.adminToken),
    });
    const items = audit.json().items as { action: string; detail: Record<string, unknown> }[];
    expect(items.some((i) => i.detail.report === 'ad-monthly' && i.detail.format === 'xlsx')).toBe(true);
  });
});

describe('validation, roles and tenants', () => {
  it('refuses a reversed period, one over two years, and unknown values', async () => {
    const bad = async (q: string) => {
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/reports/sales/staff?${q}`,
        headers: auth(supervisor),
      });
      expect(res.statusCode, q).toBe(400);
      return res.json();
    };
    expect((await bad('from=2025-04-30&to=2025-04-01')).errors[0].path).toBe('to');
    const long = await bad('from=2023-01-01&to=2025-01-01');
    expect(long.errors[0]).toMatchObject({ path: 'to', message: '期間は2年以内で指定してください。' });
    await bad('from=2025-02-30&to=2025-03-01');
    await bad('from=2025-04-01');
    await bad(`${APRIL}&carrier=fedex`);
    // Two years less a day is fine.
    await get('staff?from=2023-01-02&to=2025-01-01');
  });

  it('lets admins, supervisors and client viewers read; not operators', async () => {
    for (const role of ['admin', 'supervisor', 'client_viewer'] as const) {
      const r = await get(`staff?${APRIL}`, await t.token(role));
      expect(r.total.sales, role).toBe(7500);
    }
    const op = await app.inject({
      method: 'GET',
      url: `/api/v1/reports/sales/staff?${APRIL}`,
      headers: auth(await t.token('operator')),
    });
    expect(op.statusCode).toBe(403);
    const none = await app.inject({ method: 'GET', url: `/api/v1/reports/sales/staff?${APRIL}` });
    expect(none.statusCode).toBe(401);
  });

  it("never counts another tenant's orders; its masters as filters answer 404", async () => {
    const a = await makeTenant(app);
    const b = await makeTenant(app);
    const wa = await world(a);
    await world(b);
    const bTok = b.adminToken;
    // B's figures are B's own (the same hand-made world), not doubled by A's.
    expect((await get(`staff?${APRIL}`, bTok)).total.sales).toBe(7500);
    expect(
      (await get(`customer-sales?${APRIL}`, bTok)).rows.map((r: { customerId: string }) => r.customerId),
    ).not.toContain(wa.A);
    const tenants = new Map([
      [a.adminToken, a],
      [b.adminToken, b],
    ]);
    let n = 0;
    await crossTenantKit(app, a, b).expectIsolated({
      create: async (token) => {
        const owner = tenants.get(token) as TestTenant;
        return fixtures(db, owner.tenantId).adMedium(`X${++n}`, `媒体${n}`);
      },
      read: (id) => `/api/v1/reports/sales/ad-monthly?${APRIL}&adMediumId=${id}`,
    });
    const staffOfA = (await a.user('operator')).userId;
    const res = await app.inject({
      method: 'GET',
      url: `/api/v1/reports/sales/ad-shipments?${APRIL}&staffId=${staffOfA}`,
      headers: auth(bTok),
    });
    expect(res.statusCode).toBe(404);
    const cat = await app.inject({
      method: 'GET',
      url: `/api/v1/reports/sales/product-shipments?${APRIL}&categoryId=${wa.catA}`,
      headers: auth(bTok),
    });
    expect(cat.statusCode).toBe(404);
  });
});
