// /api/v1/tokens against a real database: the secret is shown once and stored only as a hash,
// a token acts with its role at once, and revocation takes effect at once.
import { createHash, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { walkList } from '../../test/cross-tenant.js';
import { auth, dbOf, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';

type Res = Awaited<ReturnType<TestApp['inject']>>;
type Token = {
  id: string;
  name: string;
  role: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdBy: string | null;
};

let app: TestApp;
let t: TestTenant;

beforeAll(async () => {
  app = await testApp();
  t = await makeTenant(app);
});

function expectProblem(res: Res, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.json()).toMatchObject({ status, code });
}

async function create(name: string, role: string, token = t.adminToken): Promise<Token & { token: string }> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/tokens',
    headers: auth(token),
    payload: { name, role },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function list(token = t.adminToken): Promise<Token[]> {
  const pages = (await walkList(app, token, '/api/v1/tokens')) as { items: Token[] }[];
  return pages.flatMap((p) => p.items);
}

const find = async (id: string) => (await list()).find((x) => x.id === id);

function revoke(id: string, token = t.adminToken) {
  return app.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: auth(token) });
}

/** The tenant's api_tokens rows as the owner sees them (RLS: app.tenant_id set for the owner too). */
async function tokenRows(tenantId: string) {
  return dbOf(app).owner.transaction(async (tx) => {
    await tx.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
    return tx.query<Record<string, unknown>>('SELECT * FROM api_tokens WHERE tenant_id = $1', [tenantId]);
  });
}

describe('POST /tokens', () => {
  it('shows the secret once; the list has the prefix and never the secret', async () => {
    const created = await create('夜間バッチ', 'operator');
    expect(created).toMatchObject({
      name: '夜間バッチ',
      role: 'operator',
      lastUsedAt: null,
      revokedAt: null,
      createdBy: null,
    });
    expect(created.token).toMatch(/^mdg_[\w-]{40,}$/);
    expect(created.prefix).toBe(created.token.slice(0, 8));

    const res = await app.inject({ method: 'GET', url: '/api/v1/tokens', headers: auth(t.adminToken) });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain(created.token);
    expect(res.body).not.toContain(created.token.slice(8));
    const listed = (res.json().items as Token[]).find((x) => x.id === created.id);
    expect(listed).toEqual({
      id: created.id,
      name: '夜間バッチ',
      role: 'operator',
      prefix: created.prefix,
      createdAt: created.createdAt,
      lastUsedAt: null,
      revokedAt: null,
      createdBy: null,
    });
    expect(listed).not.toHaveProperty('token');
  });

  it('records the signed-in admin who created it', async () => {
    const admin = await t.user('admin');
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: admin.email, password: admin.password },
    });
    const cookie = login.cookies.find((c) => c.name.endsWith('madoguchi_session'));
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { cookie: `${cookie?.name}=${cookie?.value}`, 'x-csrf-token': login.json().csrfToken },
      payload: { name: 'by-user', role: 'supervisor' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().createdBy).toBe(admin.userId);
    expect((await find(res.json().id))?.createdBy).toBe(admin.userId);
  });

  it('refuses a bad role or an empty name, and non-admins', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: auth(t.adminToken),
      payload: { name: ' ', role: 'root' },
    });
    expectProblem(bad, 400, 'validation');
    expect((bad.json().errors as { path: string }[]).map((e) => e.path).sort()).toEqual(['name', 'role']);
    const supervisor = await t.token('supervisor');
    for (const req of [
      { method: 'GET', url: '/api/v1/tokens' },
      { method: 'POST', url: '/api/v1/tokens', payload: { name: 'escalate', role: 'admin' } },
      { method: 'DELETE', url: `/api/v1/tokens/${randomUUID()}` },
    ] as const) {
      expectProblem(await app.inject({ ...req, headers: auth(supervisor) }), 403, 'forbidden');
      expectProblem(await app.inject({ ...req }), 401, 'unauthenticated');
    }
  });
});

describe('using a token', () => {
  it('acts with its role at once: an operator token is 403 on /users, an admin token is not', async () => {
    const operator = await create('operator-api', 'operator');
    const admin = await create('admin-api', 'admin');
    expectProblem(
      await app.inject({ method: 'GET', url: '/api/v1/users', headers: auth(operator.token) }),
      403,
      'forbidden',
    );
    const holidays = await app.inject({
      method: 'GET',
      url: '/api/v1/calendar/holidays',
      headers: auth(operator.token),
    });
    expect(holidays.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/users', headers: auth(admin.token) })).statusCode).toBe(
      200,
    );
    // The scheme is case-insensitive; anything else is 401.
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/users', headers: { authorization: `bearer ${admin.token}` } }))
        .statusCode,
    ).toBe(200);
    expectProblem(
      await app.inject({ method: 'GET', url: '/api/v1/users', headers: { authorization: admin.token } }),
      401,
      'unauthenticated',
    );
    expectProblem(
      await app.inject({ method: 'GET', url: '/api/v1/users', headers: auth(`${admin.token}x`) }),
      401,
      'unauthenticated',
    );
  });

  it('sets lastUsedAt when used', async () => {
    const created = await create('last-used', 'operator');
    expect((await find(created.id))?.lastUsedAt).toBeNull();
    const before = Date.now();
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/calendar/holidays', headers: auth(created.token) })).statusCode,
    ).toBe(200);
    const used = await find(created.id);
    expect(used?.lastUsedAt).not.toBeNull();
    expect(Date.parse(used?.lastUsedAt ?? '')).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(used?.lastUsedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(created.createdAt));
  });

  it("writes as a token are audited with the token's id and name", async () => {
    const created = await create('監査用', 'admin');
    const user = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: auth(created.token),
      payload: {
        email: `tok-${randomUUID().slice(0, 8)}@test.madoguchi.jp`,
        name: 'トークン 作成',
        role: 'operator',
        password: 'initial-pass-1',
      },
    });
    expect(user.statusCode, user.body).toBe(201);
    const audit = await app.inject({
      method: 'GET',
      url: `/api/v1/audit?actorId=${created.id}`,
      headers: auth(t.adminToken),
    });
    expect(audit.json().items).toMatchObject([
      {
        action: 'user.create',
        objectId: user.json().id,
        actor: { type: 'token', id: created.id, label: 'token:監査用', name: null },
      },
    ]);
  });
});

describe('DELETE /tokens/:id', () => {
  it('revokes at once (401 on the next call); revoking again is 204 and keeps the first time', async () => {
    const created = await create('to-revoke', 'admin');
    const use = () => app.inject({ method: 'GET', url: '/api/v1/users', headers: auth(created.token) });
    expect((await use()).statusCode).toBe(200); // now cached by the auth layer

    const first = await revoke(created.id);
    expect(first.statusCode, first.body).toBe(204);
    expectProblem(await use(), 401, 'unauthenticated');
    const revokedAt = (await find(created.id))?.revokedAt;
    expect(revokedAt).not.toBeNull();

    const second = await revoke(created.id);
    expect(second.statusCode).toBe(204);
    expect((await find(created.id))?.revokedAt).toBe(revokedAt);
    expectProblem(await use(), 401, 'unauthenticated');

    const audit = await app.inject({
      method: 'GET',
      url: `/api/v1/audit?objectType=token&objectId=${created.id}`,
      headers: auth(t.adminToken),
    });
    expect((audit.json().items as { action: string }[]).map((i) => i.action)).toEqual([
      'token.revoke',
      'token.revoke',
      'token.create',
    ]);
  });

  it('a token can revoke itself', async () => {
    const created = await create('self-revoke', 'admin');
    expect((await revoke(created.id, created.token)).statusCode).toBe(204);
    expectProblem(
      await app.inject({ method: 'GET', url: '/api/v1/tokens', headers: auth(created.token) }),
      401,
      'unauthenticated',
    );
  });

  it("answers 404 for an unknown id and for another tenant's token, which keeps working", async () => {
    expectProblem(await revoke(randomUUID()), 404, 'not_found');
    expectProblem(
      await app.inject({ method: 'DELETE', url: '/api/v1/tokens/nope', headers: auth(t.adminToken) }),
      400,
      'validation',
    );

    const other = await makeTenant(app);
    const theirs = (
      await app.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: auth(other.adminToken),
        payload: { name: 'theirs', role: 'admin' },
      })
    ).json();
    const res = await revoke(theirs.id);
    expectProblem(res, 404, 'not_found');
    expect(res.json().detail).toBe('指定されたAPIトークンは見つかりません。');
    expect((await app.inject({ method: 'GET', url: '/api/v1/users', headers: auth(theirs.token) })).statusCode).toBe(
      200,
    );
    expect((await list()).map((x) => x.id)).not.toContain(theirs.id);
    expect((await list(other.adminToken)).map((x) => x.id)).toContain(theirs.id);
  });
});

describe('GET /tokens pagination', () => {
  it('pages newest first without losing tokens created within the same millisecond', async () => {
    const tenant = await makeTenant(app);
    // Three tokens whose created_at differ only in microseconds, and one older.
    await dbOf(app).withTenant(tenant.tenantId, (tx) =>
      tx.query(
        `INSERT INTO api_tokens (tenant_id, name, role, token_hash, prefix, created_at)
         SELECT $1, n, 'operator', sha256(convert_to(n, 'UTF8')), 'mdg_xxxx', at::timestamptz
           FROM (VALUES ('a', '2020-01-01T00:00:00.123456Z'), ('b', '2020-01-01T00:00:00.123400Z'),
                        ('c', '2020-01-01T00:00:00.123999Z'), ('d', '2019-12-31T23:59:59Z')) AS v(n, at)`,
        [tenant.tenantId],
      ),
    );
    const pages = (await walkList(app, tenant.adminToken, '/api/v1/tokens', 1)) as { items: Token[] }[];
    expect(pages.every((p) => p.items.length <= 1)).toBe(true);
    const names = pages.flatMap((p) => p.items.map((i) => i.name));
    expect(names).toEqual(['test-admin', 'c', 'a', 'b', 'd']);
  });

  it('refuses a forged cursor with 400, not a server error', async () => {
    const forged = Buffer.from(JSON.stringify(['yesterday', 'x'])).toString('base64url');
    const res = await app.inject({
      method: 'GET',
      url: `/api/v1/tokens?cursor=${forged}`,
      headers: auth(t.adminToken),
    });
    expectProblem(res, 400, 'validation');
    expect(res.json().errors[0].path).toBe('cursor');
  });
});

describe('storage', () => {
  it('keeps only the SHA-256 of the secret: no column holds the secret or its tail', async () => {
    const tenant = await makeTenant(app);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: auth(tenant.adminToken),
      payload: { name: 'hashed', role: 'operator' },
    });
    const created = res.json() as Token & { token: string };
    const rows = await tokenRows(tenant.tenantId);
    const row = rows.find((r) => r.id === created.id);
    expect(row).toBeDefined();
    const hash = row?.token_hash as Buffer;
    expect(Buffer.isBuffer(hash)).toBe(true);
    expect(hash.length).toBe(32);
    expect(hash.equals(createHash('sha256').update(created.token).digest())).toBe(true);
    expect(row?.prefix).toBe(created.token.slice(0, 8));

    const secretTail = created.token.slice(8);
    for (const r of rows) {
      for (const [column, value] of Object.entries(r)) {
        const text = Buffer.isBuffer(value)
          ? `${value.toString('hex')} ${value.toString('base64')} ${value.toString('latin1')}`
          : String(value);
        expect(text, column).not.toContain(created.token);
        expect(text, column).not.toContain(secretTail);
      }
    }
    // Nor does any audit row.
    const audit = await dbOf(app).owner.transaction(async (tx) => {
      await tx.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenant.tenantId]);
      return tx.query<{ row: string }>('SELECT row_to_json(a)::text AS row FROM audit_log a WHERE tenant_id = $1', [
        tenant.tenantId,
      ]);
    });
    expect(audit.length).toBeGreaterThan(0);
    for (const a of audit) expect(a.row).not.toContain(secretTail);
  });
});
