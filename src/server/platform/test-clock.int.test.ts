// MADOGUCHI_TEST_CLOCK=1: an admin moves the server's clock (the e2e lets a due time pass); without
// the setting the route does not exist.
import { describe, expect, it } from 'vitest';
import { escalate, makeInteraction } from '../modules/cases/cases.test-util.js';
import { auth, makeTenant, testApp } from '../test/harness.js';

const HOUR = 3_600_000;

describe('POST /test/clock', () => {
  it('sets and advances the clock the board and cases read, for admins only', async () => {
    const app = await testApp({ env: { MADOGUCHI_TEST_CLOCK: '1' } });
    expect(app.routeRoles).toContainEqual({ method: 'POST', url: '/api/v1/test/clock', roles: ['admin'] });
    const t = await makeTenant(app);
    const clock = (body: unknown, token = t.adminToken) =>
      app.inject({ method: 'POST', url: '/api/v1/test/clock', headers: auth(token), payload: body as object });

    const set = await clock({ now: '2030-01-06T09:00:00+09:00' });
    expect(set.statusCode, set.body).toBe(200);
    expect(Date.parse(set.json().now) - Date.parse('2030-01-06T00:00:00Z')).toBeGreaterThanOrEqual(0);
    expect(Date.parse(set.json().now) - Date.parse('2030-01-06T00:00:00Z')).toBeLessThan(5_000);

    const engineer = await t.user('technician');
    const i = await makeInteraction(app, t.adminToken);
    const c = await escalate(app, t.adminToken, i.id, {
      assigneeId: engineer.userId,
      dueAt: '2030-01-06T10:00:00+09:00',
    });
    expect(c.overdue).toBe(false);

    const moved = await clock({ advanceMs: 2 * HOUR });
    expect(Date.parse(moved.json().now)).toBeGreaterThanOrEqual(Date.parse('2030-01-06T02:00:00Z'));
    const board = await app.inject({ method: 'GET', url: '/api/v1/cases/board', headers: auth(t.adminToken) });
    const open = board.json().columns.find((col: { status: string }) => col.status === 'open');
    expect(open.items.find((x: { id: string }) => x.id === c.id)).toMatchObject({ overdue: true });

    expect((await clock({ advanceMs: 1 }, await t.token('supervisor'))).statusCode).toBe(403);
    expect((await clock({ now: 'yesterday' })).statusCode).toBe(400);
    const audit = await app.inject({
      method: 'GET',
      url: '/api/v1/audit?objectType=clock',
      headers: auth(t.adminToken),
    });
    expect(audit.json().items.map((a: { action: string }) => a.action)).toEqual(['test_clock.set', 'test_clock.set']);
  });

  it('does not exist without MADOGUCHI_TEST_CLOCK', async () => {
    const app = await testApp();
    expect(app.routeRoles.map((r) => r.url)).not.toContain('/api/v1/test/clock');
    const t = await makeTenant(app);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/test/clock',
      headers: auth(t.adminToken),
      payload: { advanceMs: HOUR },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('route_not_found');
  });
});
