// Postal codes: 503 while the data set is not loaded, then Japan Post's towns for any way of
// writing a code; the load is idempotent and replaces an older version of the data.
import { beforeAll, describe, expect, it } from 'vitest';
import { auth, dbOf, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';
import { ensurePostalCodes, postalSource } from './postal.loader.js';

let app: TestApp;
let t: TestTenant;

beforeAll(async () => {
  app = await testApp();
  t = await makeTenant(app);
});

const get = (code: string, token = t.adminToken) =>
  app.inject({ method: 'GET', url: `/api/v1/postal/${encodeURIComponent(code)}`, headers: auth(token) });

describe('postal codes', () => {
  it('answers 503 with Retry-After until loaded, then the towns of a code in any format', async () => {
    const before = await get('100-0001');
    expect(before.statusCode, before.body).toBe(503);
    expect(before.json()).toMatchObject({ code: 'postal.loading' });
    expect(before.headers['retry-after']).toBe('10');

    const started = Date.now();
    // The 503 started the load in the background; this joins it (or finds it done).
    const done = await ensurePostalCodes(dbOf(app));
    const [row] = await dbOf(app).owner.query<{ n: number; records: number; source: string }>(
      'SELECT (SELECT count(*)::int FROM postal_codes) AS n, records, source FROM postal_code_source',
    );
    expect(row?.n).toBeGreaterThan(140_000);
    expect(row?.records).toBe(row?.n);
    expect(row?.source).toBe(await postalSource());
    if (done) expect(done.loaded).toBe(row?.n);
    console.log(`postal codes: ${row?.n} loaded, ${Date.now() - started} ms after the first request`);

    for (const code of ['100-0001', '1000001', '１００－０００１', '〒100-0001']) {
      const res = await get(code);
      expect(res.statusCode, code).toBe(200);
      expect(res.json().items, code).toEqual([
        expect.objectContaining({
          postalCode: '100-0001',
          prefecture: '東京都',
          city: '千代田区',
          town: '千代田',
          townKana: 'チヨダ',
        }),
      ]);
    }
    const office = (await get('0018501')).json().items[0];
    expect(office).toMatchObject({
      prefecture: '北海道',
      city: '札幌市北区',
      office: expect.stringContaining('札幌創成高等学校'),
    });
    expect((await get('0000000')).json()).toEqual({ items: [] });
    const bad = await get('12-34');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([
      { path: 'code', code: 'validation', message: '郵便番号は7桁の数字で入力してください。' },
    ]);
    // Any signed-in role may look codes up.
    expect((await get('1000001', await t.token('client_viewer'))).statusCode).toBe(200);
  });

  it('loading again does nothing; another version of the data is replaced', async () => {
    expect(await ensurePostalCodes(dbOf(app))).toBeNull();
    await dbOf(app).owner.query(`UPDATE postal_code_source SET source = 'jquery-jpostal-ja@0.0.1'`);
    await dbOf(app).owner.query(
      `INSERT INTO postal_codes (code, ordinal, prefecture, city, town) VALUES ('9999999', 0, '架空県', '架空市', '')`,
    );
    const again = await ensurePostalCodes(dbOf(app));
    expect(again?.source).toBe(await postalSource());
    const [row] = await dbOf(app).owner.query<{ fake: number }>(
      `SELECT count(*)::int AS fake FROM postal_codes WHERE code = '9999999'`,
    );
    expect(row?.fake).toBe(0);
  });
});
