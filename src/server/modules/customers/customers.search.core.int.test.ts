import { beforeAll, describe, expect, it } from 'vitest';
import { walkList } from '../../test/cross-tenant.js';
import { auth, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';

type Customer = {
  id: string;
  code: string;
  name: string;
  nameKana: string | null;
  phones: { number: string; e164: string; national: string; kind: string }[];
  emails: string[];
  version: number;
  [k: string]: unknown;
};
type Res = Awaited<ReturnType<TestApp['inject']>>;

let app: TestApp;
let t: TestTenant;

beforeAll(async () => {
  app = await testApp();
  t = await makeTenant(app);
});

async function create(body: Record<string, unknown>, token = t.adminToken): Promise<Customer> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/customers', headers: auth(token), payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function search(q: string, token = t.adminToken): Promise<Customer[]> {
  const res = await app.inject({
    method: 'GET',
    url: `/api/v1/customers?q=${encodeURIComponent(q)}&limit=500`,
    headers: auth(token),
  });
  expect(res.statusCode, `${q}: ${res.body}`).toBe(200);
  return res.json().items;
}

const ids = (items: Customer[]) => items.map((c) => c.id);

function expectProblem(res: Res, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.json()).toMatchObject({ status, code });
  return res.json() as { detail: string; errors?: { path: string; code: string; message: string }[] };
}

describe('search', () => {
  let saga: Customer;
  let taro: Customer;
  let hayashi: Customer;
  let takahashi: Customer;
  let saito: Customer;

  beforeAll(async () => {
    saga = await create({
      name: '佐賀 太郎',
      nameKana: 'サガ タロウ',
      phones: [{ number: '0952-26-8311' }, { number: '090-8888-1357' }],
      emails: ['SagaTaro@SagaNet.jp'],
    });
    taro = await create({ name: '山田 太郎', nameKana: 'ﾔﾏﾀﾞ ﾀﾛｳ', phones: [{ number: '+81 3-5555-0101' }] });
    hayashi = await create({ name: '林', nameKana: 'ハヤシ' });
    takahashi = await create({ name: '髙橋 一郎', nameKana: 'タカハシ イチロウ' });
    saito = await create({ name: '齋藤　ユーコ', nameKana: 'サイトウ ユーコ' });
  });

  it.each([
    ['0952-26-8311'],
    ['０９５２－２６－８３１１'],
    ['0952 26 8311'],
    ['0952268311'],
    ['+81 952-26-8311'],
    ['81952268311'],
    ['952268311'],
  ])('finds a phone written as %s', async (q) => {
    expect(ids(await search(q))).toContain(saga.id);
  });

  it('finds by the trailing 4 or more digits, not by fewer', async () => {
    expect(ids(await search('8311'))).toContain(saga.id);
    expect(ids(await search('８３１１'))).toContain(saga.id);
    expect(ids(await search('1357'))).toContain(saga.id);
    expect(ids(await search('26-8311'))).toContain(saga.id);
    expect(ids(await search('0101'))).toContain(taro.id);
    expect(ids(await search('311'))).not.toContain(saga.id);
  });

  it.each([
    ['太郎', 'taro'],
    ['たろう', 'taro'],
    ['タロウ', 'taro'],
    ['ﾀﾛｳ', 'taro'],
    ['やまだ　たろう', 'taro'],
    ['山田太郎', 'taro'],
    ['林', 'hayashi'],
    ['はやし', 'hayashi'],
    ['高橋', 'takahashi'],
    ['髙橋', 'takahashi'],
    ['たかはし', 'takahashi'],
    ['斎藤', 'saito'],
    ['齊藤', 'saito'],
    ['ゆうこ', 'saito'],
    ['ユウコ', 'saito'],
    ['さいとうゆーこ', 'saito'],
  ])('finds the name %s', async (q, who) => {
    const want = { taro, hayashi, takahashi, saito }[who as 'taro'] as Customer;
    expect(ids(await search(q))).toContain(want.id);
  });

  it('two-character and one-character names find only what contains them', async () => {
    const found = ids(await search('太郎'));
    expect(found).toEqual(expect.arrayContaining([saga.id, taro.id]));
    expect(found).not.toContain(hayashi.id);
    const one = ids(await search('林'));
    expect(one).toContain(hayashi.id);
    expect(one).not.toContain(taro.id);
    // A substring across the name and its reading matches nothing.
    expect(ids(await search('一郎たか'))).not.toContain(takahashi.id);
    expect(await search('存在しない名前')).toEqual([]);
  });

  it('finds by code (with or without C) and by e-mail in any case', async () => {
    expect(ids(await search(saga.code))).toEqual([saga.id]);
    expect(ids(await search(saga.code.toLowerCase()))).toEqual([saga.id]);
    expect(ids(await search(String(Number(saga.code.slice(1)))))).toContain(saga.id);
    expect(ids(await search('sagataro@saganet.jp'))).toEqual([saga.id]);
    expect(ids(await search('SAGATARO@SAGANET.JP'))).toEqual([saga.id]);
  });

  it('pages by keyset in code order without repeats or gaps', async () => {
    const all = await walkList(app, t.adminToken, '/api/v1/customers', 3);
    const items = all.flatMap((p) => (p as { items: Customer[] }).items);
    const codes = items.map((c) => c.code);
    expect(codes).toEqual([...codes].sort());
    expect(new Set(codes).size).toBe(codes.length);
    const everything = await app.inject({
      method: 'GET',
      url: '/api/v1/customers?limit=500',
      headers: auth(t.adminToken),
    });
    expect(ids(everything.json().items)).toEqual(ids(items));
    // A forged cursor is a 400, not a database error.
    const forged = Buffer.from(JSON.stringify(['x'])).toString('base64url');
    expectProblem(
      await app.inject({ method: 'GET', url: `/api/v1/customers?cursor=${forged}`, headers: auth(t.adminToken) }),
      400,
      'validation',
    );
  });

  it('the screen-pop look-up finds exactly the number, in any format', async () => {
    for (const phone of ['０９５２－２６－８３１１', '+81952268311', '952268311']) {
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/customers/lookup?phone=${encodeURIComponent(phone)}`,
        headers: auth(t.adminToken),
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(ids(res.json().items), phone).toEqual([saga.id]);
    }
    const tail = await app.inject({
      method: 'GET',
      url: '/api/v1/customers/lookup?phone=8311',
      headers: auth(t.adminToken),
    });
    expect(tail.json()).toEqual({ items: [] });
    const none = await app.inject({
      method: 'GET',
      url: '/api/v1/customers/lookup?phone=03-9999-9999',
      headers: auth(t.adminToken),
    });
    expect(none.json()).toEqual({ items: [] });
    expectProblem(
      await app.inject({ method: 'GET', url: '/api/v1/customers/lookup', headers: auth(t.adminToken) }),
      400,
      'validation',
    );
  });

  it('a number shared by two customers pops both', async () => {
    const a = await create({ name: '共有 一', phones: [{ number: '06-6000-1111' }] });
    const b = await create({ name: '共有 二', phones: [{ number: '0660001111', kind: 'work' }] });
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/customers/lookup?phone=06-6000-1111',
      headers: auth(t.adminToken),
    });
    expect(ids(res.json().items)).toEqual([a.id, b.id]);
  });
});
