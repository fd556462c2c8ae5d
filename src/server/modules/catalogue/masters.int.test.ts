// The order desk's smaller masters against a real database: ad media (+ monthly costs), product
// categories, shipping origins (one default), carrier accounts, shipping fees, lead days, time
// slots, payment methods (+ COD brackets), campaigns (+ prices, presents), reasons. Each: CRUD,
// validation naming the field, roles, audit, and the cross-tenant kit.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossTenantKit } from '../../test/cross-tenant.js';
import { auth, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';

let app: TestApp;
let t: TestTenant;
let operator: string;
let supervisor: string;

beforeAll(async () => {
  app = await testApp();
  t = await makeTenant(app);
  operator = await t.token('operator');
  supervisor = await t.token('supervisor');
});

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
const call = (
  method: Method,
  url: string,
  payload?: unknown,
  token = t.adminToken,
  headers: Record<string, string> = {},
) =>
  app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { ...auth(token), ...headers },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
const uniq = (prefix: string) => `${prefix}${randomUUID().slice(0, 8)}`;

async function created(method: Method, url: string, payload: unknown, token = t.adminToken) {
  const res = await call(method, url, payload, token);
  expect(res.statusCode, res.body).toBe(method === 'POST' ? 201 : 200);
  return res.json() as Record<string, unknown> & { id: string };
}

function errorPaths(res: { statusCode: number; json(): unknown }) {
  expect(res.statusCode).toBe(400);
  return ((res.json() as { errors: { path: string }[] }).errors ?? []).map((e) => e.path);
}

describe('ad media', () => {
  it('creates with monthly costs, replaces them, and lists by code', async () => {
    const a = await created('POST', '/ad-media', {
      code: uniq('NP'),
      name: '日経新聞 全5段',
      medium: '新聞',
      monthlyCost: 500000,
      costs: [
        { month: '2026-05', cost: 480000 },
        { month: '2026-04', cost: 520000 },
      ],
    });
    expect(a).toMatchObject({
      medium: '新聞',
      monthlyCost: 500000,
      active: true,
      version: 1,
      costs: [
        { month: '2026-04', cost: 520000 },
        { month: '2026-05', cost: 480000 },
      ],
    });
    const patched = await created('PATCH', `/ad-media/${a.id}`, {
      costs: [{ month: '2026-06', cost: 1 }],
      active: false,
    });
    expect(patched).toMatchObject({ costs: [{ month: '2026-06', cost: 1 }], active: false, version: 2 });
    expect(
      errorPaths(await call('POST', '/ad-media', { code: 'x', name: 'x', costs: [{ month: '2026-13', cost: 1 }] })),
    ).toEqual(['costs.0.month']);
    expect(
      errorPaths(
        await call('PATCH', `/ad-media/${a.id}`, {
          costs: [
            { month: '2026-01', cost: 1 },
            { month: '2026-01', cost: 2 },
          ],
        }),
      ),
    ).toEqual(['costs.1.month']);
    const dup = await call('POST', '/ad-media', { code: a.code, name: '重複' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().errors[0].path).toBe('code');
    const list = await call('GET', `/ad-media?q=${encodeURIComponent('日経')}`, undefined, operator);
    expect((list.json().items as { id: string }[]).map((i) => i.id)).toContain(a.id);
    expect(
      (await call('GET', '/ad-media?active=true', undefined, operator)).json().items.map((i: { id: string }) => i.id),
    ).not.toContain(a.id);
  });

  it('is written by supervisors and admins, read by the desk, isolated by tenant', async () => {
    expect((await call('POST', '/ad-media', { code: uniq('W'), name: 'Web' }, operator)).statusCode).toBe(403);
    expect((await call('POST', '/ad-media', { code: uniq('W'), name: 'Web' }, supervisor)).statusCode).toBe(201);
    const b = await makeTenant(app);
    await crossTenantKit(app, t, b).expectIsolated({
      create: async (token) => (await created('POST', '/ad-media', { code: uniq('X'), name: 'TV' }, token)).id,
      read: (id) => `/api/v1/ad-media/${id}`,
      list: '/api/v1/ad-media',
      writes: (id) => [
        { method: 'PATCH', url: `/api/v1/ad-media/${id}`, payload: { name: '乗っ取り' } },
        { method: 'DELETE', url: `/api/v1/ad-media/${id}` },
      ],
    });
  });
});

describe('product categories', () => {
  it('orders by sortOrder, deletes unused ones, refuses used ones', async () => {
    const tenant = await makeTenant(app);
    const mk = (code: string, sortOrder: number) =>
      created('POST', '/product-categories', { code, name: code, sortOrder }, tenant.adminToken);
    const b = await mk('B', 20);
    await mk('A', 30);
    await mk('C', 10);
    const list = await call('GET', '/product-categories', undefined, tenant.adminToken);
    expect((list.json().items as { code: string }[]).map((i) => i.code)).toEqual(['C', 'B', 'A']);
    const p = await call(
      'POST',
      '/products',
      { code: 'X1', name: 'x', unitPrice: 1, taxRate: 8, categoryId: b.id },
      tenant.adminToken,
    );
    expect(p.statusCode).toBe(201);
    expect((await call('DELETE', `/product-categories/${b.id}`, undefined, tenant.adminToken)).statusCode).toBe(409);
    const c = (list.json().items as { id: string }[])[0] as { id: string };
    expect((await call('DELETE', `/product-categories/${c.id}`, undefined, tenant.adminToken)).statusCode).toBe(204);
    expect((await call('GET', `/product-categories/${c.id}`, undefined, tenant.adminToken)).statusCode).toBe(404);
    const b2 = await makeTenant(app);
    await crossTenantKit(app, tenant, b2).expectIsolated({
      create: async (token) =>
        (await created('POST', '/product-categories', { code: uniq('K'), name: '化粧品' }, token)).id,
      read: (id) => `/api/v1/product-categories/${id}`,
      list: '/api/v1/product-categories',
      writes: (id) => [{ method: 'PATCH', url: `/api/v1/product-categories/${id}`, payload: { name: 'x' } }],
    });
  });
});

const origin = (over: Record<string, unknown> = {}) => ({
  code: uniq('O'),
  name: '埼玉倉庫',
  shipperName: '株式会社マドグチ通販',
  postalCode: '３３６００２２',
  prefecture: '埼玉',
  city: 'さいたま市南区',
  address1: '白幡1-2-3',
  phone: '048-000-0000',
  ...over,
});

describe('shipping origins', () => {
  it('normalises the address, keeps exactly one default, admins only', async () => {
    const tenant = await makeTenant(app);
    const first = await created('POST', '/shipping-origins', origin(), tenant.adminToken);
    expect(first).toMatchObject({
      postalCode: '336-0022',
      prefecture: '埼玉県',
      isDefault: true,
      defaultCarrier: 'yamato',
    });
    const second = await created(
      'POST',
      '/shipping-origins',
      origin({ isDefault: true, prefecture: '東京都', defaultCarrier: 'sagawa' }),
      tenant.adminToken,
    );
    expect(second.isDefault).toBe(true);
    expect((await call('GET', `/shipping-origins/${first.id}`, undefined, tenant.adminToken)).json().isDefault).toBe(
      false,
    );
    const third = await created('POST', '/shipping-origins', origin(), tenant.adminToken);
    expect(third.isDefault).toBe(false);
    await created('PATCH', `/shipping-origins/${first.id}`, { isDefault: true }, tenant.adminToken);
    const defaults = (await call('GET', '/shipping-origins', undefined, tenant.adminToken))
      .json()
      .items.filter((o: { isDefault: boolean }) => o.isDefault);
    expect(defaults.map((o: { id: string }) => o.id)).toEqual([first.id]);
    expect(
      errorPaths(await call('POST', '/shipping-origins', origin({ prefecture: '東京府' }), tenant.adminToken)),
    ).toEqual(['prefecture']);
    expect(
      errorPaths(await call('POST', '/shipping-origins', origin({ postalCode: '123' }), tenant.adminToken)),
    ).toEqual(['postalCode']);
    const sup = await tenant.token('supervisor');
    expect((await call('POST', '/shipping-origins', origin(), sup)).statusCode).toBe(403);
    expect((await call('GET', '/shipping-origins', undefined, await tenant.token('operator'))).statusCode).toBe(200);
    const b = await makeTenant(app);
    await crossTenantKit(app, tenant, b).expectIsolated({
      create: async (token) => (await created('POST', '/shipping-origins', origin(), token)).id,
      read: (id) => `/api/v1/shipping-origins/${id}`,
      list: '/api/v1/shipping-origins',
      writes: (id) => [{ method: 'PATCH', url: `/api/v1/shipping-origins/${id}`, payload: { isDefault: true } }],
    });
  });
});

describe('carrier accounts and time slots', () => {
  it('answers every carrier with defaults, saves codes and the tracking URL', async () => {
    const tenant = await makeTenant(app);
    const list = await call('GET', '/carrier-accounts', undefined, tenant.adminToken);
    expect(list.statusCode).toBe(200);
    expect(
      (list.json().items as { carrier: string; updatedAt: unknown }[]).map((i) => [i.carrier, i.updatedAt]),
    ).toEqual([
      ['yamato', null],
      ['sagawa', null],
      ['japanpost', null],
    ]);
    const put = await call(
      'PUT',
      '/carrier-accounts/yamato',
      {
        account: { customerCode: '0123456789', classCode: '', freightNumber: '01' },
        trackingUrl: 'https://example.jp/track?no={number}',
      },
      tenant.adminToken,
    );
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({
      carrier: 'yamato',
      account: { customerCode: '0123456789', freightNumber: '01' },
      trackingUrl: 'https://example.jp/track?no={number}',
    });
    expect(
      (await call('GET', '/carrier-accounts/yamato', undefined, await tenant.token('operator'))).json().account
        .customerCode,
    ).toBe('0123456789');
    expect(
      errorPaths(
        await call(
          'PUT',
          '/carrier-accounts/yamato',
          { account: {}, trackingUrl: 'https://example.jp/track' },
          tenant.adminToken,
        ),
      ),
    ).toEqual(['trackingUrl']);
    expect((await call('PUT', '/carrier-accounts/fedex', { account: {} }, tenant.adminToken)).statusCode).toBe(400);
    expect(
      (await call('PUT', '/carrier-accounts/yamato', { account: {} }, await tenant.token('supervisor'))).statusCode,
    ).toBe(403);
    // Another tenant still sees the defaults.
    const other = await makeTenant(app);
    expect((await call('GET', '/carrier-accounts/yamato', undefined, other.adminToken)).json()).toMatchObject({
      account: {},
      updatedAt: null,
    });
  });

  it("replaces a carrier's time slots, in order, and refuses duplicates", async () => {
    const tenant = await makeTenant(app);
    const put = await call(
      'PUT',
      '/delivery-time-slots/yamato',
      {
        items: [
          { code: '0812', label: '午前中' },
          { code: '1416', label: '14時～16時' },
          { code: '1921', label: '19時～21時', active: false },
        ],
      },
      tenant.adminToken,
    );
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().items.map((i: { code: string; sortOrder: number }) => [i.code, i.sortOrder])).toEqual([
      ['0812', 10],
      ['1416', 20],
      ['1921', 30],
    ]);
    await call('PUT', '/delivery-time-slots/sagawa', { items: [{ code: '01', label: '午前中' }] }, tenant.adminToken);
    const all = await call('GET', '/delivery-time-slots', undefined, await tenant.token('operator'));
    expect(all.json().items.map((i: { carrier: string }) => i.carrier)).toEqual([
      'yamato',
      'yamato',
      'yamato',
      'sagawa',
    ]);
    expect(
      (await call('GET', '/delivery-time-slots?carrier=sagawa', undefined, tenant.adminToken)).json().items,
    ).toHaveLength(1);
    expect(
      errorPaths(
        await call(
          'PUT',
          '/delivery-time-slots/yamato',
          {
            items: [
              { code: '01', label: 'a' },
              { code: '01', label: 'b' },
            ],
          },
          tenant.adminToken,
        ),
      ),
    ).toEqual(['items']);
    expect(
      (await call('GET', '/delivery-time-slots', undefined, (await makeTenant(app)).adminToken)).json().items,
    ).toEqual([]);
  });
});

describe('shipping fees and lead days', () => {
  it('keeps one rule per carrier and prefecture, canonical prefectures', async () => {
    const tenant = await makeTenant(app);
    const any = await created('POST', '/shipping-fees', { fee: 600, freeThreshold: 5000 }, tenant.adminToken);
    expect(any).toMatchObject({ carrier: null, prefecture: null, fee: 600, freeThreshold: 5000 });
    const hokkaido = await created(
      'POST',
      '/shipping-fees',
      { prefecture: '北海道', fee: 1200, freeThreshold: 5000 },
      tenant.adminToken,
    );
    const okinawa = await created(
      'POST',
      '/shipping-fees',
      { carrier: 'yamato', prefecture: '沖縄', fee: 1500 },
      tenant.adminToken,
    );
    expect(okinawa.prefecture).toBe('沖縄県');
    const dup = await call(
      'POST',
      '/shipping-fees',
      { carrier: 'yamato', prefecture: '沖縄県', fee: 1 },
      tenant.adminToken,
    );
    expect(dup.statusCode).toBe(409);
    expect((await call('POST', '/shipping-fees', { fee: 1 }, tenant.adminToken)).statusCode).toBe(409);
    expect(
      errorPaths(await call('POST', '/shipping-fees', { prefecture: 'ハワイ', fee: 1 }, tenant.adminToken)),
    ).toEqual(['prefecture']);
    const list = await call('GET', '/shipping-fees', undefined, tenant.adminToken);
    expect(list.json().items.map((i: { id: string }) => i.id)).toEqual([any.id, hokkaido.id, okinawa.id]);
    expect(
      (await call('GET', '/shipping-fees?carrier=yamato', undefined, tenant.adminToken)).json().items,
    ).toHaveLength(1);
    expect((await created('PATCH', `/shipping-fees/${hokkaido.id}`, { fee: 1300 }, tenant.adminToken)).fee).toBe(1300);
    expect((await call('DELETE', `/shipping-fees/${any.id}`, undefined, tenant.adminToken)).statusCode).toBe(204);
    expect((await call('POST', '/shipping-fees', { fee: 1 }, await tenant.token('operator'))).statusCode).toBe(403);
    const b = await makeTenant(app);
    await crossTenantKit(app, tenant, b).expectIsolated({
      create: async (token) =>
        (await created('POST', '/shipping-fees', { prefecture: uniqPrefecture(), fee: 1 }, token)).id,
      read: (id) => `/api/v1/shipping-fees/${id}`,
      list: '/api/v1/shipping-fees',
      writes: (id) => [{ method: 'PATCH', url: `/api/v1/shipping-fees/${id}`, payload: { fee: 0 } }],
    });
  });

  it('keeps lead days per carrier, origin and prefecture', async () => {
    const tenant = await makeTenant(app);
    const o = await created('POST', '/shipping-origins', origin(), tenant.adminToken);
    const a = await created(
      'POST',
      '/delivery-lead-days',
      { carrier: 'yamato', prefecture: '北海道', days: 2 },
      tenant.adminToken,
    );
    expect(a).toMatchObject({ carrier: 'yamato', originId: null, prefecture: '北海道', days: 2 });
    const b = await created(
      'POST',
      '/delivery-lead-days',
      { carrier: 'yamato', originId: o.id, prefecture: '北海道', days: 3 },
      tenant.adminToken,
    );
    expect(b.originId).toBe(o.id);
    expect(
      (
        await call(
          'POST',
          '/delivery-lead-days',
          { carrier: 'yamato', prefecture: '北海道', days: 1 },
          tenant.adminToken,
        )
      ).statusCode,
    ).toBe(409);
    expect(
      errorPaths(
        await call(
          'POST',
          '/delivery-lead-days',
          { carrier: 'yamato', prefecture: '沖縄県', days: 15 },
          tenant.adminToken,
        ),
      ),
    ).toEqual(['days']);
    expect(
      errorPaths(
        await call(
          'POST',
          '/delivery-lead-days',
          { carrier: 'yamato', originId: randomUUID(), prefecture: '沖縄県', days: 1 },
          tenant.adminToken,
        ),
      ),
    ).toEqual(['originId']);
    const other = await makeTenant(app);
    await crossTenantKit(app, tenant, other).expectIsolated({
      create: async (token) =>
        (
          await created(
            'POST',
            '/delivery-lead-days',
            { carrier: 'sagawa', prefecture: uniqPrefecture(), days: 1 },
            token,
          )
        ).id,
      read: (id) => `/api/v1/delivery-lead-days/${id}`,
      list: '/api/v1/delivery-lead-days',
      writes: (id) => [{ method: 'DELETE', url: `/api/v1/delivery-lead-days/${id}` }],
    });
  });
});

let prefectureCursor = 0;
const PREFS = [
  '青森県',
  '岩手県',
  '宮城県',
  '秋田県',
  '山形県',
  '福島県',
  '茨城県',
  '栃木県',
  '群馬県',
  '千葉県',
  '神奈川県',
  '新潟県',
];
function uniqPrefecture() {
  return PREFS[prefectureCursor++ % PREFS.length] as string;
}

describe('payment methods', () => {
  it('keeps a COD fee table in ascending order with one open bracket last', async () => {
    const cod = await created('POST', '/payment-methods', {
      code: uniq('COD'),
      name: '代金引換',
      kind: 'cod',
      brackets: [
        { upTo: 10000, fee: 330 },
        { upTo: 30000, fee: 440 },
        { upTo: 100000, fee: 660 },
        { upTo: null, fee: 1100 },
      ],
    });
    expect(cod.brackets).toEqual([
      { upTo: 10000, fee: 330 },
      { upTo: 30000, fee: 440 },
      { upTo: 100000, fee: 660 },
      { upTo: null, fee: 1100 },
    ]);
    expect(
      errorPaths(
        await call('PATCH', `/payment-methods/${cod.id}`, {
          brackets: [
            { upTo: 30000, fee: 1 },
            { upTo: 10000, fee: 2 },
          ],
        }),
      ),
    ).toEqual(['brackets.1.upTo']);
    expect(
      errorPaths(
        await call('PATCH', `/payment-methods/${cod.id}`, {
          brackets: [
            { upTo: null, fee: 1 },
            { upTo: 10000, fee: 2 },
          ],
        }),
      ),
    ).toEqual(['brackets.0.upTo']);
    expect((await call('GET', `/payment-methods/${cod.id}`)).json().brackets).toHaveLength(4);
    const bank = await created('PATCH', `/payment-methods/${cod.id}`, {
      kind: 'bank_transfer',
      brackets: [],
      dueDays: 7,
    });
    expect(bank).toMatchObject({ kind: 'bank_transfer', brackets: [], dueDays: 7, version: 2 });
    expect(
      (await call('POST', '/payment-methods', { code: uniq('X'), name: 'x', kind: 'card' }, supervisor)).statusCode,
    ).toBe(403);
    const b = await makeTenant(app);
    await crossTenantKit(app, t, b).expectIsolated({
      create: async (token) =>
        (await created('POST', '/payment-methods', { code: uniq('P'), name: '後払い', kind: 'deferred' }, token)).id,
      read: (id) => `/api/v1/payment-methods/${id}`,
      list: '/api/v1/payment-methods',
      writes: (id) => [{ method: 'PATCH', url: `/api/v1/payment-methods/${id}`, payload: { fee: 0 } }],
    });
  });
});

describe('campaigns', () => {
  it('keeps conditions, effects, campaign prices and presents', async () => {
    const p = await created('POST', '/products', { code: uniq('A'), name: '青汁', unitPrice: 3000, taxRate: 8 });
    const gift = await created('POST', '/products', {
      code: uniq('G'),
      name: 'シェイカー',
      unitPrice: 0,
      taxRate: 10,
      kind: 'present',
    });
    const media = await created('POST', '/ad-media', { code: uniq('TV'), name: 'テレビ通販' });
    const c = await created('POST', '/campaigns', {
      code: uniq('FIRST'),
      name: '初回500円引き',
      startsOn: '2026-04-01',
      endsOn: '2026-06-30',
      automatic: true,
      adMediumId: media.id,
      firstOrderOnly: true,
      freeShipping: true,
      discountAmount: 500,
      prices: [{ productId: p.id, unitPrice: 1980 }],
      presents: [{ triggerProductId: p.id, presentProductId: gift.id }],
    });
    expect(c).toMatchObject({
      automatic: true,
      adMediumId: media.id,
      rankId: null,
      firstOrderOnly: true,
      minAmount: null,
      freeShipping: true,
      discountAmount: 500,
      prices: [{ productId: p.id, code: p.code, name: '青汁', unitPrice: 1980 }],
      presents: [
        {
          triggerProductId: p.id,
          presentProductId: gift.id,
          presentCode: gift.code,
          presentName: 'シェイカー',
          quantity: 1,
        },
      ],
    });
    const on = async (day: string) =>
      (await call('GET', `/campaigns?on=${day}`, undefined, operator)).json().items.map((i: { id: string }) => i.id);
    expect(await on('2026-05-01')).toContain(c.id);
    expect(await on('2026-07-01')).not.toContain(c.id);
    expect(errorPaths(await call('PATCH', `/campaigns/${c.id}`, { endsOn: '2026-03-01' }))).toEqual(['endsOn']);
    expect(
      errorPaths(await call('PATCH', `/campaigns/${c.id}`, { presents: [{ presentProductId: randomUUID() }] })),
    ).toEqual(['presents.0.presentProductId']);
    expect(errorPaths(await call('PATCH', `/campaigns/${c.id}`, { rankId: randomUUID() }))).toEqual(['rankId']);
    const cleared = await created('PATCH', `/campaigns/${c.id}`, {
      prices: [],
      presents: [{ presentProductId: gift.id, quantity: 2 }],
    });
    expect(cleared.prices).toEqual([]);
    expect(cleared.presents).toMatchObject([{ triggerProductId: null, quantity: 2 }]);
    // The campaign refers to the ad medium: it cannot be deleted.
    expect((await call('DELETE', `/ad-media/${media.id}`)).statusCode).toBe(409);
    expect(
      (
        await call(
          'POST',
          '/campaigns',
          { code: uniq('X'), name: 'x', startsOn: '2026-01-01', endsOn: '2026-01-02' },
          operator,
        )
      ).statusCode,
    ).toBe(403);
    const audit = await call('GET', `/audit?objectType=campaign&objectId=${c.id}`);
    expect(audit.json().items.map((i: { action: string }) => i.action)).toEqual(['campaign.update', 'campaign.create']);
  });

  it('is isolated by tenant', async () => {
    const b = await makeTenant(app);
    await crossTenantKit(app, t, b).expectIsolated({
      create: async (token) =>
        (
          await created(
            'POST',
            '/campaigns',
            { code: uniq('C'), name: '春の感謝祭', startsOn: '2026-03-01', endsOn: '2026-03-31' },
            token,
          )
        ).id,
      read: (id) => `/api/v1/campaigns/${id}`,
      list: '/api/v1/campaigns',
      writes: (id) => [
        { method: 'PATCH', url: `/api/v1/campaigns/${id}`, payload: { discountAmount: 99999 } },
        { method: 'DELETE', url: `/api/v1/campaigns/${id}` },
      ],
    });
  });
});

describe('reasons', () => {
  it('lists by kind and order; the same code may serve two kinds', async () => {
    const tenant = await makeTenant(app);
    await created(
      'POST',
      '/reasons',
      { kind: 'cancel', code: 'R1', name: '注文間違い', sortOrder: 20 },
      tenant.adminToken,
    );
    await created(
      'POST',
      '/reasons',
      { kind: 'cancel', code: 'R2', name: '重複注文', sortOrder: 10 },
      tenant.adminToken,
    );
    await created('POST', '/reasons', { kind: 'return', code: 'R1', name: '破損' }, tenant.adminToken);
    expect(
      (await call('POST', '/reasons', { kind: 'return', code: 'R1', name: '重複' }, tenant.adminToken)).statusCode,
    ).toBe(409);
    const cancel = await call('GET', '/reasons?kind=cancel', undefined, await tenant.token('operator'));
    expect(cancel.json().items.map((i: { name: string }) => i.name)).toEqual(['重複注文', '注文間違い']);
    expect(
      errorPaths(await call('POST', '/reasons', { kind: 'refund', code: 'X', name: 'x' }, tenant.adminToken)),
    ).toEqual(['kind']);
    const b = await makeTenant(app);
    await crossTenantKit(app, tenant, b).expectIsolated({
      create: async (token) =>
        (await created('POST', '/reasons', { kind: 'subscription_cancel', code: uniq('S'), name: '飲み忘れ' }, token))
          .id,
      read: (id) => `/api/v1/reasons/${id}`,
      list: '/api/v1/reasons',
      writes: (id) => [{ method: 'PATCH', url: `/api/v1/reasons/${id}`, payload: { name: 'x' } }],
    });
  });
});
