// The demo catalogue seeds a usable order desk (products, fees, slots, payment methods,
// campaigns, reasons) once, and seeding again changes nothing. Runs on PGlite and PostgreSQL.
import { beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../platform/demo/demo.js';
import { auth, dbOf, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';

let app: TestApp;
let t: TestTenant;

beforeAll(async () => {
  app = await testApp();
  t = await makeTenant(app);
  await seedDemo(dbOf(app), t.tenantId, { password: 'demo-password-123', now: new Date('2026-05-01T00:00:00Z') });
});

const get = async (url: string) => {
  const res = await app.inject({ method: 'GET', url: `/api/v1${url}`, headers: auth(t.adminToken) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

describe('demo catalogue', () => {
  it('has the products, the set, the presents and the order settings', async () => {
    const products = (await get('/products?limit=500')).items as {
      code: string;
      kind: string;
      components: unknown[];
    }[];
    expect(products.length).toBeGreaterThanOrEqual(12);
    expect(products.find((p) => p.code === 'SET-KENKO')).toMatchObject({
      kind: 'set',
      components: [{ code: 'AOJIRU-30' }, { code: 'BLUEBERRY-60' }],
    });
    expect(products.filter((p) => p.kind === 'subscription').map((p) => p.code)).toEqual([
      'AOJIRU-SUB',
      'NYUSANKIN-SUB',
    ]);
    expect(products.filter((p) => p.kind === 'present').length).toBeGreaterThanOrEqual(2);
    const found = (await get(`/products?q=${encodeURIComponent('あおじる')}`)).items as { code: string }[];
    expect(found.map((p) => p.code)).toEqual(['AOJIRU-30', 'AOJIRU-SUB', 'SHAKER']);
    const settings = await get('/settings');
    expect(settings.invoice.registrationNumber).toBe('T1234567890123');
    expect(settings.tax).toEqual({ priceMode: 'included', rounding: 'floor' });
  });

  it('has fees, lead days, slots of the three carriers, payment methods, campaigns and reasons', async () => {
    const fees = (await get('/shipping-fees')).items;
    expect(fees).toEqual([
      { id: expect.any(String), carrier: null, prefecture: null, fee: 600, freeThreshold: 5000 },
      { id: expect.any(String), carrier: null, prefecture: '北海道', fee: 1200, freeThreshold: 5000 },
      { id: expect.any(String), carrier: null, prefecture: '沖縄県', fee: 1200, freeThreshold: 5000 },
    ]);
    expect((await get('/delivery-lead-days?carrier=yamato')).items).toHaveLength(9);
    const slots = (await get('/delivery-time-slots?carrier=yamato')).items as { code: string }[];
    expect(slots.map((s) => s.code)).toEqual(['0812', '1416', '1618', '1820', '1921']);
    expect((await get('/delivery-time-slots')).items.length).toBe(17);
    const methods = (await get('/payment-methods')).items as { code: string; brackets: unknown[] }[];
    expect(methods.map((p) => p.code)).toEqual(['COD', 'BANK', 'CARD', 'ATOBARAI', 'CVS']);
    expect(methods[0]?.brackets).toEqual([
      { upTo: 10000, fee: 330 },
      { upTo: 30000, fee: 440 },
      { upTo: 100000, fee: 660 },
      { upTo: null, fee: 1100 },
    ]);
    const origins = (await get('/shipping-origins')).items as { isDefault: boolean; prefecture: string }[];
    expect(origins).toMatchObject([{ isDefault: true, prefecture: '埼玉県' }]);
    const campaigns = (await get('/campaigns?on=2026-05-01')).items as { code: string }[];
    expect(campaigns.map((c) => c.code).sort()).toEqual(['BEAUTY-SAMPLE', 'FIRST500', 'TV2980']);
    expect((await get('/reasons?kind=subscription_cancel')).items).toHaveLength(5);
    expect((await get('/ad-media')).items.map((a: { medium: string }) => a.medium)).toEqual(
      expect.arrayContaining(['新聞', 'テレビ', 'Web']),
    );
  });

  it('seeds only once', async () => {
    const before = (await get('/products?limit=500')).items.length;
    await seedDemo(dbOf(app), t.tenantId, { password: 'demo-password-123', now: new Date('2026-05-02T00:00:00Z') });
    expect((await get('/products?limit=500')).items.length).toBe(before);
    expect((await get('/shipping-fees')).items).toHaveLength(3);
  });
});
