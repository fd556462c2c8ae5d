// The nightly purge: read notifications older than the retention go, of every tenant; unread ones
// and recent read ones stay, and the bell's list no longer shows what went.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/database.js';
import { makeTenant, type TestTenant, type TestUser, testDatabase } from '../../test/harness.js';
import { NOTIFICATION_RETENTION_DAYS, purgeNotificationsJob, purgeReadNotifications } from './notifications.jobs.js';
import { listNotifications, markRead, notify } from './notifications.service.js';

const DAY = 86_400_000;
const now = new Date('2031-06-01T00:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * DAY);

let db: Database;
let a: TestTenant;
let b: TestTenant;
let aUser: TestUser;
let bUser: TestUser;

beforeAll(async () => {
  db = await testDatabase();
  a = await makeTenant(db);
  b = await makeTenant(db);
  aUser = await a.user('operator');
  bUser = await b.user('operator');
});

/** Adds one notification made `age` days before now, read `readAge` days before now (or unread). */
async function add(t: TestTenant, u: TestUser, label: string, age: number, readAge: number | null) {
  await db.withTenant(t.tenantId, (tx) =>
    notify(
      tx,
      [{ userId: u.userId, kind: 'test.purge', messageKey: 'object.notification', dedupeKey: label }],
      daysAgo(age),
    ),
  );
  const [row] = await db.withTenant(t.tenantId, (tx) =>
    tx.query<{ id: string }>('SELECT id FROM notifications WHERE tenant_id = $1 AND dedupe_key = $2', [
      t.tenantId,
      label,
    ]),
  );
  if (!row) throw new Error('not added');
  if (readAge !== null) {
    await markRead(db, { tenantId: t.tenantId, userId: u.userId, now: daysAgo(readAge) }, 'ja', row.id);
  }
  return row.id;
}

async function ids(t: TestTenant, u: TestUser): Promise<string[]> {
  const list = await listNotifications(db, { tenantId: t.tenantId, userId: u.userId, now }, 'ja', { limit: 100 });
  return list.items.map((n) => n.id);
}

describe('notifications.purge', () => {
  it(`deletes read notifications older than ${NOTIFICATION_RETENTION_DAYS} days, of every tenant, and nothing else`, async () => {
    const N = NOTIFICATION_RETENTION_DAYS;
    const oldRead = await add(a, aUser, 'old-read', N + 1, N);
    const oldUnread = await add(a, aUser, 'old-unread', N + 30, null);
    const recentRead = await add(a, aUser, 'recent-read', N - 1, N - 2);
    const edge = await add(a, aUser, 'edge', N, 1);
    const bOldRead = await add(b, bUser, 'b-old-read', N + 10, 2);
    const bRecent = await add(b, bUser, 'b-recent', 3, 1);

    expect(await purgeReadNotifications(db, now)).toBe(2);
    expect((await ids(a, aUser)).sort()).toEqual([oldUnread, recentRead, edge].sort());
    expect(await ids(b, bUser)).toEqual([bRecent]);
    expect(await ids(a, aUser)).not.toContain(oldRead);
    expect(await ids(b, bUser)).not.toContain(bOldRead);
    // Again: nothing left to delete.
    expect(await purgeReadNotifications(db, now)).toBe(0);
    // A shorter retention takes the ones read and older than it.
    expect(await purgeReadNotifications(db, now, 2)).toBe(3);
    expect(await ids(a, aUser)).toEqual([oldUnread]);
    expect(await ids(b, bUser)).toEqual([]);
  });

  it('is a job whose output is the count, on the clock it is given', async () => {
    await add(a, aUser, 'job-old-read', NOTIFICATION_RETENTION_DAYS + 5, 1);
    const out = await purgeNotificationsJob.handler({}, {
      db,
      clock: { now: () => now },
    } as unknown as Parameters<typeof purgeNotificationsJob.handler>[1]);
    expect(out).toEqual({ deleted: 1 });
  });
});
