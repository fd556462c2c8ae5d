// /api/v1/search (the command palette) against a real database: what each role may find, and
// the query taken literally.
import { beforeAll, describe, expect, it } from 'vitest';
import { auth, makeTenant, type TestApp, type TestTenant, type TestUser, testApp } from '../../test/harness.js';

type Item = { kind: string; id: string; label: string; sub: string; href: string };

let app: TestApp;
let t: TestTenant;
let hanako: TestUser;
let percent: TestUser;

beforeAll(async () => {
  app = await testApp();
  t = await makeTenant(app);
  hanako = await t.user('operator', { name: '検索 花子' });
  await t.user('supervisor', { name: '検索 太郎' });
  percent = await t.user('operator', { name: '達成率 100%' });
  await t.user('operator', { name: '達成率 1000件' });
});

async function search(q: string, token = t.adminToken): Promise<Item[]> {
  const res = await app.inject({
    method: 'GET',
    url: `/api/v1/search?q=${encodeURIComponent(q)}`,
    headers: auth(token),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
}

const userLabels = (items: Item[]) =>
  items
    .filter((i) => i.kind === 'user')
    .map((i) => i.label)
    .sort();

describe('GET /search', () => {
  it('an admin finds users by a substring of the name, with a link to them', async () => {
    expect(userLabels(await search('検索'))).toEqual(['検索 太郎', '検索 花子']);
    const items = await search('花子');
    expect(items).toEqual([
      {
        kind: 'user',
        id: hanako.userId,
        label: '検索 花子',
        sub: hanako.email,
        href: `/admin/users?focus=${hanako.userId}`,
      },
    ]);
    // By e-mail too, case-insensitively.
    expect((await search(hanako.email.toUpperCase())).map((i) => i.id)).toEqual([hanako.userId]);
    expect(await search('該当なし')).toEqual([]);
  });

  it('an operator or supervisor gets no user items', async () => {
    for (const role of ['operator', 'supervisor'] as const) {
      const token = await t.token(role);
      const items = await search('検索', token);
      expect(
        items.filter((i) => i.kind === 'user'),
        role,
      ).toEqual([]);
    }
  });

  it('treats %, _ and \\ in q literally', async () => {
    expect((await search('100%')).map((i) => i.id)).toEqual([percent.userId]);
    expect(userLabels(await search('%'))).toEqual(['達成率 100%']);
    expect(await search('達成率_')).toEqual([]);
    expect(await search('\\')).toEqual([]);
    expect(userLabels(await search('達成率'))).toEqual(['達成率 100%', '達成率 1000件']);
  });

  it("never shows another tenant's users", async () => {
    const other = await makeTenant(app);
    expect(await search('検索', other.adminToken)).toEqual([]);
  });

  it('needs a query and a caller', async () => {
    const empty = await app.inject({ method: 'GET', url: '/api/v1/search?q=%20%20', headers: auth(t.adminToken) });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors[0].path).toBe('q');
    expect((await app.inject({ method: 'GET', url: '/api/v1/search?q=x' })).statusCode).toBe(401);
  });
});

describe('customers in the command palette', () => {
  it('finds a customer by kana for the desk, not for a client viewer', async () => {
    const app = await testApp();
    const t = await makeTenant(app);
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: auth(t.adminToken),
      payload: { name: '窓口 花子', nameKana: 'マドグチ ハナコ', phones: [{ number: '090-5555-0101' }] },
    });
    expect(created.statusCode).toBe(201);
    const operator = await t.token('operator');
    const res = await app.inject({
      method: 'GET',
      url: `/api/v1/search?q=${encodeURIComponent('まどぐち')}`,
      headers: auth(operator),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toContainEqual(
      expect.objectContaining({
        kind: 'customer',
        id: created.json().id,
        label: '窓口 花子',
        href: `/customers/${created.json().id}`,
      }),
    );
    const viewer = await t.token('client_viewer');
    const none = await app.inject({ method: 'GET', url: '/api/v1/search?q=%E7%AA%93%E5%8F%A3', headers: auth(viewer) });
    expect(none.json().items.filter((i: { kind: string }) => i.kind === 'customer')).toEqual([]);
  });
});
