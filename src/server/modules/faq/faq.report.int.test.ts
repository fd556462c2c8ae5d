// The inquiry report: interactions per kind and FAQ uses per category, bucketed by Asia/Tokyo
// week (Monday first) and month — a contact at 00:30 on a Monday in Tokyo is still Sunday in UTC.
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.js';
import { auth, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';
import { makeInteraction } from '../cases/cases.test-util.js';

const clock = new ManualClock(new Date('2030-03-01T12:00:00+09:00'));
let app: TestApp;
let t: TestTenant;
let customerId: string;
const ids: Record<string, string> = {};

type Row = { periodStart: string; id: string | null; name: string; count: number };

beforeAll(async () => {
  app = await testApp({ clock });
  t = await makeTenant(app);
  // Interactions: Sunday 23:30 and Monday 00:30 in Tokyo (both Sunday in UTC); Jan 31 23:30 and Feb 1 00:30.
  const first = await makeInteraction(app, t.adminToken, { kind: '問い合わせ', at: '2030-01-06T23:30:00+09:00' });
  customerId = first.customerId;
  for (const [kind, at] of [
    ['クレーム', '2030-01-06T23:45:00+09:00'],
    ['問い合わせ', '2030-01-07T00:30:00+09:00'],
    ['問い合わせ', '2030-01-31T23:30:00+09:00'],
    ['注文', '2030-02-01T00:30:00+09:00'],
  ] as const) {
    await makeInteraction(app, t.adminToken, { kind, at, customerId });
  }
  // FAQ uses, counted at the clock's time.
  const cat = await app.inject({
    method: 'POST',
    url: '/api/v1/faq/categories',
    headers: auth(t.adminToken),
    payload: { name: 'ログイン' },
  });
  ids.category = cat.json().id;
  for (const [key, body] of [
    ['login', { title: 'ログインできない', categoryId: ids.category, published: true }],
    ['loose', { title: '分類なし', published: true }],
  ] as const) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/faq', headers: auth(t.adminToken), payload: body });
    ids[key] = res.json().id;
  }
  for (const [key, at] of [
    ['login', '2030-01-06T23:30:00+09:00'],
    ['login', '2030-01-07T00:30:00+09:00'],
    ['loose', '2030-01-07T00:40:00+09:00'],
    ['login', '2030-02-01T00:30:00+09:00'],
  ] as const) {
    clock.set(new Date(at));
    const res = await app.inject({ method: 'POST', url: `/api/v1/faq/${ids[key]}/used`, headers: auth(t.adminToken) });
    expect(res.statusCode, res.body).toBe(200);
  }
  clock.set(new Date('2030-03-01T12:00:00+09:00'));
});

async function report(query: string) {
  const res = await app.inject({
    method: 'GET',
    url: `/api/v1/reports/inquiries?${query}`,
    headers: auth(t.adminToken),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { kinds: Row[]; categories: Row[]; totals: { kinds: Row[]; categories: Row[] }; from: string };
}

const brief = (rows: Row[]) => rows.map((r) => `${r.periodStart} ${r.name} ${r.count}`);

describe('GET /reports/inquiries', () => {
  it('buckets by Tokyo week, Monday first', async () => {
    const r = await report('period=week&from=2029-12-31&to=2030-02-03');
    expect(brief(r.kinds)).toEqual([
      '2029-12-31 クレーム 1',
      '2029-12-31 問い合わせ 1',
      '2030-01-07 問い合わせ 1',
      '2030-01-28 問い合わせ 1',
      '2030-01-28 注文 1',
    ]);
    expect(brief(r.categories)).toEqual([
      '2029-12-31 ログイン 1',
      '2030-01-07 ログイン 1',
      '2030-01-07 未分類 1',
      '2030-01-28 ログイン 1',
    ]);
    expect(r.categories.find((c) => c.name === '未分類')?.id).toBeNull();
    expect(r.totals.kinds.map((k) => [k.name, k.count])).toEqual([
      ['問い合わせ', 3],
      ['クレーム', 1],
      ['注文', 1],
    ]);
    expect(r.totals.categories.map((k) => [k.name, k.count])).toEqual([
      ['ログイン', 3],
      ['未分類', 1],
    ]);
  });

  it('buckets by Tokyo month and keeps to the days asked, both inclusive', async () => {
    const r = await report('period=month&from=2030-01-07&to=2030-02-01');
    expect(brief(r.kinds)).toEqual(['2030-01-01 問い合わせ 2', '2030-02-01 注文 1']);
    expect(brief(r.categories)).toEqual(['2030-01-01 ログイン 1', '2030-01-01 未分類 1', '2030-02-01 ログイン 1']);
    const defaults = await report('period=week');
    expect(defaults.from).toBe('2029-12-08');
  });

  it('exports the report as CSV (Shift_JIS for Excel)', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/reports/inquiries/export?period=month&from=2030-01-01&to=2030-02-28&encoding=sjis',
      headers: auth(t.adminToken),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=Shift_JIS');
    expect(iconv.decode(res.rawPayload, 'cp932').split('\r\n')).toEqual([
      '期間,期間開始日,集計区分,名称,件数',
      '月,2030-01-01,対応区分,問い合わせ,3',
      '月,2030-01-01,対応区分,クレーム,1',
      '月,2030-02-01,対応区分,注文,1',
      '月,2030-01-01,FAQカテゴリ,ログイン,2',
      '月,2030-01-01,FAQカテゴリ,未分類,1',
      '月,2030-02-01,FAQカテゴリ,ログイン,1',
      '',
    ]);
  });

  it('refuses a range backwards or too long, and callers without the right', async () => {
    for (const q of ['from=2030-02-01&to=2030-01-01', 'from=2020-01-01&to=2030-01-01', 'period=day']) {
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/reports/inquiries?${q}`,
        headers: auth(t.adminToken),
      });
      expect(res.statusCode, q).toBe(400);
    }
    const operator = await t.token('operator');
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/reports/inquiries', headers: auth(operator) })).statusCode,
    ).toBe(403);
    const other = await makeTenant(app);
    const theirs = await app.inject({
      method: 'GET',
      url: '/api/v1/reports/inquiries?period=week&from=2029-12-31&to=2030-02-03',
      headers: auth(other.adminToken),
    });
    expect(theirs.json()).toMatchObject({ kinds: [], categories: [] });
  });
});
