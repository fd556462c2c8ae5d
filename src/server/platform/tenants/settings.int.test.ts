// /api/v1/settings and /api/v1/calendar/holidays against a real database: the tenant's name and
// closing days (replaced as a whole, strictly validated), and the calendar that merges them with
// Japan's national holidays.
import { beforeAll, describe, expect, it } from 'vitest';
import { auth, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';

type Settings = { name: string; closingDays: { date: string; note: string }[] } & Record<string, unknown>;

// What a tenant that never changed them answers for the order desk's settings (issue 5).
const ORDER_DEFAULTS = {
  tax: { priceMode: 'included', rounding: 'floor' },
  orders: { preparationDays: 1, defaultCarrier: 'yamato' },
  invoice: { registrationNumber: null, issuerName: '', issuerAddress: '', issuerPhone: '' },
  subscriptions: { leadDays: 7 },
};
type Res = Awaited<ReturnType<TestApp['inject']>>;

let app: TestApp;
let t: TestTenant;

beforeAll(async () => {
  app = await testApp();
  t = await makeTenant(app, { name: '窓口テスト株式会社' });
});

const getSettings = async (tenant = t): Promise<Settings> => {
  const res = await app.inject({ method: 'GET', url: '/api/v1/settings', headers: auth(tenant.adminToken) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

const patch = (payload: unknown, token = t.adminToken) =>
  app.inject({ method: 'PATCH', url: '/api/v1/settings', headers: auth(token), payload: payload as object });

function expectValidation(res: Res) {
  expect(res.statusCode, res.body).toBe(400);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.json().code).toBe('validation');
  return res.json().errors as { path: string; code: string; message: string }[];
}

describe('settings', () => {
  it('GET answers the name and no closing days for a new tenant', async () => {
    expect(await getSettings()).toEqual({ name: '窓口テスト株式会社', closingDays: [], ...ORDER_DEFAULTS });
  });

  it('PATCH renames; closingDays replaces the whole list, sorted, note optional', async () => {
    const renamed = await patch({ name: '  窓口テスト株式会社 本社  ' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toEqual({ name: '窓口テスト株式会社 本社', closingDays: [], ...ORDER_DEFAULTS });

    const first = await patch({
      closingDays: [
        { date: '2026-12-31', note: '年末休業' },
        { date: '2026-12-29' },
        { date: '2026-12-30', note: '年末休業' },
      ],
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().closingDays).toEqual([
      { date: '2026-12-29', note: '' },
      { date: '2026-12-30', note: '年末休業' },
      { date: '2026-12-31', note: '年末休業' },
    ]);

    // A name-only patch leaves the days alone; a new list replaces the old one entirely.
    expect((await patch({ name: '窓口テスト株式会社' })).json().closingDays).toHaveLength(3);
    const replaced = await patch({ closingDays: [{ date: '2027-01-04', note: '年始休業' }] });
    expect(replaced.json()).toEqual({
      name: '窓口テスト株式会社',
      closingDays: [{ date: '2027-01-04', note: '年始休業' }],
      ...ORDER_DEFAULTS,
    });
    expect(await getSettings()).toEqual(replaced.json());

    expect((await patch({ closingDays: [] })).json().closingDays).toEqual([]);

    // Each change is audited with the fields it touched.
    const audit = await app.inject({
      method: 'GET',
      url: `/api/v1/audit?action=settings.update&objectId=${t.tenantId}`,
      headers: auth(t.adminToken),
    });
    expect((audit.json().items as { detail: unknown }[]).map((i) => i.detail)).toEqual([
      { fields: ['closingDays'] },
      { fields: ['closingDays'] },
      { fields: ['name'] },
      { fields: ['closingDays'] },
      { fields: ['name'] },
    ]);
  });

  it('refuses a duplicate date, an impossible date and an empty name, changing nothing', async () => {
    await patch({ closingDays: [{ date: '2026-08-13', note: 'お盆' }] });
    const before = await getSettings();

    const dup = expectValidation(
      await patch({ closingDays: [{ date: '2026-08-14' }, { date: '2026-08-14', note: '重複' }] }),
    );
    expect(dup).toEqual([{ path: 'closingDays', code: 'custom', message: expect.any(String) }]);
    const impossible = expectValidation(await patch({ closingDays: [{ date: '2026-02-30' }] }));
    expect(impossible).toEqual([
      { path: 'closingDays.0.date', code: 'invalid_format', message: '日付は YYYY-MM-DD の形式で入力してください。' },
    ]);
    expect(expectValidation(await patch({ name: '   ' })).map((e) => e.path)).toEqual(['name']);
    expect(
      expectValidation(await patch({ closingDays: [{ date: '2026-08-15', note: 'x'.repeat(101) }] })).map(
        (e) => e.path,
      ),
    ).toEqual(['closingDays.0.note']);

    expect(await getSettings()).toEqual(before);
  });

  it('refuses a setting it does not know instead of silently dropping it', async () => {
    const before = await getSettings();
    const res = await app.inject({
      method: 'PATCH',
      url: '/api/v1/settings',
      headers: { ...auth(t.adminToken), 'accept-language': 'en' },
      payload: { name: '新しい名前', shipping: { rate: 10 } },
    });
    const errors = expectValidation(res);
    expect(errors).toEqual([{ path: '', code: 'unrecognized_keys', message: 'Unknown field(s): shipping' }]);
    // Inside a known group too.
    const inner = expectValidation(await patch({ tax: { priceMode: 'excluded', rate: 10 } }));
    expect(inner.map((e) => [e.path, e.code])).toEqual([['tax', 'unrecognized_keys']]);
    expect(await getSettings()).toEqual(before);
  });

  it('is for admins only', async () => {
    const operator = await t.token('operator');
    const supervisor = await t.token('supervisor');
    for (const token of [operator, supervisor]) {
      const get = await app.inject({ method: 'GET', url: '/api/v1/settings', headers: auth(token) });
      expect(get.statusCode).toBe(403);
      expect(get.json().code).toBe('forbidden');
      const res = await patch({ name: '乗っ取り' }, token);
      expect(res.statusCode).toBe(403);
    }
    expect((await app.inject({ method: 'PATCH', url: '/api/v1/settings', payload: { name: '匿名' } })).statusCode).toBe(
      401,
    );
    expect((await getSettings()).name).not.toBe('乗っ取り');
  });

  it("one tenant's settings never touch another's", async () => {
    const other = await makeTenant(app, { name: '別会社' });
    await patch({ closingDays: [{ date: '2026-09-01', note: '防災訓練' }] });
    await patch({ tax: { priceMode: 'excluded' } });
    expect(await getSettings(other)).toEqual({ name: '別会社', closingDays: [], ...ORDER_DEFAULTS });
    await patch({ tax: { priceMode: 'included' } });
    await patch({ closingDays: [] }, other.adminToken);
    expect((await getSettings()).closingDays).toEqual([{ date: '2026-09-01', note: '防災訓練' }]);
  });
});

describe('order desk settings (tax, orders, invoice, subscriptions)', () => {
  it('PATCH merges each group field by field, keeps the others, and GET shows them', async () => {
    const tenant = await makeTenant(app);
    const tax = await patch({ tax: { priceMode: 'excluded', rounding: 'round' } }, tenant.adminToken);
    expect(tax.statusCode, tax.body).toBe(200);
    expect(tax.json().tax).toEqual({ priceMode: 'excluded', rounding: 'round' });

    const partial = await patch({ tax: { rounding: 'ceil' }, orders: { preparationDays: 0 } }, tenant.adminToken);
    expect(partial.json().tax).toEqual({ priceMode: 'excluded', rounding: 'ceil' });
    expect(partial.json().orders).toEqual({ preparationDays: 0, defaultCarrier: 'yamato' });

    const rest = await patch(
      {
        orders: { defaultCarrier: 'sagawa' },
        invoice: {
          registrationNumber: 'T1234567890123',
          issuerName: '窓口通販株式会社',
          issuerAddress: '東京都千代田区丸の内1-1-1',
          issuerPhone: '0120-000-000',
        },
        subscriptions: { leadDays: 10 },
      },
      tenant.adminToken,
    );
    expect(rest.statusCode, rest.body).toBe(200);
    expect(await getSettings(tenant)).toEqual({
      name: expect.any(String),
      closingDays: [],
      tax: { priceMode: 'excluded', rounding: 'ceil' },
      orders: { preparationDays: 0, defaultCarrier: 'sagawa' },
      invoice: {
        registrationNumber: 'T1234567890123',
        issuerName: '窓口通販株式会社',
        issuerAddress: '東京都千代田区丸の内1-1-1',
        issuerPhone: '0120-000-000',
      },
      subscriptions: { leadDays: 10 },
    });
    // The registration number can be cleared.
    const cleared = await patch({ invoice: { registrationNumber: null } }, tenant.adminToken);
    expect(cleared.json().invoice).toMatchObject({ registrationNumber: null, issuerName: '窓口通販株式会社' });
  });

  it('refuses values out of range, naming the field, and changes nothing', async () => {
    const tenant = await makeTenant(app);
    const before = await getSettings(tenant);
    const cases: [unknown, string][] = [
      [{ tax: { priceMode: 'gross' } }, 'tax.priceMode'],
      [{ tax: { rounding: 'bankers' } }, 'tax.rounding'],
      [{ orders: { preparationDays: 31 } }, 'orders.preparationDays'],
      [{ orders: { preparationDays: 1.5 } }, 'orders.preparationDays'],
      [{ orders: { defaultCarrier: 'fedex' } }, 'orders.defaultCarrier'],
      [{ invoice: { registrationNumber: 'T123' } }, 'invoice.registrationNumber'],
      [{ invoice: { registrationNumber: '1234567890123' } }, 'invoice.registrationNumber'],
      [{ subscriptions: { leadDays: 61 } }, 'subscriptions.leadDays'],
      [{ subscriptions: { leadDays: -1 } }, 'subscriptions.leadDays'],
    ];
    for (const [body, path] of cases) {
      const errors = expectValidation(await patch(body, tenant.adminToken));
      expect(errors.map((e) => e.path)).toEqual([path]);
    }
    expect(await getSettings(tenant)).toEqual(before);
  });
});

describe('GET /calendar/holidays', () => {
  it('merges national holidays and the tenant closing days in the range, sorted, for any role', async () => {
    const tenant = await makeTenant(app);
    const set = await patch(
      {
        closingDays: [
          { date: '2027-01-04', note: '年始休業' },
          { date: '2026-12-29', note: '年末休業' },
          { date: '2026-11-02', note: '範囲外' },
          { date: '2027-01-15', note: '最終日' },
        ],
      },
      tenant.adminToken,
    );
    expect(set.statusCode).toBe(200);

    const operator = await tenant.token('operator');
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/calendar/holidays?from=2026-12-25&to=2027-01-15',
      headers: auth(operator),
    });
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { date: string; name: string; kind: string }[];
    expect(items).toEqual([
      { date: '2026-12-29', name: '年末休業', kind: 'closing' },
      { date: '2027-01-01', name: '元日', kind: 'national' },
      { date: '2027-01-04', name: '年始休業', kind: 'closing' },
      { date: '2027-01-11', name: '成人の日', kind: 'national' },
      { date: '2027-01-15', name: '最終日', kind: 'closing' },
    ]);

    // Another tenant sees the national holidays only.
    const other = await app.inject({
      method: 'GET',
      url: '/api/v1/calendar/holidays?from=2026-12-25&to=2027-01-15',
      headers: auth(t.adminToken),
    });
    expect((other.json().items as { kind: string }[]).every((i) => i.kind === 'national')).toBe(true);
  });

  it('needs a signed-in caller and valid dates', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/calendar/holidays' })).statusCode).toBe(401);
    const bad = await app.inject({
      method: 'GET',
      url: '/api/v1/calendar/holidays?from=2027-13-01',
      headers: auth(t.adminToken),
    });
    expect(expectValidation(bad).map((e) => e.path)).toEqual(['from']);
  });
});
