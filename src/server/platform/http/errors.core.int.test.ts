// The HTTP edge on both databases: every error is problem+json in the caller's language without
// internals, every response carries a request id, and the public endpoints answer.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { auth, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';

type Res = Awaited<ReturnType<TestApp['inject']>>;

let app: TestApp;
let t: TestTenant;
/** Every problem answer seen in this file, checked for leaked internals at the end. */
const problems: Res[] = [];

beforeAll(async () => {
  app = await testApp();
  t = await makeTenant(app);
});

function expectProblem(res: Res, status: number, code: string) {
  problems.push(res);
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  const body = res.json();
  expect(body).toMatchObject({
    type: `urn:madoguchi:problem:${code}`,
    status,
    code,
    requestId: res.headers['x-request-id'],
  });
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  return body as { title: string; detail: string; errors?: unknown[] };
}

const validUser = () => ({
  email: `e-${randomUUID().slice(0, 8)}@test.madoguchi.jp`,
  name: '境界 太郎',
  role: 'operator',
  password: 'initial-pass-1',
});

describe('request bodies', () => {
  it('broken JSON → 400 invalid_json', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { ...auth(t.adminToken), 'content-type': 'application/json' },
      payload: '{"email": "a@b.jp", "name": ',
    });
    expect(expectProblem(res, 400, 'invalid_json').detail).toBe('JSON の形式が正しくありません。');
  });

  it('a body over BODY_LIMIT_BYTES → 413, and the same body under the default limit is fine', async () => {
    const small = await testApp({ env: { BODY_LIMIT_BYTES: '1024' } });
    const payload = { ...validUser(), name: 'あ'.repeat(101), padding: 'x'.repeat(2000) };
    const res = await small.inject({ method: 'POST', url: '/api/v1/users', headers: auth(t.adminToken), payload });
    expect(expectProblem(res, 413, 'body_too_large').detail).toContain('1024');
    const ok = await small.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: auth(t.adminToken),
      payload: validUser(),
    });
    expect(ok.statusCode, ok.body).toBe(201);
    // The default app takes it (and refuses it for its own reasons: the name is too long).
    const big = await app.inject({ method: 'POST', url: '/api/v1/users', headers: auth(t.adminToken), payload });
    expect(expectProblem(big, 400, 'validation').errors).toMatchObject([{ path: 'name', code: 'too_big' }]);
  });

  it('a content type other than JSON on a JSON route → 415', async () => {
    for (const type of ['application/xml', 'text/plain', 'application/x-www-form-urlencoded']) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: { ...auth(t.adminToken), 'content-type': type },
        payload: type === 'application/x-www-form-urlencoded' ? 'email=a%40b.jp' : JSON.stringify(validUser()),
      });
      expect(expectProblem(res, 415, 'unsupported_media_type').detail, type).toContain(type);
    }
    // JSON with a charset is JSON.
    const charset = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { ...auth(t.adminToken), 'content-type': 'application/json; charset=utf-8' },
      payload: JSON.stringify(validUser()),
    });
    expect(charset.statusCode, charset.body).toBe(201);
  });
});

describe('unknown API paths', () => {
  it('say nothing without credentials (401) and 404 route_not_found with them', async () => {
    expectProblem(await app.inject({ method: 'GET', url: '/api/v1/no-such-thing' }), 401, 'unauthenticated');
    expectProblem(
      await app.inject({ method: 'GET', url: '/api/v1/no-such-thing', headers: auth('mdg_wrong') }),
      401,
      'unauthenticated',
    );
    const get = expectProblem(
      await app.inject({ method: 'GET', url: '/api/v1/no-such-thing?x=1', headers: auth(t.adminToken) }),
      404,
      'route_not_found',
    );
    expect(get.detail).toBe('GET /api/v1/no-such-thing というAPIはありません。');
    const del = await app.inject({
      method: 'DELETE',
      url: '/api/v1/users',
      headers: { ...auth(t.adminToken), 'accept-language': 'en' },
    });
    expect(expectProblem(del, 404, 'route_not_found').detail).toBe('There is no API DELETE /api/v1/users.');
    const operator = await t.token('operator');
    expectProblem(
      await app.inject({ method: 'GET', url: '/api/v2/users', headers: auth(operator) }),
      404,
      'route_not_found',
    );
  });
});

describe('request ids', () => {
  it('every response has one; a plausible incoming id is kept, anything else replaced', async () => {
    const responses = [
      await app.inject({ method: 'GET', url: '/api/health' }),
      await app.inject({ method: 'GET', url: '/api/v1/users', headers: auth(t.adminToken) }),
      await app.inject({ method: 'GET', url: '/api/v1/users' }),
      await app.inject({ method: 'GET', url: '/api/v1/users/not-a-uuid', headers: auth(t.adminToken) }),
      await app.inject({ method: 'GET', url: '/api/docs/json' }),
    ];
    const ids = responses.map((r) => r.headers['x-request-id']);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(ids).size).toBe(ids.length);

    const given = `lb-${randomUUID()}`;
    const kept = await app.inject({ method: 'GET', url: '/api/v1/nope', headers: { 'x-request-id': given } });
    expect(kept.headers['x-request-id']).toBe(given);
    expect(expectProblem(kept, 401, 'unauthenticated')).toMatchObject({ requestId: given });
    expect(
      (await app.inject({ method: 'GET', url: '/api/health', headers: { 'x-request-id': given } })).headers[
        'x-request-id'
      ],
    ).toBe(given);

    for (const bad of ['short', 'has spaces in it', '<script>alert(1)</script>', 'x'.repeat(65)]) {
      const res = await app.inject({ method: 'GET', url: '/api/health', headers: { 'x-request-id': bad } });
      expect(res.headers['x-request-id'], bad).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe('languages', () => {
  it('titles, details and field messages follow Accept-Language (Japanese by default)', async () => {
    const ask = (lang?: string) =>
      app.inject({ method: 'GET', url: '/api/v1/users', headers: lang ? { 'accept-language': lang } : {} });
    expect(expectProblem(await ask(), 401, 'unauthenticated').title).toBe('認証が必要です');
    expect(expectProblem(await ask('fr-FR, de'), 401, 'unauthenticated').title).toBe('認証が必要です');
    const en = expectProblem(await ask('en'), 401, 'unauthenticated');
    expect(en).toMatchObject({ title: 'Authentication required', detail: 'Sign in, or send a valid API token.' });
    expect(expectProblem(await ask('en-US,en;q=0.9,ja;q=0.8'), 401, 'unauthenticated').title).toBe(
      'Authentication required',
    );
    expect(expectProblem(await ask('ja,en;q=0.5'), 401, 'unauthenticated').title).toBe('認証が必要です');

    const operator = await t.token('operator');
    const forbidden = await app.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: { ...auth(operator), 'accept-language': 'en' },
    });
    expect(expectProblem(forbidden, 403, 'forbidden')).toMatchObject({
      title: 'You are not allowed to do this',
      detail: 'The role "operator" may not do this.',
    });
    const invalid = await app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { ...auth(t.adminToken), 'accept-language': 'en' },
      payload: { ...validUser(), email: 'nope' },
    });
    expect(expectProblem(invalid, 400, 'validation')).toMatchObject({
      title: 'Some fields are invalid',
      detail: '1 field(s) are invalid.',
      errors: [{ path: 'email', code: 'invalid_format', message: 'Not a valid e-mail address.' }],
    });
  });
});

describe('internals never leak', () => {
  it('a forged cursor is a 400, and no problem answer carries a stack, a file or a module path', async () => {
    const forged = Buffer.from(JSON.stringify(['x', 'not-a-uuid'])).toString('base64url');
    expectProblem(
      await app.inject({ method: 'GET', url: `/api/v1/users?cursor=${forged}`, headers: auth(t.adminToken) }),
      400,
      'validation',
    );
    const garbage = { ...auth(t.adminToken), 'content-type': 'application/json' };
    expectProblem(
      await app.inject({ method: 'POST', url: '/api/v1/users', headers: garbage, payload: '{"a":' }),
      400,
      'invalid_json',
    );
    expectProblem(
      await app.inject({ method: 'POST', url: '/api/v1/users', headers: garbage, payload: '[1,2' }),
      400,
      'invalid_json',
    );
    expectProblem(
      await app.inject({
        method: 'PATCH',
        url: `/api/v1/users/${randomUUID()}`,
        headers: auth(t.adminToken),
        payload: { name: 'x' },
      }),
      404,
      'not_found',
    );
    // …and every problem answer of this file's other tests.
    expect(problems.length).toBeGreaterThan(3);
    for (const res of problems) {
      const body = res.body;
      expect(body).not.toMatch(/\bat .+:\d+:\d+/);
      expect(body).not.toMatch(/\.(ts|js|mjs):\d+/);
      expect(body).not.toContain('node_modules');
      expect(body).not.toMatch(/"stack"|FST_ERR|ZodError|SyntaxError/);
      expect(Object.keys(res.json()).sort()).toEqual(
        res.json().errors
          ? ['code', 'detail', 'errors', 'requestId', 'status', 'title', 'type']
          : ['code', 'detail', 'requestId', 'status', 'title', 'type'],
      );
    }
  });
});

describe('public endpoints', () => {
  it('GET /api/health → { status: "ok" } without credentials', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('GET /api/docs/json is an OpenAPI 3 document listing the platform routes', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    const doc = res.json() as {
      openapi: string;
      info: { title: string };
      paths: Record<string, Record<string, unknown>>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.title).toBe('Madoguchi API');
    expect(Object.keys(doc.paths['/api/v1/users'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(doc.paths).toHaveProperty(['/api/v1/users/{id}']);
    expect(doc.paths).toHaveProperty(['/api/v1/tokens']);
    expect(doc.paths).toHaveProperty(['/api/v1/audit/export']);
    // Hidden routes stay hidden.
    expect(doc.paths).not.toHaveProperty(['/api/health']);
  });
});
