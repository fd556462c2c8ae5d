// The 定期 retention reports over hand-made subscriptions whose figures are worked out by hand.
//
// Subscriptions (one customer each; monthly; deliveries are orders with subscription_delivery_seq):
//   S1 start 2025-01-10 M1 [PA]      deliveries 1 (1000), 2 (3000), 3 (3000)          active     delivered 3
//   S2 start 2025-01-20 M1 [PA]      deliveries 1 (1000), 2 (3000)                    cancelled 2025-03-05 R1; クレーム 03-01
//   S3 start 2025-01-25 M2 [PB]      delivery 1 (2000), delivery 2 order CANCELLED    cancelled 2025-02-24 R2; 定期変更 02-01
//                                                                                  (23 days before), 問い合わせ 02-20 (other kind)
//   S4 start 2025-02-05 M2 [PB, PA]  delivery 1 lines [PA] (1500), 2 RETURNED (3000)  active     delivered 2, first product PA
//   S5 start 2025-02-15 —  [PB]      no delivery                                     cancelled 2025-02-10, no reason; 定期変更 02-09
//   S6 start 2025-02-20 M1 [PB]      delivery 1 (2000)                                active
//   S7 start 2025-03-01 M1 [PA, PB]  delivery 1 lines [PA] (1000)                     cancelled 2025-03-31 23:50 JST R1; クレーム
//                                                                                  03-17 23:00 (just over 14 days), 定期変更 at the
//                                                                                  cancellation's own instant (not before it)
//   S8 start 2024-12-01 —  [PA]      delivery 1 (1000)                                cancelled 2025-01-31 23:30 JST R2 (January)
// A normal order of S1's customer (9999) counts nowhere.
//
// Continuation, January–February (S1–S6 started: 6):
//   n=1 reached 5 (all but S5), pending 0 → 0.8333; n=2 reached 3 (S1 S2 S4), pending 1 (S6) → 0.5;
//   n=3 reached 1 (S1), pending 2 (S4 S6) → 0.1667; n≥4 reached 0, pending 3 (S1 S4 S6) → 0.
// LTV: 2025-01 S1 7000/3, S2 4000/2, S3 2000/1 → 3 subs, 6 deliveries, 13000, LTV 4333, avg 2;
//      2025-02 S4 1500/1 (the returned one not counted), S5 0, S6 2000/1 → 3, 2, 3500, 1167, 0.67;
//      total 6, 8, 16500, 2750, 1.33.
// Cancellations, February–March: S2 S3 S5 S7 (4); contact before: S2, S5 (2).
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.js';
import { crossTenantKit } from '../../test/cross-tenant.js';
import { auth, dbOf, makeTenant, type TestTenant, testApp } from '../../test/harness.js';
import { ensureInteractionSetup } from '../interactions/kinds.service.js';
import { fixtures } from '../reports/reports.test-util.js';
import { generateDue } from '../subscriptions/generate.js';

const T0 = new Date('2030-04-01T10:00:00+09:00');
const clock = new ManualClock(T0);
const app = await testApp({ clock });
const db = dbOf(app);
const JAN_FEB = 'from=2025-01-01&to=2025-02-28';
const FEB_MAR = 'from=2025-02-01&to=2025-03-31';

function addMonths(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

type SubFixture = {
  start: string;
  adMediumId?: string | null;
  lines: string[];
  cancelledAt?: string;
  reasonId?: string | null;
};

async function world(t: TestTenant) {
  const f = fixtures(db, t.tenantId);
  const tx = <T>(fn: Parameters<typeof db.withTenant<T>>[1]) => db.withTenant(t.tenantId, fn);
  const PA = await f.product('PA', '青汁定期');
  const PB = await f.product('PB', '黒酢定期');
  const M1 = await f.adMedium('M1', '新聞広告');
  const M2 = await f.adMedium('M2', 'テレビ');
  const reason = async (code: string, name: string, sort: number) =>
    (
      (await f.sql(
        `INSERT INTO reasons (tenant_id, kind, code, name, sort_order) VALUES ($1, 'subscription_cancel', $2, $3, $4)
         RETURNING id`,
        [t.tenantId, code, name, sort],
      )) as { id: string }[]
    )[0]?.id as string;
  const R1 = await reason('R1', '価格が高い', 1);
  const R2 = await reason('R2', '効果を感じない', 2);
  await tx((x) => ensureInteractionSetup(x));

  let seq = 0;
  const sub = async (s: SubFixture) => {
    const customerId = await f.customer(`定期 顧客${++seq}`);
    const [row] = (await f.sql(
      `INSERT INTO subscriptions (tenant_id, number, customer_id, status, cycle_every, cycle_unit, first_delivery_date,
                                  anchor_date, next_delivery_date, carrier, ad_medium_id, cancel_reason_id, cancelled_at)
       VALUES ($1, (SELECT coalesce(max(number), 0) + 1 FROM subscriptions WHERE tenant_id = $1), $2, $3, 1, 'month',
               $4, $4, $4, 'yamato', $5, $6, $7) RETURNING id`,
      [
        t.tenantId,
        customerId,
        s.cancelledAt ? 'cancelled' : 'active',
        s.start,
        s.adMediumId ?? null,
        s.reasonId ?? null,
        s.cancelledAt ?? null,
      ],
    )) as { id: string }[];
    const id = (row as { id: string }).id;
    await f.sql(
      `INSERT INTO subscription_lines (tenant_id, subscription_id, line_no, product_id, quantity)
       SELECT $1, $2, n, p, 1 FROM unnest($3::uuid[]) WITH ORDINALITY AS x(p, n)`,
      [t.tenantId, id, s.lines],
    );
    return { id, customerId, start: s.start };
  };
  const delivery = async (
    s: { id: string; customerId: string; start: string },
    n: number,
    total: number,
    opts: { status?: 'cancelled' | 'returned'; productId?: string } = {},
  ) => {
    const date = addMonths(s.start, n - 1);
    const orderId = await f.order({
      customerId: s.customerId,
      orderDate: date,
      shipDate: date,
      status: opts.status ?? 'completed',
      subtotal: total,
      taxTotal: 0,
      total,
      costTotal: 0,
      lines: [{ productId: opts.productId ?? PA, quantity: 1, unitPrice: total }],
    });
    await f.sql(
      `UPDATE orders SET kind = 'subscription', channel = 'subscription', subscription_id = $3,
              subscription_delivery_date = $4, subscription_delivery_seq = $5
        WHERE tenant_id = $1 AND id = $2`,
      [t.tenantId, orderId, s.id, date, n],
    );
    await f.sql('UPDATE subscriptions SET deliveries_made = deliveries_made + 1 WHERE tenant_id = $1 AND id = $2', [
      t.tenantId,
      s.id,
    ]);
  };
  const contact = async (customerId: string, code: string, at: string) =>
    f.sql(
      `INSERT INTO interactions (tenant_id, customer_id, kind_id, channel, body, status, at)
       SELECT $1, $2, k.id, 'inbound_call', 'テスト', 'done', $4 FROM interaction_kinds k WHERE k.tenant_id = $1 AND k.code = $3`,
      [t.tenantId, customerId, code, at],
    );

  const S1 = await sub({ start: '2025-01-10', adMediumId: M1, lines: [PA] });
  await delivery(S1, 1, 1000);
  await delivery(S1, 2, 3000);
  await delivery(S1, 3, 3000);
  await f.order({
    customerId: S1.customerId,
    orderDate: '2025-01-15',
    shipDate: '2025-01-15',
    subtotal: 9999,
    taxTotal: 0,
    total: 9999,
    costTotal: 0,
    lines: [{ productId: PB, quantity: 1, unitPrice: 9999 }],
  });
  const S2 = await sub({
    start: '2025-01-20',
    adMediumId: M1,
    lines: [PA],
    cancelledAt: '2025-03-05T10:00:00+09:00',
    reasonId: R1,
  });
  await delivery(S2, 1, 1000);
  await delivery(S2, 2, 3000);
  await contact(S2.customerId, 'complaint', '2025-03-01T15:00:00+09:00');
  const S3 = await sub({
    start: '2025-01-25',
    adMediumId: M2,
    lines: [PB],
    cancelledAt: '2025-02-24T10:00:00+09:00',
    reasonId: R2,
  });
  await delivery(S3, 1, 2000, { productId: PB });
  await delivery(S3, 2, 4000, { productId: PB, status: 'cancelled' });
  await contact(S3.customerId, 'subscription_change', '2025-02-01T10:00:00+09:00');
  await contact(S3.customerId, 'inquiry', '2025-02-20T10:00:00+09:00');
  const S4 = await sub({ start: '2025-02-05', adMediumId: M2, lines: [PB, PA] });
  await delivery(S4, 1, 1500, { productId: PA });
  await delivery(S4, 2, 3000, { productId: PB, status: 'returned' });
  const S5 = await sub({ start: '2025-02-15', lines: [PB], cancelledAt: '2025-02-10T10:00:00+09:00' });
  await contact(S5.customerId, 'subscription_change', '2025-02-09T10:00:00+09:00');
  const S6 = await sub({ start: '2025-02-20', adMediumId: M1, lines: [PB] });
  await delivery(S6, 1, 2000, { productId: PB });
  const S7 = await sub({
    start: '2025-03-01',
    adMediumId: M1,
    lines: [PA, PB],
    cancelledAt: '2025-03-31T23:50:00+09:00',
    reasonId: R1,
  });
  await delivery(S7, 1, 1000);
  await contact(S7.customerId, 'complaint', '2025-03-17T23:00:00+09:00');
  await contact(S7.customerId, 'subscription_change', '2025-03-31T23:50:00+09:00');
  const S8 = await sub({ start: '2024-12-01', lines: [PA], cancelledAt: '2025-01-31T23:30:00+09:00', reasonId: R2 });
  await delivery(S8, 1, 1000);
  return { f, PA, PB, M1, M2, R1, R2 };
}

let t: TestTenant;
let w: Awaited<ReturnType<typeof world>>;
let supervisor: string;

beforeAll(async () => {
  t = await makeTenant(app);
  w = await world(t);
  supervisor = await t.token('supervisor');
});

async function get(path: string, token = supervisor) {
  const res = await app.inject({ method: 'GET', url: `/api/v1/reports/subscriptions/${path}`, headers: auth(token) });
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  return res.json();
}

const zeros = (n: number) => Array.from({ length: n }, () => 0);

describe('continuation (継続率)', () => {
  it('by nth delivery: the share of the subscriptions started in the period still receiving delivery n', async () => {
    const r = await get(`continuation?${JAN_FEB}`);
    expect(r.by).toBe('nth');
    expect(r.total).toEqual({ started: 6 });
    expect(r.rows.slice(0, 4)).toEqual([
      { n: 1, started: 6, reached: 5, pending: 0, rate: 0.8333 },
      { n: 2, started: 6, reached: 3, pending: 1, rate: 0.5 },
      { n: 3, started: 6, reached: 1, pending: 2, rate: 0.1667 },
      { n: 4, started: 6, reached: 0, pending: 3, rate: 0 },
    ]);
    expect(r.rows).toHaveLength(12);
    expect(r.rows[11]).toEqual({ n: 12, started: 6, reached: 0, pending: 3, rate: 0 });
  });

  it('by start-month cohort: a cohort × n matrix', async () => {
    const r = await get(`continuation?${JAN_FEB}&by=cohort`);
    expect(r.points).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(r.rows).toEqual([
      {
        cohort: '2025-01',
        started: 3,
        reached: [3, 2, 1, ...zeros(9)],
        pending: [0, 0, 0, ...Array(9).fill(1)],
        rates: [1, 0.6667, 0.3333, ...zeros(9)],
      },
      {
        cohort: '2025-02',
        started: 3,
        reached: [2, 1, ...zeros(10)],
        pending: [0, 1, ...Array(10).fill(2)],
        rates: [0.6667, 0.3333, ...zeros(10)],
      },
    ]);
    expect(r.total.started).toBe(6);
    expect(r.total.reached.slice(0, 3)).toEqual([5, 3, 1]);
  });

  it('by ad medium and by first product at deliveries 2, 3, 6 and 12', async () => {
    const ad = await get(`continuation?${JAN_FEB}&by=ad`);
    expect(ad.points).toEqual([2, 3, 6, 12]);
    expect(ad.rows).toEqual([
      {
        adMediumId: w.M1,
        adMediumCode: 'M1',
        adMediumName: '新聞広告',
        started: 3,
        reached: [2, 1, 0, 0],
        pending: [1, 1, 2, 2],
        rates: [0.6667, 0.3333, 0, 0],
      },
      {
        adMediumId: w.M2,
        adMediumCode: 'M2',
        adMediumName: 'テレビ',
        started: 2,
        reached: [1, 0, 0, 0],
        pending: [0, 1, 1, 1],
        rates: [0.5, 0, 0, 0],
      },
      {
        adMediumId: null,
        adMediumCode: null,
        adMediumName: null,
        started: 1,
        reached: [0, 0, 0, 0],
        pending: [0, 0, 0, 0],
        rates: [0, 0, 0, 0],
      },
    ]);
    expect(ad.total).toEqual({ started: 6, reached: [3, 1, 0, 0], pending: [1, 2, 3, 3], rates: [0.5, 0.1667, 0, 0] });
    // S4's first product is delivery 1's (PA), not its first line now (PB).
    const product = await get(`continuation?${JAN_FEB}&by=product`);
    expect(product.rows).toEqual([
      {
        productId: w.PA,
        productCode: 'PA',
        productName: '青汁定期',
        started: 3,
        reached: [3, 1, 0, 0],
        pending: [0, 1, 2, 2],
        rates: [1, 0.3333, 0, 0],
      },
      {
        productId: w.PB,
        productCode: 'PB',
        productName: '黒酢定期',
        started: 3,
        reached: [0, 0, 0, 0],
        pending: [1, 1, 1, 1],
        rates: [0, 0, 0, 0],
      },
    ]);
  });

  it('filters by ad medium and first product; an empty period answers zeros', async () => {
    const pa = await get(`continuation?${JAN_FEB}&productId=${w.PA}`);
    expect(pa.rows.slice(0, 3).map((x: { reached: number }) => x.reached)).toEqual([3, 3, 1]);
    expect(pa.total.started).toBe(3);
    const m2 = await get(`continuation?${JAN_FEB}&adMediumId=${w.M2}&by=cohort`);
    expect(m2.rows.map((x: { cohort: string; started: number }) => [x.cohort, x.started])).toEqual([
      ['2025-01', 1],
      ['2025-02', 1],
    ]);
    const empty = await get('continuation?from=2020-01-01&to=2020-12-31');
    expect(empty.rows[0]).toEqual({ n: 1, started: 0, reached: 0, pending: 0, rate: null });
    expect((await get('continuation?from=2020-01-01&to=2020-12-31&by=ad')).rows).toEqual([]);
  });
});

describe('LTV per start month', () => {
  it('revenue of the generated orders that count, LTV and average deliveries', async () => {
    const r = await get(`ltv?${JAN_FEB}`);
    expect(r.rows).toEqual([
      { cohort: '2025-01', subscriptions: 3, deliveries: 6, revenue: 13000, ltv: 4333, averageDeliveries: 2 },
      { cohort: '2025-02', subscriptions: 3, deliveries: 2, revenue: 3500, ltv: 1167, averageDeliveries: 0.67 },
    ]);
    expect(r.total).toEqual({ subscriptions: 6, deliveries: 8, revenue: 16500, ltv: 2750, averageDeliveries: 1.33 });
    const m1 = await get(`ltv?${JAN_FEB}&adMediumId=${w.M1}`);
    expect(m1.total).toEqual({ subscriptions: 3, deliveries: 6, revenue: 13000, ltv: 4333, averageDeliveries: 2 });
    const none = await get('ltv?from=2020-01-01&to=2020-01-31');
    expect(none).toEqual({
      rows: [],
      total: { subscriptions: 0, deliveries: 0, revenue: 0, ltv: null, averageDeliveries: null },
    });
  });
});

describe('cancellations (解約理由, 顧客離脱集計表)', () => {
  it('per reason, per deliveries received and per product, with the contacts of the 14 days before', async () => {
    const r = await get(`cancellations?${FEB_MAR}`);
    expect(r.total).toEqual({ count: 4, withContact: 2, contactShare: 0.5 });
    expect(r.reasons).toEqual([
      { reasonId: w.R1, reasonCode: 'R1', reasonName: '価格が高い', count: 2, share: 0.5, withContact: 1 },
      { reasonId: w.R2, reasonCode: 'R2', reasonName: '効果を感じない', count: 1, share: 0.25, withContact: 0 },
      { reasonId: null, reasonCode: null, reasonName: null, count: 1, share: 0.25, withContact: 1 },
    ]);
    expect(r.deliveries).toEqual([
      { deliveries: 0, count: 1, share: 0.25, withContact: 1 },
      { deliveries: 1, count: 2, share: 0.5, withContact: 0 },
      { deliveries: 2, count: 1, share: 0.25, withContact: 1 },
    ]);
    expect(r.products).toEqual([
      { productId: w.PB, productCode: 'PB', productName: '黒酢定期', count: 3, share: 0.75, withContact: 1 },
      { productId: w.PA, productCode: 'PA', productName: '青汁定期', count: 2, share: 0.5, withContact: 1 },
    ]);
    // The period is of the cancellation day in Tokyo: S8 (January 31, 23:30 JST) is January's.
    const jan = await get('cancellations?from=2025-01-01&to=2025-01-31');
    expect(jan.total).toEqual({ count: 1, withContact: 0, contactShare: 0 });
    expect(jan.reasons[0].reasonId).toBe(w.R2);
    const m1 = await get(`cancellations?${FEB_MAR}&adMediumId=${w.M1}`);
    expect(m1.total).toEqual({ count: 2, withContact: 1, contactShare: 0.5 });
    const pb = await get(`cancellations?${FEB_MAR}&productId=${w.PB}`);
    expect(pb.total.count).toBe(2); // S3 and S5 started with PB; S7 started with PA
  });
});

describe('files', () => {
  it('CSV in Shift_JIS with a header and a total row, per report and table', async () => {
    const csv = async (path: string) => {
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/reports/subscriptions/${path}`,
        headers: auth(supervisor),
      });
      expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
      expect(res.headers['content-type']).toBe('text/csv; charset=Shift_JIS');
      return { text: iconv.decode(res.rawPayload, 'cp932').split('\r\n'), res };
    };
    const ltvFile = await csv(`ltv?${JAN_FEB}&format=csv`);
    expect(String(ltvFile.res.headers['content-disposition'])).toContain(
      encodeURIComponent('定期LTV(開始月別)_20250101-20250228.csv'),
    );
    expect(ltvFile.text).toEqual([
      '開始月,定期件数,お届け回数,売上(税込),LTV,平均お届け回数',
      '2025-01,3,6,13000,4333,2',
      '2025-02,3,2,3500,1167,0.67',
      '合計,6,8,16500,2750,1.33',
      '',
    ]);
    const nth = await csv(`continuation?${JAN_FEB}&format=csv`);
    expect(nth.text.slice(0, 3)).toEqual(['回数,開始件数,継続数,未到達,継続率', '1,6,5,0,0.8333', '2,6,3,1,0.5']);
    const ad = await csv(`continuation?${JAN_FEB}&by=ad&format=csv`);
    expect(ad.text.slice(0, 2)).toEqual([
      '広告コード,広告名,開始件数,2回目 継続数,2回目 継続率,3回目 継続数,3回目 継続率,6回目 継続数,6回目 継続率,12回目 継続数,12回目 継続率',
      'M1,新聞広告,3,2,0.6667,1,0.3333,0,0,0,0',
    ]);
    const leaving = await csv(`cancellations?${FEB_MAR}&table=deliveries&format=csv`);
    expect(leaving.text).toEqual([
      '離脱時のお届け済み回数,解約件数,構成比,14日以内の対応あり',
      '0,1,0.25,1',
      '1,2,0.5,0',
      '2,1,0.25,1',
      '合計,4,1,2',
      '',
    ]);
    const reasons = await csv(`cancellations?${FEB_MAR}&format=csv`);
    expect(reasons.text[3]).toBe('(なし),,1,0.25,1');
    const audit = await app.inject({
      method: 'GET',
      url: '/api/v1/audit?action=report.export',
      headers: auth(t.adminToken),
    });
    const items = audit.json().items as { detail: Record<string, unknown> }[];
    expect(items.some((i) => i.detail.report === 'subscriptions-cancellations-deliveries')).toBe(true);
  });
});

describe('made through the API', () => {
  it('counts a generated delivery, a cancellation with its reason, and a skip as the contact before it', async () => {
    const g = await makeTenant(app);
    const post = async (url: string, payload: unknown) => {
      const res = await app.inject({
        method: 'POST',
        url: `/api/v1${url}`,
        headers: auth(g.adminToken),
        payload: payload as object,
      });
      expect(res.statusCode, res.body).toBeLessThan(300);
      return res.json();
    };
    const productId = (
      await post('/products', { code: 'AO', name: '青汁', unitPrice: 3000, taxRate: 8, kind: 'subscription' })
    ).id as string;
    const customerId = async (n: number) =>
      (
        await post('/customers', {
          name: `定期 太郎${n}`,
          phones: [{ number: `0901234000${n}`, kind: 'mobile' }],
          postalCode: '150-0001',
          prefecture: '東京都',
          city: '渋谷区',
          address1: '神宮前1-1-1',
        })
      ).id as string;
    const [reason] = (await fixtures(db, g.tenantId).sql(
      `INSERT INTO reasons (tenant_id, kind, code, name) VALUES ($1, 'subscription_cancel', 'X', '在庫過多') RETURNING id`,
      [g.tenantId],
    )) as { id: string }[];
    clock.set(T0);
    const subs = [];
    for (const n of [1, 2]) {
      subs.push(
        await post('/subscriptions', {
          customerId: await customerId(n),
          lines: [{ productId, quantity: 1 }],
          cycle: { every: 1, unit: 'month' },
          firstDeliveryDate: '2030-04-10',
        }),
      );
    }
    const run = await generateDue(db, { date: '2030-04-03', now: T0, tenantId: g.tenantId });
    expect(run.generated).toBe(2);
    const [a, b] = subs as { id: string }[];
    // A skips on April 25 (a 定期変更 entry), then both cancel on May 1: only A had a contact in
    // the 14 days before; B's sign-up (30 days before) and each cancellation's own entry do not count.
    clock.set(new Date('2030-04-25T10:00:00+09:00'));
    await post(`/subscriptions/${a?.id}/skip`, {});
    clock.set(new Date('2030-05-01T10:00:00+09:00'));
    for (const s of [a, b]) await post(`/subscriptions/${s?.id}/cancel`, { reasonId: reason?.id });
    const gTok = g.adminToken;
    const c = await get('cancellations?from=2030-05-01&to=2030-05-01', gTok);
    expect(c.total).toEqual({ count: 2, withContact: 1, contactShare: 0.5 });
    expect(c.deliveries).toEqual([{ deliveries: 1, count: 2, share: 1, withContact: 1 }]);
    expect(c.reasons[0]).toMatchObject({ reasonName: '在庫過多', count: 2 });
    expect(c.products[0]).toMatchObject({ productId, count: 2 });
    const n = await get('continuation?from=2030-04-01&to=2030-04-30', gTok);
    expect(n.rows.slice(0, 2)).toEqual([
      { n: 1, started: 2, reached: 2, pending: 0, rate: 1 },
      { n: 2, started: 2, reached: 0, pending: 0, rate: 0 },
    ]);
    const l = await get('ltv?from=2030-04-01&to=2030-04-30', gTok);
    expect(l.total.deliveries).toBe(2);
    expect(l.total.revenue).toBeGreaterThan(0);
  });
});

describe('validation, roles and tenants', () => {
  it('refuses a reversed or too long period and unknown values', async () => {
    const bad = async (q: string) => {
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/reports/subscriptions/${q}`,
        headers: auth(supervisor),
      });
      expect(res.statusCode, q).toBe(400);
      return res.json();
    };
    expect((await bad('ltv?from=2025-04-30&to=2025-04-01')).errors[0].path).toBe('to');
    expect((await bad('cancellations?from=2023-01-01&to=2025-01-01')).errors[0].path).toBe('to');
    await bad(`continuation?${JAN_FEB}&by=staff`);
    await bad(`cancellations?${JAN_FEB}&table=x`);
    await bad('ltv?from=2025-01-01');
  });

  it('documents the three routes in the OpenAPI document', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    const paths = res.json().paths as Record<string, { get?: unknown }>;
    for (const name of ['continuation', 'ltv', 'cancellations'])
      expect(paths[`/api/v1/reports/subscriptions/${name}`]?.get, name).toBeDefined();
  });

  it('lets admins and supervisors read; not operators, client viewers or anonymous callers', async () => {
    for (const role of ['admin', 'supervisor'] as const) {
      expect((await get(`ltv?${JAN_FEB}`, await t.token(role))).total.revenue, role).toBe(16500);
    }
    for (const role of ['operator', 'client_viewer'] as const) {
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/reports/subscriptions/ltv?${JAN_FEB}`,
        headers: auth(await t.token(role)),
      });
      expect(res.statusCode, role).toBe(403);
    }
    const none = await app.inject({ method: 'GET', url: `/api/v1/reports/subscriptions/ltv?${JAN_FEB}` });
    expect(none.statusCode).toBe(401);
  });

  it("never counts another tenant's subscriptions; its masters as filters answer 404", async () => {
    const a = await makeTenant(app);
    const b = await makeTenant(app);
    const wa = await world(a);
    await world(b);
    // B's figures are its own (the same hand-made world), not doubled by A's.
    expect((await get(`ltv?${JAN_FEB}`, b.adminToken)).total.revenue).toBe(16500);
    expect((await get(`cancellations?${FEB_MAR}`, b.adminToken)).total.count).toBe(4);
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
      read: (id) => `/api/v1/reports/subscriptions/continuation?${JAN_FEB}&by=ad&adMediumId=${id}`,
    });
    for (const path of ['ltv', 'cancellations', 'continuation']) {
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/reports/subscriptions/${path}?${JAN_FEB}&productId=${wa.PA}`,
        headers: auth(b.adminToken),
      });
      expect(res.statusCode, path).toBe(404);
    }
  });
});
