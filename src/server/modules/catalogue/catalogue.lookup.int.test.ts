// The look-ups the orders module uses: the most specific shipping fee rule and its free
// threshold, lead days with origin fallback, the COD fee bracket of an amount.
import { beforeAll, describe, expect, it } from 'vitest';
import type { TenantTx } from '../../db/database.js';
import { auth, dbOf, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';
import { leadDaysFor, paymentFee, shippingFee, shippingFeeRule } from './catalogue.lookup.js';

let app: TestApp;
let t: TestTenant;

beforeAll(async () => {
  app = await testApp();
  t = await makeTenant(app);
});

async function post(url: string, payload: object) {
  const res = await app.inject({ method: 'POST', url: `/api/v1${url}`, headers: auth(t.adminToken), payload });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string };
}
const inTx = <T>(fn: (tx: TenantTx) => Promise<T>) => dbOf(app).withTenant(t.tenantId, fn);

describe('catalogue look-ups', () => {
  it('answers fee 0 without rules, then the most specific rule, free from the threshold', async () => {
    expect(await inTx((tx) => shippingFee(tx, 'yamato', '東京都', 1000))).toBe(0);
    await post('/shipping-fees', { fee: 600, freeThreshold: 5000 });
    await post('/shipping-fees', { prefecture: '北海道', fee: 1200 });
    await post('/shipping-fees', { carrier: 'sagawa', fee: 700 });
    await post('/shipping-fees', { carrier: 'sagawa', prefecture: '北海道', fee: 1500, freeThreshold: 10000 });
    expect(await inTx((tx) => shippingFeeRule(tx, 'yamato', '東京都'))).toEqual({ fee: 600, freeThreshold: 5000 });
    expect(await inTx((tx) => shippingFee(tx, 'yamato', '東京都', 4999))).toBe(600);
    expect(await inTx((tx) => shippingFee(tx, 'yamato', '東京都', 5000))).toBe(0);
    expect(await inTx((tx) => shippingFee(tx, 'yamato', '北海道', 9000))).toBe(1200);
    expect(await inTx((tx) => shippingFee(tx, 'sagawa', '東京都', 9000))).toBe(700);
    expect(await inTx((tx) => shippingFee(tx, 'sagawa', '北海道', 9000))).toBe(1500);
    expect(await inTx((tx) => shippingFee(tx, 'sagawa', '北海道', 10000))).toBe(0);
  });

  it('finds lead days for the origin, else any origin, else 1', async () => {
    const origin = await post('/shipping-origins', {
      code: 'O1',
      name: '倉庫',
      shipperName: '通販',
      postalCode: '1000001',
      prefecture: '東京都',
      city: '千代田区',
      phone: '03-0000-0000',
    });
    await post('/delivery-lead-days', { carrier: 'yamato', prefecture: '沖縄県', days: 2 });
    await post('/delivery-lead-days', { carrier: 'yamato', originId: origin.id, prefecture: '沖縄県', days: 3 });
    expect(await inTx((tx) => leadDaysFor(tx, 'yamato', origin.id, '沖縄県'))).toBe(3);
    expect(await inTx((tx) => leadDaysFor(tx, 'yamato', null, '沖縄県'))).toBe(2);
    expect(await inTx((tx) => leadDaysFor(tx, 'sagawa', null, '沖縄県'))).toBe(1);
  });

  it('takes the COD bracket the amount does not pass', async () => {
    const cod = await post('/payment-methods', {
      code: 'COD',
      name: '代引き',
      kind: 'cod',
      fee: 999,
      brackets: [
        { upTo: 10000, fee: 330 },
        { upTo: 30000, fee: 440 },
        { upTo: 100000, fee: 660 },
        { upTo: null, fee: 1100 },
      ],
    });
    const bank = await post('/payment-methods', { code: 'BANK', name: '振込', kind: 'bank_transfer', fee: 0 });
    const fees = await inTx(async (tx) =>
      Promise.all([1, 10000, 10001, 30000, 99999, 100001, 5_000_000].map((a) => paymentFee(tx, cod.id, a))),
    );
    expect(fees).toEqual([330, 330, 440, 440, 660, 1100, 1100]);
    expect(await inTx((tx) => paymentFee(tx, bank.id, 50000))).toBe(0);
    expect(await inTx((tx) => paymentFee(tx, '00000000-0000-4000-8000-000000000000', 1))).toBeNull();
  });
});
