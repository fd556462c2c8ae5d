// uuid_v7() (migration 0020) and the ids of the rows written with every order: time-ordered, so
// that today's keys go to the right edge of their indexes.
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { makeTenant, testDatabase } from '../test/harness.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** The Unix milliseconds a version 7 id starts with. */
const millis = (id: string) => Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);

describe('uuid_v7()', () => {
  it('starts with the given millisecond, has version 7 and the RFC variant, and random bits after', async () => {
    const db = await testDatabase();
    const { tenantId } = await makeTenant(db);
    const rows = (await db.withTenant(tenantId, (tx) =>
      tx.query(
        `SELECT uuid_v7('2026-12-04T01:02:03.456Z')::text AS a, uuid_v7('2026-12-04T01:02:03.456Z')::text AS b,
                uuid_v7('1970-01-01T00:00:00.001Z')::text AS early, uuid_v7()::text AS now`,
      ),
    )) as { a: string; b: string; early: string; now: string }[];
    const { a, b, early, now } = rows[0] as (typeof rows)[0];
    for (const id of [a, b, early, now]) expect(id).toMatch(V7);
    expect(millis(a)).toBe(Date.parse('2026-12-04T01:02:03.456Z'));
    expect(millis(early)).toBe(1);
    expect(Math.abs(millis(now) - Date.now())).toBeLessThan(60_000);
    // Same millisecond, different ids; and they sort by time as the application's do.
    expect(a).not.toBe(b);
    expect(a.slice(0, 13)).toBe(b.slice(0, 13));
    expect([now, early, a].sort()).toEqual([early, a, now]);
    expect(uuidv7() > a).toBe(true);
  });

  it('is the default id of orders, their events and 対応履歴', async () => {
    const db = await testDatabase();
    const { tenantId } = await makeTenant(db);
    const rows = (await db.withTenant(tenantId, (tx) =>
      tx.query(
        `SELECT table_name::text AS t, column_default::text AS d FROM information_schema.columns
          WHERE table_schema = 'public' AND column_name = 'id' AND table_name IN ('orders', 'order_events', 'interactions')
          ORDER BY 1`,
      ),
    )) as { t: string; d: string }[];
    expect(rows).toEqual([
      { t: 'interactions', d: 'uuid_v7()' },
      { t: 'order_events', d: 'uuid_v7()' },
      { t: 'orders', d: 'uuid_v7()' },
    ]);
  });
});
