// withTenant's transaction (BEGIN, the tenant and the first statement sent together on a server)
// and statements marked with prepared(): same results and the same atomicity as one statement at
// a time, on both databases.
import { describe, expect, it } from 'vitest';
import { makeTenant, testDatabase } from '../test/harness.js';
import { prepared } from './database.js';

const CLOSING_DAY = prepared('SELECT date FROM closing_days WHERE tenant_id = $1 AND date = $2');

describe('withTenant', () => {
  it('runs every statement of the callback in one transaction with the tenant set', async () => {
    const db = await testDatabase();
    const { tenantId } = await makeTenant(db);
    const seen = await db.withTenant(tenantId, async (tx) => {
      const [first] = await tx.query<{ tenant: string; xid: string }>(
        "SELECT current_setting('app.tenant_id') AS tenant, txid_current()::text AS xid",
      );
      await tx.query("INSERT INTO closing_days (tenant_id, date) VALUES ($1, '2031-05-01')", [tenantId]);
      const [second] = await tx.query<{ xid: string }>('SELECT txid_current()::text AS xid');
      const rows = await tx.query<{ date: string }>(CLOSING_DAY, [tenantId, '2031-05-01']);
      return { first, second, rows };
    });
    expect(seen.first?.tenant).toBe(tenantId);
    expect(seen.second?.xid).toBe(seen.first?.xid);
    expect(seen.rows).toEqual([{ date: '2031-05-01' }]);
  });

  it('rolls back the statements before a failing one', async () => {
    const db = await testDatabase();
    const { tenantId } = await makeTenant(db);
    await expect(
      db.withTenant(tenantId, async (tx) => {
        await tx.query("INSERT INTO closing_days (tenant_id, date) VALUES ($1, '2031-06-01')", [tenantId]);
        await tx.query('SELECT 1 / 0');
      }),
    ).rejects.toThrow(/division by zero/);
    const rows = await db.withTenant(tenantId, (tx) => tx.query(CLOSING_DAY, [tenantId, '2031-06-01']));
    expect(rows).toEqual([]);
  });

  it('rolls back when the callback throws after its statements', async () => {
    const db = await testDatabase();
    const { tenantId } = await makeTenant(db);
    await expect(
      db.withTenant(tenantId, async (tx) => {
        await tx.query("INSERT INTO closing_days (tenant_id, date) VALUES ($1, '2031-07-01')", [tenantId]);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await db.withTenant(tenantId, (tx) => tx.query(CLOSING_DAY, [tenantId, '2031-07-01']))).toEqual([]);
  });

  it('answers statements sent together in the order they were sent', async () => {
    const db = await testDatabase();
    const { tenantId } = await makeTenant(db);
    const results = await db.withTenant(tenantId, (tx) =>
      Promise.all(
        Array.from({ length: 20 }, (_, i) => tx.query<{ n: number }>('SELECT $1::int AS n', [i]).then((r) => r[0]?.n)),
      ),
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('keeps each tenant to its rows when transactions of two tenants interleave', async () => {
    const db = await testDatabase();
    const a = await makeTenant(db);
    const b = await makeTenant(db);
    for (const t of [a, b]) {
      await db.withTenant(t.tenantId, (tx) =>
        tx.query("INSERT INTO closing_days (tenant_id, date) VALUES ($1, '2031-09-01')", [t.tenantId]),
      );
    }
    const tenants = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? a : b));
    const seen = await Promise.all(
      tenants.map((t) =>
        db.withTenant(t.tenantId, (tx) =>
          tx.query<{ tenant_id: string }>('SELECT DISTINCT tenant_id FROM closing_days'),
        ),
      ),
    );
    expect(seen).toEqual(tenants.map((t) => [{ tenant_id: t.tenantId }]));
  });

  it('runs a prepared statement by name on a server, and as text on PGlite', async () => {
    const db = await testDatabase();
    const { tenantId } = await makeTenant(db);
    await db.withTenant(tenantId, (tx) =>
      tx.query("INSERT INTO closing_days (tenant_id, date) VALUES ($1, '2031-08-01')", [tenantId]),
    );
    for (let i = 0; i < 7; i++) {
      // More than five runs: PostgreSQL may switch to its generic plan; the answers stay the same.
      const rows = await db.withTenant(tenantId, (tx) => tx.query(CLOSING_DAY, [tenantId, '2031-08-01']));
      expect(rows).toEqual([{ date: '2031-08-01' }]);
      expect(await db.withTenant(tenantId, (tx) => tx.query(CLOSING_DAY, [tenantId, '2031-08-02']))).toEqual([]);
    }
    if (db.kind !== 'pg') return;
    const statements = await db.withTenant(tenantId, async (tx) => {
      await tx.query(CLOSING_DAY, [tenantId, '2031-08-01']);
      return tx.query<{ statement: string }>(
        "SELECT statement FROM pg_prepared_statements WHERE name LIKE 'madoguchi\\_%'",
      );
    });
    expect(statements.map((s) => s.statement)).toContain(CLOSING_DAY);
  });

  it('opens no transaction for a callback that runs no statement', async () => {
    const db = await testDatabase();
    const { tenantId } = await makeTenant(db);
    expect(await db.withTenant(tenantId, async () => 42)).toBe(42);
    await expect(
      db.withTenant(tenantId, async () => {
        throw new Error('before any SQL');
      }),
    ).rejects.toThrow('before any SQL');
    // The connection is usable afterwards.
    const [row] = await db.withTenant(tenantId, (tx) =>
      tx.query<{ tenant: string }>("SELECT current_setting('app.tenant_id') AS tenant"),
    );
    expect(row?.tenant).toBe(tenantId);
  });
});

describe('queryInTenant', () => {
  it('runs one statement as the tenant, and commits it', async () => {
    const db = await testDatabase();
    const a = await makeTenant(db);
    const b = await makeTenant(db);
    const [row] = await db.queryInTenant<{ tenant: string; user: string }>(
      a.tenantId,
      "SELECT current_setting('app.tenant_id') AS tenant, current_user AS user",
    );
    expect(row).toEqual({ tenant: a.tenantId, user: 'madoguchi_app' });
    await db.queryInTenant(a.tenantId, "INSERT INTO closing_days (tenant_id, date) VALUES ($1, '2031-10-01')", [
      a.tenantId,
    ]);
    expect(await db.queryInTenant(a.tenantId, CLOSING_DAY, [a.tenantId, '2031-10-01'])).toEqual([
      { date: '2031-10-01' },
    ]);
    // Row-level security, as in withTenant: the other tenant sees nothing, and cannot write into a.
    expect(await db.queryInTenant(b.tenantId, 'SELECT date FROM closing_days')).toEqual([]);
    await expect(
      db.queryInTenant(b.tenantId, "INSERT INTO closing_days (tenant_id, date) VALUES ($1, '2031-10-02')", [
        a.tenantId,
      ]),
    ).rejects.toThrow(/row-level security/);
  });

  it('rejects a failing statement and leaves the connection usable, with no tenant left set', async () => {
    const db = await testDatabase();
    const { tenantId } = await makeTenant(db);
    for (let i = 0; i < 25; i++) {
      await expect(db.queryInTenant(tenantId, 'SELECT 1 / 0')).rejects.toThrow(/division by zero/);
    }
    const rows = await Promise.all(
      Array.from({ length: 25 }, () => db.queryInTenant<{ n: number }>(tenantId, 'SELECT 1 AS n')),
    );
    expect(rows.flat()).toEqual(Array.from({ length: 25 }, () => ({ n: 1 })));
    expect(await db.app.query("SELECT current_setting('app.tenant_id', true) AS t")).not.toContainEqual({
      t: tenantId,
    });
  });

  it('rejects a tenant id that is not a uuid before any SQL runs', async () => {
    const db = await testDatabase();
    await expect(db.queryInTenant("x'; DROP TABLE users; --", 'SELECT 1')).rejects.toThrow(/not a uuid/);
  });
});
