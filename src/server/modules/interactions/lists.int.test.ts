// The daily lists with a controlled clock: 本日の対応一覧 across the Tokyo midnight (by staff,
// summary, CSV), 長期未対応顧客 (days, the neglectDays setting, keyset pages, CSV in Shift_JIS),
// roles and tenant isolation.
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.js';
import { crossTenantKit } from '../../test/cross-tenant.js';
import { auth, dbOf, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';
import { notePurchase } from './contact-stats.js';
import {
  createCustomer,
  expectProblem,
  getJson,
  type Interaction,
  kindIds,
  postInteraction,
  type Res,
} from './interactions.test-util.js';
import { NEGLECTED_HEADER, TODAY_HEADER } from './lists.export.js';

const DAY = 86_400_000;

function csvLines(res: Res, encoding: 'sjis' | 'utf8bom'): string[] {
  expect(res.statusCode, res.body).toBe(200);
  const raw = res.rawPayload;
  let text: string;
  if (encoding === 'sjis') {
    expect(res.headers['content-type']).toBe('text/csv; charset=Shift_JIS');
    text = iconv.decode(raw, 'cp932');
  } else {
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    text = raw.subarray(3).toString('utf8');
  }
  expect(text.endsWith('\r\n')).toBe(true);
  return text.slice(0, -2).split('\r\n');
}

describe('本日の対応一覧', () => {
  // 23:58 on 10 March 2030 in Tokyo = 14:58 UTC: the Tokyo day ends two minutes later, the UTC day does not.
  const clock = new ManualClock(new Date('2030-03-10T14:58:00Z'));
  let app: TestApp;
  let t: TestTenant;
  let kinds: Record<string, string>;

  beforeAll(async () => {
    app = await testApp({ clock });
    t = await makeTenant(app);
    kinds = await kindIds(app, t.adminToken);
  });

  const today = (query = '', token = t.adminToken) =>
    getJson<{ date: string; items: Interaction[]; nextCursor: string | null }>(
      app,
      token,
      `/api/v1/interactions/today${query}`,
    );

  it('is the Tokyo day by the clock, by staff, and moves on at Tokyo midnight', async () => {
    const customerId = await createCustomer(app, t.adminToken, { name: '佐賀 太郎' });
    const koga = await t.user('operator', { name: '古賀 雅美' });
    const sato = await t.user('operator', { name: '佐藤 一郎' });
    const x = await postInteraction(app, t.adminToken, {
      customerId,
      kindId: kinds.inquiry,
      staffId: koga.userId,
      subject: '=1+2',
    });
    clock.advance(60_000);
    const y = await postInteraction(app, t.adminToken, {
      customerId,
      kindId: kinds.complaint,
      channel: 'mail',
      staffId: sato.userId,
      status: 'done',
    });

    const before = await today();
    expect(before.date).toBe('2030-03-10');
    expect(before.items.map((i) => i.id)).toEqual([x.id, y.id]);
    expect((await today(`?staffId=${koga.userId}`)).items.map((i) => i.id)).toEqual([x.id]);
    const page1 = await today('?limit=1');
    const page2 = await today(`?limit=1&cursor=${page1.nextCursor}`);
    expect([...page1.items, ...page2.items].map((i) => i.id)).toEqual([x.id, y.id]);
    expect(page2.nextCursor).toBeNull();
    const summary = await getJson<{ items: unknown[] }>(app, t.adminToken, '/api/v1/interactions/today/summary');
    expect(summary).toEqual({
      date: '2030-03-10',
      // By name in the database's collation (code points: 佐 U+4F50 before 古 U+53E4).
      items: [
        { staffId: sato.userId, staffName: '佐藤 一郎', count: 1, open: 0 },
        { staffId: koga.userId, staffName: '古賀 雅美', count: 1, open: 1 },
      ],
    });

    clock.advance(3 * 60_000); // 00:02 on 11 March in Tokyo, still 10 March in UTC
    const after = await today();
    expect(after).toEqual({ date: '2030-03-11', items: [], nextCursor: null });
    const z = await postInteraction(app, t.adminToken, { customerId, kindId: kinds.order, staffId: koga.userId });
    expect((await today()).items.map((i) => i.id)).toEqual([z.id]);
    expect((await today('?date=2030-03-10')).items.map((i) => i.id)).toEqual([x.id, y.id]);

    // The export: Shift_JIS, the header row, Tokyo times, labels, formula cells defused.
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/interactions/today/export?date=2030-03-10&encoding=sjis',
      headers: auth(t.adminToken),
    });
    expect(res.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent('対応一覧-20300310.csv')}`,
    );
    const lines = csvLines(res, 'sjis');
    expect(lines[0]).toBe(TODAY_HEADER.join(','));
    expect(lines.slice(1)).toEqual([
      `2030/03/10 23:58,${x.customerCode},佐賀 太郎,問い合わせ,電話(受信),古賀 雅美,'=1+2,商品の使い方の問い合わせ,対応中,,`,
      `2030/03/10 23:59,${x.customerCode},佐賀 太郎,クレーム,メール,佐藤 一郎,,商品の使い方の問い合わせ,完了,,`,
    ]);
    const mine = csvLines(
      await app.inject({
        method: 'GET',
        url: `/api/v1/interactions/today/export?staffId=${koga.userId}`,
        headers: auth(t.adminToken),
      }),
      'utf8bom',
    );
    expect(mine.slice(1).map((l) => l.split(',')[3])).toEqual(['注文']);
  });

  it('the export streams every row of a large day once, in time order', async () => {
    const fresh = await makeTenant(app);
    const customerId = await createCustomer(app, fresh.adminToken);
    const kind = (await kindIds(app, fresh.adminToken)).other;
    await dbOf(app).withTenant(fresh.tenantId, (tx) =>
      tx.query(
        `INSERT INTO interactions (tenant_id, customer_id, kind_id, channel, body, status, at)
         SELECT $1, $2, $3, 'mail', 'bulk ' || g, 'done', $4::timestamptz + g * interval '1 second'
           FROM generate_series(1, 2100) AS g`,
        [fresh.tenantId, customerId, kind, '2030-03-11T00:00:00+09:00'],
      ),
    );
    const lines = csvLines(
      await app.inject({
        method: 'GET',
        url: '/api/v1/interactions/today/export?date=2030-03-11',
        headers: auth(fresh.adminToken),
      }),
      'utf8bom',
    );
    const bodies = lines.slice(1).map((l) => l.split(',')[7]);
    expect(bodies).toEqual(Array.from({ length: 2100 }, (_, i) => `bulk ${i + 1}`));
  });

  it('roles: the desk reads the list, admins and supervisors export it, client_viewer neither; exports audited', async () => {
    const operator = await t.token('operator');
    await today('', operator);
    const exportAs = (token: string) =>
      app.inject({ method: 'GET', url: '/api/v1/interactions/today/export', headers: auth(token) });
    expectProblem(await exportAs(operator), 403, 'forbidden');
    expect((await exportAs(await t.token('supervisor'))).statusCode).toBe(200);
    const viewer = await t.token('client_viewer');
    for (const url of ['/api/v1/interactions/today', '/api/v1/interactions/today/summary']) {
      expectProblem(await app.inject({ method: 'GET', url, headers: auth(viewer) }), 403, 'forbidden');
    }
    const { items } = await getJson<{ items: { action: string }[] }>(
      app,
      t.adminToken,
      '/api/v1/audit?objectType=interaction&limit=500',
    );
    expect(items.filter((i) => i.action === 'interaction.export_day').length).toBeGreaterThanOrEqual(2);
  });

  it("another tenant's interactions never appear in the day's list", async () => {
    const customers = new Map<string, string>();
    await crossTenantKit(app, t, await makeTenant(app)).expectIsolated({
      create: async (token) => {
        const cid = customers.get(token) ?? (await createCustomer(app, token));
        customers.set(token, cid);
        return (await postInteraction(app, token, { customerId: cid, kindId: (await kindIds(app, token)).inquiry })).id;
      },
      read: (id) => `/api/v1/interactions/${id}`,
      list: '/api/v1/interactions/today',
    });
  });
});

describe('長期未対応顧客', () => {
  // 100 days after the customers are registered (by the database's clock).
  const clock = new ManualClock(new Date(Date.now() + 100 * DAY));
  const ago = (days: number) => new Date(clock.now().getTime() - days * DAY).toISOString();
  let app: TestApp;
  let t: TestTenant;
  const ids: Record<string, string> = {};

  type Neglected = {
    customerId: string;
    days: number;
    lastContactLabel: string | null;
    lastContactType: string | null;
  };
  const neglected = (query = '', token = t.adminToken) =>
    getJson<{ days: number; items: Neglected[]; nextCursor: string | null }>(
      app,
      token,
      `/api/v1/customers/neglected${query}`,
    );
  const idsOf = (items: Neglected[]) => items.map((c) => Object.keys(ids).find((k) => ids[k] === c.customerId));

  beforeAll(async () => {
    app = await testApp({ clock });
    t = await makeTenant(app);
    const kinds = await kindIds(app, t.adminToken);
    for (const name of ['A', 'B', 'C', 'D', 'E'])
      ids[name] = await createCustomer(app, t.adminToken, { name: `顧客${name}` });
    // A: nothing since its registration. B: a call today. C: a catalogue 40 days ago. D: a purchase
    // 10 days ago. E: a complaint 31 days ago, then a DM 5 days ago.
    await postInteraction(app, t.adminToken, { customerId: ids.B, kindId: kinds.inquiry });
    await app.inject({
      method: 'POST',
      url: `/api/v1/customers/${ids.C}/actions`,
      headers: auth(t.adminToken),
      payload: { kind: 'catalogue', at: ago(40) },
    });
    await dbOf(app).withTenant(t.tenantId, (tx) => notePurchase(tx, ids.D as string, new Date(ago(10))));
    await postInteraction(app, t.adminToken, {
      customerId: ids.E,
      kindId: kinds.complaint,
      channel: 'mail',
      at: ago(31),
    });
    await app.inject({
      method: 'POST',
      url: `/api/v1/customers/${ids.E}/actions`,
      headers: auth(t.adminToken),
      payload: { kind: 'dm', at: ago(5) },
    });
  });

  it('lists customers quiet for N Tokyo days, longest-quiet first, with their last contact', async () => {
    const thirty = await neglected('?days=30');
    expect(thirty.days).toBe(30);
    expect(idsOf(thirty.items)).toEqual(['A', 'C']);
    const [a, c] = thirty.items;
    expect(a).toMatchObject({ lastContactType: null, lastContactLabel: null });
    expect(a?.days).toBeGreaterThanOrEqual(99);
    expect(a?.days).toBeLessThanOrEqual(100);
    expect(c).toMatchObject({ days: 40, lastContactType: 'action', lastContactLabel: 'カタログ' });
    const five = await neglected('?days=5');
    expect(idsOf(five.items)).toEqual(['A', 'C', 'D', 'E']);
    expect(five.items.slice(2)).toEqual([
      expect.objectContaining({ days: 10, lastContactType: 'purchase', lastContactLabel: '受注' }),
      expect.objectContaining({ days: 5, lastContactType: 'action', lastContactLabel: 'DM' }),
    ]);
    expect(idsOf((await neglected('?days=6')).items)).toEqual(['A', 'C', 'D']);
    const seen: Neglected[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Neglected[]; nextCursor: string | null } = await neglected(
        `?days=5&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(idsOf(seen)).toEqual(['A', 'C', 'D', 'E']);
  });

  it('N defaults to the neglectDays setting (30), which only an admin changes', async () => {
    expect(await getJson(app, await t.token('operator'), '/api/v1/interactions/settings')).toEqual({ neglectDays: 30 });
    expect(idsOf((await neglected()).items)).toEqual(['A', 'C']);
    const put = (token: string, payload: object) =>
      app.inject({ method: 'PUT', url: '/api/v1/interactions/settings', headers: auth(token), payload });
    expectProblem(await put(await t.token('supervisor'), { neglectDays: 45 }), 403, 'forbidden');
    expectProblem(await put(t.adminToken, { neglectDays: 0 }), 400, 'validation');
    expectProblem(await put(t.adminToken, { neglectDays: 10, other: 1 }), 400, 'validation');
    const ok = await put(t.adminToken, { neglectDays: 45 });
    expect(ok.json()).toEqual({ neglectDays: 45 });
    const list = await neglected();
    expect(list.days).toBe(45);
    expect(idsOf(list.items)).toEqual(['A']);
    await put(t.adminToken, { neglectDays: 30 });
  });

  it('exports in Shift_JIS for admins and supervisors; operators read the list only', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/customers/neglected/export?days=30&encoding=sjis',
      headers: auth(await t.token('supervisor')),
    });
    const lines = csvLines(res, 'sjis');
    expect(lines[0]).toBe(NEGLECTED_HEADER.join(','));
    expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual(['顧客A', '顧客C']);
    expect(lines[2]?.split(',').slice(11, 13)).toEqual(['カタログ', '40']);
    const operator = await t.token('operator');
    await neglected('', operator);
    const denied = await app.inject({
      method: 'GET',
      url: '/api/v1/customers/neglected/export',
      headers: auth(operator),
    });
    expectProblem(denied, 403, 'forbidden');
    const viewer = await t.token('client_viewer');
    expectProblem(
      await app.inject({ method: 'GET', url: '/api/v1/customers/neglected', headers: auth(viewer) }),
      403,
      'forbidden',
    );
  });

  it('a CSV import of many customers gives each its row; the export streams them all once', async () => {
    const fresh = await makeTenant(app);
    const csv = `氏名\r\n${Array.from({ length: 1500 }, (_, i) => `取込 ${String(i).padStart(4, '0')}`).join('\r\n')}\r\n`;
    const imported = await app.inject({
      method: 'POST',
      url: '/api/v1/customers/import',
      headers: { ...auth(fresh.adminToken), 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(imported.statusCode, imported.body).toBe(201);
    const lines = csvLines(
      await app.inject({ method: 'GET', url: '/api/v1/customers/neglected/export', headers: auth(fresh.adminToken) }),
      'utf8bom',
    );
    const names = lines.slice(1).map((l) => l.split(',')[1]);
    expect(names).toHaveLength(1500);
    expect(new Set(names).size).toBe(1500);
  });

  it("another tenant's customers never appear in the list", async () => {
    await crossTenantKit(app, t, await makeTenant(app)).expectIsolated({
      create: (token) => createCustomer(app, token),
      read: (id) => `/api/v1/customers/${id}`,
      list: '/api/v1/customers/neglected?days=1',
    });
  });
});
