// /api/v1/audit against a real database: filters, keyset pages newest first, the CSV export
// (UTF-8 with BOM or Shift_JIS, CRLF, defused cells), and the log being append-only even for the
// database owner.
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { walkList } from '../../test/cross-tenant.js';
import { auth, dbOf, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';

type Item = {
  id: string;
  at: string;
  actor: { type: 'user' | 'token' | 'system'; id: string | null; label: string; name: string | null };
  action: string;
  objectType: string;
  objectId: string | null;
  requestId: string | null;
  ip: string | null;
  detail: Record<string, unknown> | null;
};

let app: TestApp;

beforeAll(async () => {
  app = await testApp();
});

async function audit(tenant: TestTenant, query: string): Promise<Item[]> {
  const res = await app.inject({
    method: 'GET',
    url: `/api/v1/audit?limit=500&${query}`,
    headers: auth(tenant.adminToken),
  });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().nextCursor).toBeNull();
  return res.json().items;
}

async function post(token: string, url: string, payload?: unknown, headers: Record<string, string> = {}) {
  const res = await app.inject({
    method: 'POST',
    url,
    headers: { ...auth(token), ...headers },
    ...(payload ? { payload: payload as object } : {}),
  });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res;
}

/** Audit rows written straight into a tenant's log (the app role may insert), at given times. */
async function insertRows(tenantId: string, rows: { action: string; at: string }[]) {
  await dbOf(app).withTenant(tenantId, async (tx) => {
    for (const r of rows) {
      await tx.query(
        `INSERT INTO audit_log (tenant_id, at, actor_type, actor_label, action, object_type) VALUES ($1, $2, 'system', 'test', $3, 'probe')`,
        [tenantId, r.at, r.action],
      );
    }
  });
}

describe('GET /audit filters', () => {
  let t: TestTenant;
  let tokenId: string;
  let userId: string;
  let otherTokenId: string;

  beforeAll(async () => {
    t = await makeTenant(app);
    const created = (await post(t.adminToken, '/api/v1/tokens', { name: 'auditor', role: 'admin' })).json();
    tokenId = created.id;
    const user = await post(created.token, '/api/v1/users', {
      email: `a-${randomUUID().slice(0, 8)}@test.madoguchi.jp`,
      name: '監査 対象',
      role: 'operator',
      password: 'initial-pass-1',
    });
    userId = user.json().id;
    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${userId}`,
      headers: auth(created.token),
      payload: { name: '監査 変更' },
    });
    expect(patched.statusCode).toBe(200);
    otherTokenId = (await post(created.token, '/api/v1/tokens', { name: 'second', role: 'operator' })).json().id;
    await post(t.adminToken, `/api/v1/users/${userId}/unlock`);
    // Another tenant does the same kinds of things: none of it may show below.
    const other = await makeTenant(app);
    await post(other.adminToken, '/api/v1/tokens', { name: 'auditor', role: 'admin' });
  });

  it('by actor: what one token did, newest first, with who/where/which request', async () => {
    const items = await audit(t, `actorId=${tokenId}`);
    expect(items.map((i) => [i.action, i.objectId])).toEqual([
      ['token.create', otherTokenId],
      ['user.update', userId],
      ['user.create', userId],
    ]);
    for (const i of items) {
      expect(i.actor).toEqual({ type: 'token', id: tokenId, label: 'token:auditor', name: null });
      expect(i.requestId).toEqual(expect.any(String));
      expect(i.ip).toBe('127.0.0.1');
      expect(Number.isNaN(Date.parse(i.at))).toBe(false);
    }
    expect(items[1]?.detail).toEqual({ fields: ['name'] });
    expect(await audit(t, `actorId=${randomUUID()}`)).toEqual([]);
  });

  it('by object type and id', async () => {
    const items = await audit(t, `objectType=user&objectId=${userId}`);
    expect(items.map((i) => i.action)).toEqual(['user.unlock', 'user.update', 'user.create']);
    // The admin token's own creation (by the system) is the third.
    const tokens = await audit(t, 'objectType=token');
    expect(tokens.map((i) => [i.objectId, i.actor.type])).toEqual([
      [otherTokenId, 'token'],
      [tokenId, 'token'],
      [expect.any(String), 'system'],
    ]);
  });

  it('by action: a whole segment prefix or the exact action', async () => {
    const user = await audit(t, 'action=user');
    expect(user.map((i) => i.action)).toEqual(['user.unlock', 'user.update', 'user.create']);
    expect((await audit(t, 'action=user.create')).map((i) => i.objectId)).toEqual([userId]);
    expect((await audit(t, 'action=token')).map((i) => i.action)).toEqual([
      'token.create',
      'token.create',
      'token.create',
    ]);
    expect(await audit(t, 'action=use')).toEqual([]);
    expect(await audit(t, 'action=user.cre')).toEqual([]);
    // LIKE's wildcards are plain characters here.
    expect(await audit(t, 'action=_ser')).toEqual([]);
    expect(await audit(t, `action=${encodeURIComponent('%')}`)).toEqual([]);
    expect(await audit(t, `action=token&actorId=${tokenId}`)).toMatchObject([{ objectId: otherTokenId }]);
  });

  it('refuses bad filters with 400 naming them', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/audit?actorId=x&from=2026-02-30',
      headers: auth(t.adminToken),
    });
    expect(res.statusCode).toBe(400);
    expect((res.json().errors as { path: string }[]).map((e) => e.path).sort()).toEqual(['actorId', 'from']);
  });

  it('is for admins only', async () => {
    for (const role of ['supervisor', 'operator'] as const) {
      const token = await t.token(role);
      for (const url of ['/api/v1/audit', '/api/v1/audit/export']) {
        const res = await app.inject({ method: 'GET', url, headers: auth(token) });
        expect(res.statusCode, `${role} ${url}`).toBe(403);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    }
    expect((await app.inject({ method: 'GET', url: '/api/v1/audit/export' })).statusCode).toBe(401);
  });
});

describe('GET /audit dates and pages', () => {
  let t: TestTenant;

  beforeAll(async () => {
    t = await makeTenant(app);
    // Tokyo is UTC+9: the day 2026-04-01 runs from 2026-03-31T15:00Z to 2026-04-01T15:00Z.
    await insertRows(t.tenantId, [
      { action: 'probe.r1', at: '2026-03-31T14:59:59.999Z' },
      { action: 'probe.r2', at: '2026-03-31T15:00:00Z' },
      { action: 'probe.r3', at: '2026-04-01T14:59:59.999Z' },
      { action: 'probe.r4', at: '2026-04-01T15:00:00Z' },
    ]);
  });

  it('from/to are whole days in Asia/Tokyo, both inclusive', async () => {
    const actions = async (q: string) => (await audit(t, `action=probe&${q}`)).map((i) => i.action);
    expect(await actions('from=2026-04-01&to=2026-04-01')).toEqual(['probe.r3', 'probe.r2']);
    expect(await actions('to=2026-03-31')).toEqual(['probe.r1']);
    expect(await actions('from=2026-04-02')).toEqual(['probe.r4']);
    expect(await actions('from=2026-03-31&to=2026-04-02')).toEqual(['probe.r4', 'probe.r3', 'probe.r2', 'probe.r1']);
    expect(await actions('from=2026-04-02&to=2026-04-01')).toEqual([]);
  });

  it('pages by keyset, newest first, each row once, following nextCursor', async () => {
    await insertRows(
      t.tenantId,
      Array.from({ length: 7 }, (_, n) => ({
        action: `page.p${n}`,
        at: new Date(Date.UTC(2026, 5, 1, 0, 0, n)).toISOString(),
      })),
    );
    const all = await audit(t, 'action=page');
    expect(all.map((i) => i.action)).toEqual([
      'page.p6',
      'page.p5',
      'page.p4',
      'page.p3',
      'page.p2',
      'page.p1',
      'page.p0',
    ]);
    const pages = (await walkList(app, t.adminToken, '/api/v1/audit?action=page', 2)) as { items: Item[] }[];
    expect(pages.map((p) => p.items.length)).toEqual([2, 2, 2, 1]);
    const paged = pages.flatMap((p) => p.items);
    expect(paged).toEqual(all);
    const ids = paged.map((i) => Number(i.id));
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
  });

  it('refuses a forged cursor with 400', async () => {
    for (const values of [['abc'], [1, 2], ['1; DROP TABLE audit_log']]) {
      const cursor = Buffer.from(JSON.stringify(values)).toString('base64url');
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/audit?cursor=${cursor}`,
        headers: auth(t.adminToken),
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().errors[0].path).toBe('cursor');
    }
  });
});

describe('GET /audit/export', () => {
  let t: TestTenant;
  const dashRequestId = `-dash-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    t = await makeTenant(app);
    // Values an attacker controls that a spreadsheet would run: a user's name, a request id.
    for (const name of ['=HYPERLINK(1)', '髙橋 花子']) {
      const u = await t.user('operator', { name });
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: u.email, password: u.password },
      });
      expect(res.statusCode).toBe(200);
    }
    await post(
      t.adminToken,
      '/api/v1/tokens',
      { name: '=HYPERLINK(1)', role: 'operator' },
      { 'x-request-id': dashRequestId },
    );
  });

  async function exportCsv(query = '') {
    const res = await app.inject({ method: 'GET', url: `/api/v1/audit/export${query}`, headers: auth(t.adminToken) });
    expect(res.statusCode, res.body).toBe(200);
    return res;
  }

  it('is UTF-8 with a BOM and CRLF, a Japanese header, one row per audit item', async () => {
    const res = await exportCsv();
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(String(res.headers['content-disposition'])).toMatch(
      /^attachment; filename="[^"]+\.csv"; filename\*=UTF-8''%E7%9B%A3%E6%9F%BB/,
    );
    const raw = res.rawPayload;
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = raw.subarray(3).toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);

    const [header, ...rows] = parse(text) as string[][];
    expect(header).toEqual([
      'id',
      '日時',
      '種別',
      '実行者',
      '氏名',
      '操作',
      '対象種別',
      '対象ID',
      'リクエストID',
      'IP',
      '詳細',
    ]);
    const items = await audit(t, '');
    expect(rows.map((r) => r[0])).toEqual(items.map((i) => i.id));
    expect(rows.map((r) => r[5])).toEqual(items.map((i) => i.action));
    const names = rows.filter((r) => r[5] === 'login').map((r) => r[4]);
    expect(names).toEqual(['髙橋 花子', "'=HYPERLINK(1)"]);
  });

  it('defuses every cell a spreadsheet would run as a formula', async () => {
    const [, ...rows] = parse((await exportCsv()).rawPayload.subarray(3).toString('utf8')) as string[][];
    const tokenRow = rows.find((r) => r[5] === 'token.create' && r[8]?.includes('dash'));
    expect(tokenRow?.[8]).toBe(`'${dashRequestId}`);
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('applies the same filters as the list', async () => {
    const [, ...rows] = parse((await exportCsv('?action=login')).rawPayload.subarray(3).toString('utf8')) as string[][];
    expect(rows.map((r) => r[5])).toEqual(['login', 'login']);
    expect(rows.every((r) => r[2] === 'user')).toBe(true);
  });

  it('encoding=sjis is CP932 without a BOM and decodes to the same text', async () => {
    const utf8 = (await exportCsv('?action=login')).rawPayload.subarray(3).toString('utf8');
    const res = await exportCsv('?action=login&encoding=sjis');
    expect(res.headers['content-type']).toBe('text/csv; charset=Shift_JIS');
    const raw = res.rawPayload;
    expect([...raw.subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
    expect(raw.subarray(0, 5).toString('latin1')).toBe('id,\x93\xfa'); // 日 in Shift_JIS
    expect(iconv.decode(raw, 'cp932')).toBe(utf8);
    expect(utf8).toContain('髙橋 花子');
  });

  it('refuses an unknown encoding', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/audit/export?encoding=latin1',
      headers: auth(t.adminToken),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('encoding');
  });
});

describe('append-only', () => {
  it('refuses UPDATE, DELETE and TRUNCATE even to the database owner, and UPDATE to the app role', async () => {
    const t = await makeTenant(app);
    const db = dbOf(app);
    const asOwner = (sql: string) =>
      db.owner.transaction(async (tx) => {
        await tx.query(`SELECT set_config('app.tenant_id', $1, true)`, [t.tenantId]);
        return tx.query(sql.replaceAll('$tenant', `'${t.tenantId}'`));
      });
    const count = async () =>
      (await asOwner(`SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = $tenant AND action <> 'tampered'`))[0];
    const before = await count();
    expect(before).toEqual({ n: 2 }); // tenant.create and the admin token's token.create

    await expect(asOwner(`UPDATE audit_log SET action = 'tampered' WHERE tenant_id = $tenant`)).rejects.toThrow(
      /append-only/,
    );
    await expect(asOwner('DELETE FROM audit_log WHERE tenant_id = $tenant')).rejects.toThrow(/append-only/);
    await expect(asOwner('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    await expect(
      db.withTenant(t.tenantId, (tx) =>
        tx.query(`UPDATE audit_log SET action = 'tampered' WHERE tenant_id = $1`, [t.tenantId]),
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(
      db.withTenant(t.tenantId, (tx) => tx.query('DELETE FROM audit_log WHERE tenant_id = $1', [t.tenantId])),
    ).rejects.toThrow(/permission denied/);

    expect(await count()).toEqual(before);
    expect((await audit(t, '')).map((i) => i.action)).toEqual(['token.create', 'tenant.create']);
  });
});
