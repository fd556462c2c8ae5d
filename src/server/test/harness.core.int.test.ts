// The harness itself, on both databases (the `integration` and `pglite` projects).
import { describe, expect, it } from 'vitest';
import { auth, dbOf, freshDatabase, makeTenant, testApp, testDatabase, testDbKind } from './harness.js';

describe('test harness', () => {
  it('gives each file a migrated database of the project kind', async () => {
    const db = await testDatabase();
    expect(db.kind).toBe(testDbKind());
    expect(await testDatabase()).toBe(db);
    const rows = await db.owner.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
    expect(rows[0]?.n).toBeGreaterThan(0);
  });

  it('keeps databases apart: a tenant made in one is not in another', async () => {
    const one = await testDatabase();
    const other = await freshDatabase();
    const tenant = await makeTenant(one);
    const seen = await other.withTenant(tenant.tenantId, (tx) => tx.query('SELECT id FROM tenants'));
    expect(seen).toEqual([]);
  });

  it('builds a healthy app whose tenants get working tokens of each role', async () => {
    const app = await testApp();
    expect(dbOf(app)).toBe(await testDatabase());
    const health = await app.inject({ method: 'GET', url: '/api/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });

    const tenant = await makeTenant(app);
    const asAdmin = await app.inject({ method: 'GET', url: '/api/v1/users', headers: auth(tenant.adminToken) });
    expect(asAdmin.statusCode).toBe(200);
    expect(asAdmin.json()).toMatchObject({ items: [], nextCursor: null });
    const operator = await tenant.token('operator');
    const asOperator = await app.inject({ method: 'GET', url: '/api/v1/users', headers: auth(operator) });
    expect(asOperator.statusCode).toBe(403);
    const anonymous = await app.inject({ method: 'GET', url: '/api/v1/users' });
    expect(anonymous.statusCode).toBe(401);

    const user = await tenant.user('supervisor');
    const listed = await app.inject({ method: 'GET', url: '/api/v1/users', headers: auth(tenant.adminToken) });
    expect(listed.json().items).toMatchObject([{ id: user.userId, email: user.email, role: 'supervisor' }]);
  });
});
