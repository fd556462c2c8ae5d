// The status-watch board and the overdue list follow the application's clock, not the database's.
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.js';
import { auth, makeTenant, type TestApp, type TestTenant, type TestUser, testApp } from '../../test/harness.js';
import { escalate, makeInteraction } from './cases.test-util.js';

// Years ahead of the database's now(): an overdue flag computed from now() would be wrong here.
const T0 = new Date('2031-06-02T10:00:00+09:00');
const MIN = 60_000;
const clock = new ManualClock(T0);
let app: TestApp;
let t: TestTenant;
let engineer: TestUser;

type BoardItem = { id: string; status: string; overdue: boolean; ageSeconds: number; overdueSeconds: number };
type Board = {
  now: string;
  total: number;
  overdue: number;
  columns: { status: string; count: number; overdue: number; items: BoardItem[] }[];
};

beforeAll(async () => {
  app = await testApp({ clock });
  t = await makeTenant(app);
  engineer = await t.user('technician');
});

async function board(query = ''): Promise<Board> {
  const res = await app.inject({ method: 'GET', url: `/api/v1/cases/board${query}`, headers: auth(t.adminToken) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const column = (b: Board, status: string) => b.columns.find((c) => c.status === status);

describe('GET /cases/board', () => {
  it('shows open cases by status with age, overdue by the clock, and counts', async () => {
    clock.set(T0);
    const due = (minutes: number) => new Date(T0.getTime() + minutes * MIN).toISOString();
    const made: Record<string, string> = {};
    for (const [name, minutes] of [
      ['soon', 30],
      ['later', 120],
      ['waiting', 60],
      ['done', 10],
    ] as const) {
      const i = await makeInteraction(app, t.adminToken);
      made[name] = (await escalate(app, t.adminToken, i.id, { assigneeId: engineer.userId, dueAt: due(minutes) })).id;
    }
    const setStatus = (id: string, status: string) =>
      app.inject({ method: 'PATCH', url: `/api/v1/cases/${id}`, headers: auth(t.adminToken), payload: { status } });
    await setStatus(made.waiting as string, 'waiting');
    await setStatus(made.done as string, 'resolved');

    let b = await board();
    expect(b.now).toBe(T0.toISOString());
    expect(b.columns.map((c) => [c.status, c.count, c.overdue])).toEqual([
      ['open', 2, 0],
      ['in_progress', 0, 0],
      ['waiting', 1, 0],
    ]);
    expect(b.total).toBe(3);
    expect(column(b, 'open')?.items.map((x) => x.id)).toEqual([made.soon, made.later]);
    expect(JSON.stringify(b)).not.toContain(made.done as string);

    // 45 minutes on: the 30-minute case is overdue by 15 minutes, the 60-minute one not yet.
    clock.advance(45 * MIN);
    b = await board();
    const soon = column(b, 'open')?.items.find((x) => x.id === made.soon);
    expect(soon).toMatchObject({ overdue: true, ageSeconds: 45 * 60, overdueSeconds: 15 * 60 });
    expect(column(b, 'open')?.items.find((x) => x.id === made.later)).toMatchObject({
      overdue: false,
      overdueSeconds: 0,
    });
    expect(b.overdue).toBe(1);

    clock.advance(30 * MIN);
    b = await board();
    expect(b.columns.map((c) => [c.status, c.overdue])).toEqual([
      ['open', 1],
      ['in_progress', 0],
      ['waiting', 1],
    ]);

    const overdue = await app.inject({ method: 'GET', url: '/api/v1/cases?overdue=true', headers: auth(t.adminToken) });
    expect(overdue.json().items.map((c: { id: string }) => c.id)).toEqual([made.soon, made.waiting]);
    const notOverdue = await app.inject({
      method: 'GET',
      url: '/api/v1/cases?overdue=false&status=open',
      headers: auth(t.adminToken),
    });
    expect(notOverdue.json().items.map((c: { id: string }) => c.id)).toEqual([made.later]);

    // A new due time takes the case off the overdue list.
    const moved = await app.inject({
      method: 'PATCH',
      url: `/api/v1/cases/${made.soon}`,
      headers: auth(t.adminToken),
      payload: { dueAt: new Date(clock.now().getTime() + 60 * MIN).toISOString() },
    });
    expect(moved.json().overdue).toBe(false);
    expect((await board()).overdue).toBe(1);
  });

  it('filters by assignee and limits each column, the counts covering all', async () => {
    clock.set(T0);
    const other = await t.user('technician');
    for (let n = 0; n < 3; n++) {
      const i = await makeInteraction(app, t.adminToken);
      await escalate(app, t.adminToken, i.id, {
        assigneeId: other.userId,
        dueAt: new Date(T0.getTime() + (n + 1) * MIN).toISOString(),
      });
    }
    const b = await board(`?assigneeId=${other.userId}&limit=2`);
    expect(column(b, 'open')?.count).toBe(3);
    expect(column(b, 'open')?.items).toHaveLength(2);
    expect(b.total).toBe(3);
  });

  it("shows another tenant's cases to no one", async () => {
    const b = await makeTenant(app);
    const i = await makeInteraction(app, b.adminToken);
    const theirs = await b.user('technician');
    const c = await escalate(app, b.adminToken, i.id, {
      assigneeId: theirs.userId,
      dueAt: new Date(clock.now().getTime() + MIN).toISOString(),
    });
    expect(JSON.stringify(await board())).not.toContain(c.id);
  });
});
