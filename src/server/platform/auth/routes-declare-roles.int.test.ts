// Every route declares who may call it, and the declaration is enforced.
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { makeTenant, testApp, testDatabase } from '../../test/harness.js';
import { registerAuth } from './principal.js';

const fill = (url: string) => url.replace(/:[a-zA-Z]+/g, '00000000-0000-4000-8000-000000000000');

describe('route roles', () => {
  it('refuses to register an /api route that declares no roles', async () => {
    const app = Fastify();
    registerAuth(app, await testDatabase(), 30);
    expect(() => app.get('/api/v1/forgotten', async () => 'x')).toThrow(/declares no roles/);
    await app.close();
  });

  it('lists every API route with its roles; each non-public one answers 401 without credentials', async () => {
    const app = await testApp();
    const routes = app.routeRoles.filter((r) => !r.url.startsWith('/api/docs'));
    expect(routes.length).toBeGreaterThan(20);
    const publicOnes = routes.filter((r) => r.roles === 'public').map((r) => `${r.method} ${r.url}`);
    // The Twilio status callback is authenticated by its signature (X-Twilio-Signature), not a role.
    expect(publicOnes.sort()).toEqual([
      'GET /api/health',
      'POST /api/v1/auth/login',
      'POST /api/v1/telephony/twilio/:integrationId/status',
    ]);
    for (const r of routes.filter((x) => x.roles !== 'public')) {
      const res = await app.inject({
        method: r.method as 'GET',
        url: fill(r.url),
        payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {},
      });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
    }
  });

  it('answers 403 to a role a route does not declare, for every admin-only route', async () => {
    const app = await testApp();
    const t = await makeTenant(app);
    const operator = await t.token('operator');
    const adminOnly = app.routeRoles.filter((r) => Array.isArray(r.roles) && !r.roles.includes('operator'));
    expect(adminOnly.length).toBeGreaterThan(5);
    for (const r of adminOnly) {
      const res = await app.inject({
        method: r.method as 'GET',
        url: fill(r.url),
        headers: { authorization: `Bearer ${operator}` },
        payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {},
      });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(403);
      expect(res.json().code).toBe('forbidden');
    }
  });
});
