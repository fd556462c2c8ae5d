// /api/v1/products against a real database: create (CONTRACTS.md), the full fields, sets and
// companions, search with Japanese folding, keyset pages, If-Match, roles, tenants.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossTenantKit, walkList } from '../../test/cross-tenant.js';
import { auth, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';

let app: TestApp;
let t: TestTenant;

beforeAll(async () => {
  app = await testApp();
  t = await makeTenant(app);
});

const post = (payload: unknown, token = t.adminToken) =>
  app.inject({ method: 'POST', url: '/api/v1/products', headers: auth(token), payload: payload as object });
const get = (url: string, token = t.adminToken) => app.inject({ method: 'GET', url, headers: auth(token) });
const code = () => `P${randomUUID().slice(0, 8)}`;

async function make(body: Record<string, unknown>, token = t.adminToken) {
  const res = await post({ code: code(), name: '商品', unitPrice: 1000, taxRate: 8, ...body }, token);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Record<string, unknown> & { id: string; code: string };
}

describe('POST /products', () => {
  it('creates with the contract body and answers 201 with the id and defaults', async () => {
    const res = await post({ code: 'AOJIRU-30', name: '国産青汁 30包', unitPrice: 3240, taxRate: 8 });
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json();
    expect(p).toMatchObject({
      id: expect.any(String),
      code: 'AOJIRU-30',
      name: '国産青汁 30包',
      kind: 'normal',
      taxRate: 8,
      unitPrice: 3240,
      firstPrice: null,
      unitCost: 0,
      stock: null,
      active: true,
      components: [],
      companions: [],
      version: 1,
    });
    expect(res.headers.etag).toBe('"1"');
    expect(res.headers.location).toBe(`/api/v1/products/${p.id}`);
    expect((await get(`/api/v1/products/${p.id}`)).json()).toEqual(p);
  });

  it('takes every product field', async () => {
    const cat = await app.inject({
      method: 'POST',
      url: '/api/v1/product-categories',
      headers: auth(t.adminToken),
      payload: { code: `C${randomUUID().slice(0, 6)}`, name: '健康食品' },
    });
    expect(cat.statusCode, cat.body).toBe(201);
    const p = await make({
      name: 'ブルーベリーサプリ 定期',
      nameKana: 'ブルーベリーサプリ テイキ',
      categoryId: cat.json().id,
      kind: 'subscription',
      taxRate: 8,
      unitPrice: 2980,
      firstPrice: 980,
      unitCost: 600,
      salesFrom: '2026-04-01',
      salesUntil: '2027-03-31',
      stock: 120,
      active: true,
      note: '初回限定価格あり',
    });
    expect(p).toMatchObject({
      categoryId: cat.json().id,
      kind: 'subscription',
      firstPrice: 980,
      unitCost: 600,
      salesFrom: '2026-04-01',
      salesUntil: '2027-03-31',
      stock: 120,
      note: '初回限定価格あり',
      nameKana: 'ブルーベリーサプリ テイキ',
    });
  });

  it('refuses a duplicate code (ignoring case) with 409 naming code', async () => {
    const first = await make({});
    const res = await post({ code: first.code.toLowerCase(), name: '重複', unitPrice: 1, taxRate: 10 });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.json().errors).toEqual([{ path: 'code', code: 'catalogue.duplicate', message: expect.any(String) }]);
  });

  it('validates the body and names each field', async () => {
    const res = await post({ code: 'bad code!', name: '', unitPrice: -1, taxRate: 5, kind: 'gift', extra: 1 });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('validation');
    const paths = (res.json().errors as { path: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(expect.arrayContaining(['code', 'name', 'unitPrice', 'taxRate', 'kind']));
    const period = await post({
      code: code(),
      name: 'x',
      unitPrice: 1,
      taxRate: 8,
      salesFrom: '2026-05-01',
      salesUntil: '2026-04-30',
    });
    expect(period.statusCode).toBe(400);
    expect(period.json().errors[0].path).toBe('salesUntil');
    const cat = await post({ code: code(), name: 'x', unitPrice: 1, taxRate: 8, categoryId: randomUUID() });
    expect(cat.statusCode).toBe(400);
    expect(cat.json().errors[0]).toMatchObject({ path: 'categoryId', message: '指定された商品分類がありません。' });
  });
});

describe('sets and companions', () => {
  it("keeps a set's contents and a product's companions, with codes and names", async () => {
    const a = await make({ name: '青汁' });
    const b = await make({ name: '乳酸菌' });
    const spoon = await make({ name: '計量スプーン', unitPrice: 0 });
    const set = await make({
      name: '健康セット',
      kind: 'set',
      components: [
        { productId: a.id, quantity: 2 },
        { productId: b.id, quantity: 1 },
      ],
      companions: [{ productId: spoon.id }],
    });
    expect(set.components).toEqual(
      [
        { productId: a.id, code: a.code, name: '青汁', quantity: 2 },
        { productId: b.id, code: b.code, name: '乳酸菌', quantity: 1 },
      ].sort((x, y) => x.code.toUpperCase().localeCompare(y.code.toUpperCase())),
    );
    expect(set.companions).toEqual([{ productId: spoon.id, code: spoon.code, name: '計量スプーン', quantity: 1 }]);

    // Components only on a set; never a set inside a set or itself; known products only.
    expect(
      (await post({ code: code(), name: 'x', unitPrice: 1, taxRate: 8, components: [{ productId: a.id }] })).json()
        .errors[0].path,
    ).toBe('components');
    const nested = await post({
      code: code(),
      name: 'x',
      unitPrice: 1,
      taxRate: 8,
      kind: 'set',
      components: [{ productId: set.id }],
    });
    expect(nested.statusCode).toBe(400);
    expect(nested.json().errors[0].path).toBe('components.0.productId');
    const self = await app.inject({
      method: 'PATCH',
      url: `/api/v1/products/${a.id}`,
      headers: auth(t.adminToken),
      payload: { companions: [{ productId: a.id }] },
    });
    expect(self.statusCode).toBe(400);
    const unknown = await post({
      code: code(),
      name: 'x',
      unitPrice: 1,
      taxRate: 8,
      kind: 'set',
      components: [{ productId: randomUUID() }],
    });
    expect(unknown.json().errors[0].path).toBe('components.0.productId');
    // A set with contents cannot stop being a set without dropping them.
    const unset = await app.inject({
      method: 'PATCH',
      url: `/api/v1/products/${set.id}`,
      headers: auth(t.adminToken),
      payload: { kind: 'normal' },
    });
    expect(unset.statusCode).toBe(400);
    // Replacing the list.
    const replaced = await app.inject({
      method: 'PATCH',
      url: `/api/v1/products/${set.id}`,
      headers: auth(t.adminToken),
      payload: { components: [{ productId: b.id, quantity: 3 }] },
    });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json().components).toEqual([{ productId: b.id, code: b.code, name: '乳酸菌', quantity: 3 }]);
    expect(replaced.json().companions).toHaveLength(1);
    // A component in use cannot be deleted.
    const del = await app.inject({ method: 'DELETE', url: `/api/v1/products/${b.id}`, headers: auth(t.adminToken) });
    expect(del.statusCode).toBe(409);
    expect(del.json().code).toBe('catalogue.in_use');
  });
});

describe('GET /products', () => {
  it('finds by code or name with full/half width, katakana/hiragana folded', async () => {
    const tenant = await makeTenant(app);
    const mk = (body: object) => post({ unitPrice: 1000, taxRate: 8, ...body }, tenant.adminToken);
    expect((await mk({ code: 'AOJ-001', name: 'ｱｵｼﾞﾙ 大麦若葉', nameKana: 'アオジル オオムギワカバ' })).statusCode).toBe(
      201,
    );
    expect((await mk({ code: 'SUP-002', name: 'ブルーベリー サプリ' })).statusCode).toBe(201);
    expect((await mk({ code: 'SUP-003', name: 'グルコサミン', active: false })).statusCode).toBe(201);
    const codes = async (q: string) =>
      ((await get(`/api/v1/products?${q}`, tenant.adminToken)).json().items as { code: string }[]).map((i) => i.code);
    expect(await codes(`q=${encodeURIComponent('あおじる')}`)).toEqual(['AOJ-001']);
    expect(await codes(`q=${encodeURIComponent('オオムギ')}`)).toEqual(['AOJ-001']);
    expect(await codes(`q=${encodeURIComponent('ぶるーべりー')}`)).toEqual(['SUP-002']);
    expect(await codes(`q=${encodeURIComponent('ｓｕｐ')}`)).toEqual(['SUP-002', 'SUP-003']);
    expect(await codes('q=sup&active=true')).toEqual(['SUP-002']);
    expect(await codes('q=100%25')).toEqual([]);
    expect(await codes('kind=normal')).toEqual(['AOJ-001', 'SUP-002', 'SUP-003']);
    expect(await codes('kind=set')).toEqual([]);
  });

  it('filters on sale today and by category, and pages by keyset', async () => {
    const tenant = await makeTenant(app);
    for (let i = 0; i < 7; i++) {
      const res = await post(
        {
          code: `K${i}`,
          name: `商品${i}`,
          unitPrice: 100,
          taxRate: 10,
          ...(i === 3 ? { salesUntil: '2000-01-01' } : {}),
        },
        tenant.adminToken,
      );
      expect(res.statusCode).toBe(201);
    }
    const pages = (await walkList(app, tenant.adminToken, '/api/v1/products', 3)) as { items: { code: string }[] }[];
    expect(pages).toHaveLength(3);
    expect(pages.flatMap((p) => p.items.map((i) => i.code))).toEqual(['K0', 'K1', 'K2', 'K3', 'K4', 'K5', 'K6']);
    const onSale = await get('/api/v1/products?onSale=true', tenant.adminToken);
    expect((onSale.json().items as { code: string }[]).map((i) => i.code)).not.toContain('K3');
    expect(onSale.json().items).toHaveLength(6);
    expect((await get('/api/v1/products?cursor=bm9wZQ', tenant.adminToken)).statusCode).toBe(400);
  });
});

describe('PATCH /products/:id', () => {
  it('changes fields, bumps the version, honours If-Match and keeps the search form current', async () => {
    const p = await make({ name: '旧名' });
    const res = await app.inject({
      method: 'PATCH',
      url: `/api/v1/products/${p.id}`,
      headers: { ...auth(t.adminToken), 'if-match': '"1"' },
      payload: { name: 'コラーゲン', unitPrice: 4980, stock: 10 },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ name: 'コラーゲン', unitPrice: 4980, stock: 10, version: 2 });
    expect(res.headers.etag).toBe('"2"');
    const stale = await app.inject({
      method: 'PATCH',
      url: `/api/v1/products/${p.id}`,
      headers: { ...auth(t.adminToken), 'if-match': '"1"' },
      payload: { name: '上書き' },
    });
    expect(stale.statusCode).toBe(412);
    const found = await get(`/api/v1/products?q=${encodeURIComponent('こらーげん')}`);
    expect((found.json().items as { id: string }[]).map((i) => i.id)).toEqual([p.id]);
    const audit = await get(`/api/v1/audit?objectType=product&objectId=${p.id}`);
    expect((audit.json().items as { action: string }[]).map((i) => i.action)).toEqual([
      'product.update',
      'product.create',
    ]);
  });
});

describe('roles and tenants', () => {
  it('lets the desk read, supervisors and admins write, and refuses the rest', async () => {
    const operator = await t.token('operator');
    const supervisor = await t.token('supervisor');
    const viewer = await t.token('client_viewer');
    const p = await make({});
    expect((await get('/api/v1/products', operator)).statusCode).toBe(200);
    expect((await get(`/api/v1/products/${p.id}`, operator)).statusCode).toBe(200);
    expect((await post({ code: code(), name: 'x', unitPrice: 1, taxRate: 8 }, operator)).statusCode).toBe(403);
    expect(
      (
        await app.inject({
          method: 'PATCH',
          url: `/api/v1/products/${p.id}`,
          headers: auth(operator),
          payload: { name: 'x' },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await app.inject({ method: 'DELETE', url: `/api/v1/products/${p.id}`, headers: auth(operator) })).statusCode,
    ).toBe(403);
    expect((await get('/api/v1/products', viewer)).statusCode).toBe(403);
    expect((await post({ code: code(), name: 'x', unitPrice: 1, taxRate: 8 }, supervisor)).statusCode).toBe(201);
    expect((await app.inject({ method: 'GET', url: '/api/v1/products' })).statusCode).toBe(401);
  });

  it("never shows or touches another tenant's products", async () => {
    const b = await makeTenant(app);
    await crossTenantKit(app, t, b).expectIsolated({
      create: async (token) => (await make({}, token)).id,
      read: (id) => `/api/v1/products/${id}`,
      list: '/api/v1/products',
      writes: (id) => [
        { method: 'PATCH', url: `/api/v1/products/${id}`, payload: { name: '乗っ取り' } },
        { method: 'DELETE', url: `/api/v1/products/${id}` },
      ],
    });
  });
});
