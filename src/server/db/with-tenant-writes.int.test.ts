// The server database's connection in withTenant: what goes over the socket (PGlite has none, so
// this file runs in the `integration` project only).
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { makeTenant, testDatabase } from '../test/harness.js';

describe('withTenant on a server', () => {
  it('runs with JIT off, for the application and the owner alike', async () => {
    const db = await testDatabase();
    const { tenantId } = await makeTenant(db);
    const [row] = await db.withTenant(tenantId, (tx) =>
      tx.query<{ jit: string }>("SELECT current_setting('jit') AS jit"),
    );
    expect(row?.jit).toBe('off');
    const [owner] = await db.owner.query<{ jit: string }>("SELECT current_setting('jit') AS jit");
    expect(owner?.jit).toBe('off');
  });

  it('sends the statements of a burst in one write to the server, also those sent after an await of nothing', async () => {
    const db = await testDatabase();
    const { tenantId } = await makeTenant(db);
    // A connection open and idle first: opening one writes too.
    await db.withTenant(tenantId, (tx) => tx.query('SELECT 1'));
    // Socket writes of this process while the transaction runs (the PostgreSQL connection's only).
    const proto = net.Socket.prototype as unknown as Record<'_writev' | '_write', (...a: unknown[]) => unknown>;
    const { _writev, _write } = proto;
    let writes = 0;
    proto._writev = function (this: unknown, ...a: unknown[]) {
      writes++;
      return _writev.apply(this, a);
    };
    proto._write = function (this: unknown, ...a: unknown[]) {
      writes++;
      return _write.apply(this, a);
    };
    try {
      const answers = await db.withTenant(tenantId, async (tx) => {
        const first = await Promise.all(Array.from({ length: 10 }, (_, i) => tx.query('SELECT $1::int AS n', [i])));
        const second = await Promise.all(
          Array.from({ length: 5 }, async (_, i) => {
            await null;
            return tx.query('SELECT $1::int AS n', [i]);
          }),
        );
        return [...first, ...second].map((r) => (r[0] as { n: number }).n);
      });
      expect(answers).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4]);
      // BEGIN, the tenant and the first ten; the next five; COMMIT.
      expect(writes).toBe(3);
    } finally {
      proto._writev = _writev;
      proto._write = _write;
    }
  });
});
