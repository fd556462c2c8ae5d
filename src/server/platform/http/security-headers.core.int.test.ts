// The security headers (helmet's, computed once at start) on every kind of answer: a public
// endpoint, an authenticated read, a refusal before the route runs, an unknown path, a bad body.
import { beforeAll, describe, expect, it } from 'vitest';
import { auth, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';
import { securityHeaders } from './security-headers.js';

const EXPECTED = {
  'content-security-policy':
    "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';" +
    "img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' 'unsafe-inline';" +
    "connect-src 'self'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

let app: TestApp;
let t: TestTenant;

beforeAll(async () => {
  app = await testApp();
  t = await makeTenant(app);
});

describe('security headers', () => {
  it('are on every answer, with a request id, and no HSTS (TLS ends at the proxy)', async () => {
    const token = t.adminToken;
    const answers = [
      await app.inject({ method: 'GET', url: '/api/health' }),
      await app.inject({ method: 'GET', url: '/api/v1/users', headers: auth(token) }),
      await app.inject({ method: 'GET', url: '/api/v1/users' }),
      await app.inject({ method: 'GET', url: '/api/v1/no-such-thing', headers: auth(token) }),
      await app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: { ...auth(token), 'content-type': 'application/json' },
        payload: '{"name":',
      }),
    ];
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 401, 404, 400]);
    for (const res of answers) {
      expect(res.headers).toMatchObject(EXPECTED);
      expect(res.headers['x-request-id']).toMatch(/^[\w.:-]{8,64}$/);
      expect(res.headers['strict-transport-security']).toBeUndefined();
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('refuses helmet options that depend on the request', () => {
    expect(() =>
      securityHeaders({
        contentSecurityPolicy: { directives: { scriptSrc: ["'self'", (req) => `'nonce-${String(req.url)}'`] } },
      }),
    ).toThrow(/depends on the request/);
  });
});
