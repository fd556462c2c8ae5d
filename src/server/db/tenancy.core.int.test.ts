// Tenancy by construction (DESIGN.md §3): row-level security on every tenant table, FORCEd, an
// application role that can bypass nothing, and no tenant rows outside withTenant.
import { describe, expect, it } from 'vitest';
import { makeTenant, testDatabase } from '../test/harness.js';
import { APP_ROLE } from './database.js';

describe('tenancy', () => {
  it('puts a FORCEd tenant policy on every table that has a tenant_id column', async () => {
    const db = await testDatabase();
    const tables = await db.owner.query<{ table: string; rls: boolean; forced: boolean; policies: string[] }>(
      `SELECT c.relname AS table, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced,
              coalesce(array_agg(p.qual) FILTER (WHERE p.qual IS NOT NULL), '{}') AS policies
         FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
         LEFT JOIN pg_policies p ON p.schemaname = n.nspname AND p.tablename = c.relname AND p.policyname = 'tenant_isolation'
        WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        GROUP BY c.relname, c.relrowsecurity, c.relforcerowsecurity
        ORDER BY 1`,
    );
    expect(tables.map((t) => t.table)).toEqual(
      expect.arrayContaining(['users', 'sessions', 'api_tokens', 'audit_log', 'closing_days']),
    );
    const unforced = tables.filter(
      (t) => !t.rls || !t.forced || !t.policies.some((q) => q.includes('app_tenant_id()')),
    );
    // A table without a policy is allowed only when the application role cannot touch it at all
    // (e.g. customer_search, read through SECURITY DEFINER functions for the current tenant).
    const reachable: string[] = [];
    for (const t of unforced) {
      const [p] = await db.owner.query<{ any: boolean }>(
        `SELECT has_table_privilege($1, $2, 'SELECT') OR has_table_privilege($1, $2, 'INSERT')
             OR has_table_privilege($1, $2, 'UPDATE') OR has_table_privilege($1, $2, 'DELETE') AS any`,
        [APP_ROLE, t.table],
      );
      if (p?.any !== false) reachable.push(t.table);
    }
    expect(reachable).toEqual([]);
  });

  it('runs the application as a role that owns nothing and cannot bypass RLS', async () => {
    const db = await testDatabase();
    const [role] = await db.owner.query<{ rolsuper: boolean; rolbypassrls: boolean }>(
      'SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1',
      [APP_ROLE],
    );
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
    const owned = await db.owner.query(
      `SELECT c.relname FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner WHERE r.rolname = $1`,
      [APP_ROLE],
    );
    expect(owned).toEqual([]);
    const [who] = await db.app.query<{ current_user: string }>('SELECT current_user');
    expect(who?.current_user).toBe(APP_ROLE);
    const [inTenant] = await db.withTenant((await makeTenant(db)).tenantId, (tx) =>
      tx.query<{ current_user: string }>('SELECT current_user'),
    );
    expect(inTenant?.current_user).toBe(APP_ROLE);
  });

  it('shows no tenant rows outside withTenant, and only its own inside', async () => {
    const db = await testDatabase();
    const a = await makeTenant(db);
    const b = await makeTenant(db);
    await a.user('operator');
    await b.user('operator');
    const outside = await db.app.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
    expect(outside[0]?.n).toBe(0);
    expect(await db.app.query('SELECT id FROM tenants')).toEqual([]);
    for (const t of [a, b]) {
      const rows = await db.withTenant(t.tenantId, (tx) =>
        tx.query<{ tenant_id: string }>('SELECT tenant_id FROM users'),
      );
      expect(rows.length).toBe(1);
      expect(rows.every((r) => r.tenant_id === t.tenantId)).toBe(true);
      // Even a query that forgets its tenant filter sees only this tenant's tokens.
      const tokens = await db.withTenant(t.tenantId, (tx) =>
        tx.query<{ tenant_id: string }>('SELECT tenant_id FROM api_tokens'),
      );
      expect(new Set(tokens.map((r) => r.tenant_id))).toEqual(new Set([t.tenantId]));
    }
  });

  it("refuses to write a row into another tenant from inside a tenant's transaction", async () => {
    const db = await testDatabase();
    const a = await makeTenant(db);
    const b = await makeTenant(db);
    await expect(
      db.withTenant(a.tenantId, (tx) =>
        tx.query("INSERT INTO closing_days (tenant_id, date) VALUES ($1, '2030-01-02')", [b.tenantId]),
      ),
    ).rejects.toThrow(/row-level security/);
    // On a server the application logs in as its role, so it cannot become the owner. PGlite has
    // one superuser session that drops to the role per transaction (docs/adr/0001-database.md).
    if (db.kind === 'pg')
      await expect(db.withTenant(a.tenantId, (tx) => tx.query('SET ROLE postgres'))).rejects.toThrow(
        /permission denied/,
      );
  });

  it('keeps the audit log append-only, even for the owner', async () => {
    const db = await testDatabase();
    const a = await makeTenant(db);
    const set = `SELECT set_config('app.tenant_id', '${a.tenantId}', true)`;
    await expect(
      db.owner.transaction(async (tx) => {
        await tx.query(set);
        await tx.query("UPDATE audit_log SET action = 'x'");
      }),
    ).rejects.toThrow(/append-only/);
    await expect(
      db.owner.transaction(async (tx) => {
        await tx.query(set);
        await tx.query('DELETE FROM audit_log');
      }),
    ).rejects.toThrow(/append-only/);
    await expect(db.owner.exec('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    await expect(db.withTenant(a.tenantId, (tx) => tx.query('DELETE FROM audit_log'))).rejects.toThrow(
      /permission denied|append-only/,
    );
  });

  it('rejects a tenant id that is not a uuid before any SQL runs', async () => {
    const db = await testDatabase();
    await expect(db.withTenant("x'; DROP TABLE users; --", async () => 1)).rejects.toThrow(/not a uuid/);
  });
});
