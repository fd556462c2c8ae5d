// /api/v1/customers on both databases: create, read with ETag, patch with If-Match, field
// checks, customer numbers, roles, audit, and tenant isolation (search: customers.search.core.int.test.ts).
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossTenantKit } from '../../test/cross-tenant.js';
import { auth, dbOf, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';

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

describe('create and read', () => {
  it('POST → 201 with id, code, phones with E.164, defaults; GET answers the same with an ETag', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: auth(t.adminToken),
      payload: {
        name: '窓口 花子',
        nameKana: 'マドグチ ハナコ',
        phones: [{ number: '090-1234-5678', kind: 'mobile' }, { number: '03 1234 5678' }],
        emails: ['hanako@example.jp'],
        postalCode: '１００－０００１',
        prefecture: '東京',
        city: '千代田区',
        address1: '千代田1-1',
        birthDate: '1980-04-01',
        gender: 'female',
        dmOptIn: true,
        tags: ['VIP'],
        alert: '耳が遠い方なので大きい声でお願いします',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json() as Customer;
    expect(c).toMatchObject({
      name: '窓口 花子',
      nameKana: 'マドグチ ハナコ',
      code: expect.stringMatching(/^C\d{6}$/),
      phones: [
        { number: '090-1234-5678', e164: '+819012345678', national: '09012345678', kind: 'mobile' },
        { number: '03 1234 5678', e164: '+81312345678', national: '0312345678', kind: 'home' },
      ],
      emails: ['hanako@example.jp'],
      postalCode: '100-0001',
      prefecture: '東京都',
      birthDate: '1980-04-01',
      gender: 'female',
      dmOptIn: true,
      mailOptIn: false,
      tags: ['VIP'],
      alert: '耳が遠い方なので大きい声でお願いします',
      company: null,
      version: 1,
    });
    expect(res.headers.etag).toBe('"1"');
    expect(res.headers.location).toBe(`/api/v1/customers/${c.id}`);

    const read = await app.inject({ method: 'GET', url: `/api/v1/customers/${c.id}`, headers: auth(t.adminToken) });
    expect(read.statusCode).toBe(200);
    expect(read.headers.etag).toBe('"1"');
    expect(read.json()).toEqual(c);
  });

  it('codes are given in order and never repeat, also under concurrent creates', async () => {
    const made = await Promise.all(Array.from({ length: 8 }, (_, i) => create({ name: `番号 ${i}` })));
    const seqs = made.map((c) => Number(c.code.slice(1))).sort((a, b) => a - b);
    expect(new Set(seqs).size).toBe(8);
    expect((seqs[7] ?? 0) - (seqs[0] ?? 0)).toBe(7);
  });

  it('refuses bad input naming the field: phones.0.number, postal code, prefecture, e-mail, unknown fields', async () => {
    const post = (payload: unknown) =>
      app.inject({ method: 'POST', url: '/api/v1/customers', headers: auth(t.adminToken), payload: payload as object });
    const phone = expectProblem(await post({ name: '山田', phones: [{ number: '03-1234' }] }), 400, 'validation');
    expect(phone.errors).toEqual([
      { path: 'phones.0.number', code: 'invalid_phone', message: '電話番号として正しくありません。' },
    ]);
    const second = expectProblem(
      await post({ name: '山田', phones: [{ number: '0312345678' }, { number: 'abc' }] }),
      400,
      'validation',
    );
    expect(second.errors?.map((e) => e.path)).toEqual(['phones.1.number']);
    const many = expectProblem(
      await post({ name: '山田', postalCode: '12-34', prefecture: '東京市', birthDate: '2999-01-01' }),
      400,
      'validation',
    );
    expect(many.errors?.map((e) => e.path).sort()).toEqual(['birthDate', 'postalCode', 'prefecture']);
    expect(expectProblem(await post({ name: '' }), 400, 'validation').errors?.[0]?.path).toBe('name');
    expect(expectProblem(await post({ name: '山田', emails: ['nope'] }), 400, 'validation').errors?.[0]?.path).toBe(
      'emails.0',
    );
    expect(expectProblem(await post({ name: '山田', nmae: 'typo' }), 400, 'validation').errors?.[0]?.code).toBe(
      'unrecognized_keys',
    );
    expect(
      expectProblem(await post({ name: '山田', staffId: randomUUID() }), 400, 'validation').errors?.[0]?.path,
    ).toBe('staffId');
    expect(expectProblem(await post({ name: '山田', gender: 'x' }), 400, 'validation').errors?.[0]?.path).toBe(
      'gender',
    );
  });

  it('a staff member of the tenant can be in charge', async () => {
    const staff = await t.user('operator');
    const c = await create({ name: '担当付き', staffId: staff.userId });
    expect(c.staffId).toBe(staff.userId);
  });
});

describe('patch with If-Match', () => {
  it('bumps the version; a stale If-Match → 412 and nothing changes; * and no If-Match are accepted', async () => {
    const c = await create({ name: '更新 太郎', phones: [{ number: '0311112222' }] });
    const url = `/api/v1/customers/${c.id}`;
    const ok = await app.inject({
      method: 'PATCH',
      url,
      headers: { ...auth(t.adminToken), 'if-match': '"1"' },
      payload: { note: 'メモ', city: '' },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.headers.etag).toBe('"2"');
    expect(ok.json()).toMatchObject({ note: 'メモ', city: null, version: 2, name: '更新 太郎' });

    const stale = await app.inject({
      method: 'PATCH',
      url,
      headers: { ...auth(t.adminToken), 'if-match': '"1"' },
      payload: { note: 'x' },
    });
    expectProblem(stale, 412, 'precondition_failed');
    expectProblem(
      await app.inject({
        method: 'PATCH',
        url,
        headers: { ...auth(t.adminToken), 'if-match': '"stale"' },
        payload: { note: 'x' },
      }),
      412,
      'precondition_failed',
    );
    expect((await app.inject({ method: 'GET', url, headers: auth(t.adminToken) })).json()).toMatchObject({
      note: 'メモ',
      version: 2,
    });

    const weak = await app.inject({
      method: 'PATCH',
      url,
      headers: { ...auth(t.adminToken), 'if-match': 'W/"2"' },
      payload: { name: '更新 次郎' },
    });
    expect(weak.statusCode, weak.body).toBe(200);
    const star = await app.inject({
      method: 'PATCH',
      url,
      headers: { ...auth(t.adminToken), 'if-match': '*' },
      payload: { phones: [{ number: '090-9999-0000' }] },
    });
    expect(star.json()).toMatchObject({ version: 4, phones: [{ e164: '+819099990000', kind: 'mobile' }] });
    const free = await app.inject({
      method: 'PATCH',
      url,
      headers: auth(t.adminToken),
      payload: { nameKana: 'コウシン ジロウ' },
    });
    expect(free.json()).toMatchObject({ version: 5, nameKana: 'コウシン ジロウ' });

    // The search forms follow: the new name and phone are found, the old ones not.
    expect(ids(await search('次郎'))).toContain(c.id);
    expect(ids(await search('こうしん'))).toContain(c.id);
    expect(ids(await search('太郎'))).not.toContain(c.id);
    expect(ids(await search('0311112222'))).not.toContain(c.id);
    expect(ids(await search('09099990000'))).toContain(c.id);
  });

  it('a bad patch → 400 before anything else; a missing id → 404', async () => {
    const c = await create({ name: '検証' });
    const bad = await app.inject({
      method: 'PATCH',
      url: `/api/v1/customers/${c.id}`,
      headers: auth(t.adminToken),
      payload: { name: null },
    });
    expectProblem(bad, 400, 'validation');
    const missing = await app.inject({
      method: 'PATCH',
      url: `/api/v1/customers/${randomUUID()}`,
      headers: auth(t.adminToken),
      payload: { note: 'x' },
    });
    expectProblem(missing, 404, 'not_found');
  });
});

describe('roles and audit', () => {
  it('operators work with customers; client_viewer and other roles get 403', async () => {
    const operator = await t.token('operator');
    const c = await create({ name: 'オペ 作成' }, operator);
    expect(
      (await app.inject({ method: 'GET', url: `/api/v1/customers/${c.id}`, headers: auth(operator) })).statusCode,
    ).toBe(200);
    for (const role of ['client_viewer', 'technician', 'appointer'] as const) {
      const token = await t.token(role);
      for (const req of [
        { method: 'GET' as const, url: '/api/v1/customers' },
        { method: 'GET' as const, url: `/api/v1/customers/${c.id}` },
        { method: 'GET' as const, url: '/api/v1/customers/lookup?phone=0312345678' },
        { method: 'POST' as const, url: '/api/v1/customers', payload: { name: 'x' } },
        { method: 'PATCH' as const, url: `/api/v1/customers/${c.id}`, payload: { name: 'x' } },
      ]) {
        expectProblem(await app.inject({ ...req, headers: auth(token) }), 403, 'forbidden');
      }
    }
    // Bulk import and export are for admins and supervisors.
    expectProblem(
      await app.inject({ method: 'GET', url: '/api/v1/customers/export', headers: auth(operator) }),
      403,
      'forbidden',
    );
    expectProblem(
      await app.inject({
        method: 'POST',
        url: '/api/v1/customers/import',
        headers: { ...auth(operator), 'content-type': 'text/csv' },
        payload: 'name\nx\n',
      }),
      403,
      'forbidden',
    );
  });

  it('every write leaves an audit row with the customer id and no personal data', async () => {
    const c = await create({ name: '監査 対象', phones: [{ number: '0312340000' }] });
    await app.inject({
      method: 'PATCH',
      url: `/api/v1/customers/${c.id}`,
      headers: auth(t.adminToken),
      payload: { note: '秘密のメモ' },
    });
    const rows = await dbOf(app).withTenant(t.tenantId, (tx) =>
      tx.query<{ action: string; detail: unknown }>(
        `SELECT action, detail FROM audit_log WHERE tenant_id = $1 AND object_type = 'customer' AND object_id = $2 ORDER BY id`,
        [t.tenantId, c.id],
      ),
    );
    expect(rows.map((r) => r.action)).toEqual(['customer.create', 'customer.update']);
    expect(rows[1]?.detail).toEqual({ fields: ['note'] });
    expect(JSON.stringify(rows)).not.toContain('秘密');
  });
});

describe('tenant isolation', () => {
  it("another tenant's customer is 404 and never in its lists, searches or look-ups", async () => {
    const a = await makeTenant(app);
    const b = await makeTenant(app);
    const kit = crossTenantKit(app, a, b);
    let n = 0;
    await kit.expectIsolated({
      create: async (token) => (await create({ name: `隔離 ${++n}`, phones: [{ number: '03-7777-0000' }] }, token)).id,
      read: (id) => `/api/v1/customers/${id}`,
      list: '/api/v1/customers',
      writes: (id) => [
        { method: 'PATCH', url: `/api/v1/customers/${id}`, payload: { name: '乗っ取り' } },
        { method: 'GET', url: `/api/v1/customers/${id}/addresses` },
        { method: 'POST', url: `/api/v1/customers/${id}/addresses`, payload: { name: '送付先' } },
      ],
    });
    for (const q of ['03-7777-0000', '7777-0000', '隔離', 'かくり', 'C000001']) {
      const bFound = await search(q, b.adminToken);
      const aFound = await search(q, a.adminToken);
      expect(bFound.length, q).toBeLessThanOrEqual(1);
      expect(
        ids(bFound).some((id) => ids(aFound).includes(id)),
        q,
      ).toBe(false);
    }
    const look = await app.inject({
      method: 'GET',
      url: '/api/v1/customers/lookup?phone=0377770000',
      headers: auth(b.adminToken),
    });
    expect(look.json().items).toHaveLength(1);
  });
});
