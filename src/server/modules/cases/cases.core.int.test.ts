// The seed 001 path on both databases (PostgreSQL and the embedded PGlite): escalate, watch the
// board, the alarm, the bell, a FAQ suggestion and an article drafted from the case.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.js';
import { auth, makeTenant, testApp, testDatabase } from '../../test/harness.js';
import { runCaseAlarms } from './cases.alarms.js';
import { escalate, makeInteraction, session, signIn } from './cases.test-util.js';

describe('cases on this database', () => {
  it('escalates, goes overdue on the board, alarms once, and feeds the FAQ', async () => {
    const clock = new ManualClock(new Date('2030-05-01T10:00:00+09:00'));
    const app = await testApp({ clock });
    const t = await makeTenant(app);
    const engineer = await t.user('technician', { name: '技術 一郎' });
    const operator = await t.token('operator');

    const i = await makeInteraction(app, operator, { subject: 'ルーターが再起動を繰り返す' });
    const c = await escalate(app, operator, i.id, {
      assigneeId: engineer.userId,
      dueAt: '2030-05-01T11:00:00+09:00',
      note: 'ファームウェア更新で改善',
    });
    clock.advance(2 * 3_600_000);
    const board = await app.inject({ method: 'GET', url: '/api/v1/cases/board', headers: auth(operator) });
    expect(board.json().overdue).toBe(1);

    const db = await testDatabase();
    const run = () => runCaseAlarms({ db, clock, config: { smtpUrl: undefined }, jobs: null });
    expect(await run()).toMatchObject({ tenants: 1, cases: 1, notifications: 1 });
    expect(await run()).toMatchObject({ tenants: 0, cases: 0 });
    const s = await signIn(app, engineer);
    const bell = await app.inject({ method: 'GET', url: '/api/v1/notifications?unread=true', headers: session(s) });
    expect(bell.json().items.map((n: { kind: string }) => n.kind)).toEqual(['case.overdue', 'case.assigned']);

    const draft = await app.inject({ method: 'POST', url: `/api/v1/cases/${c.id}/faq`, headers: auth(t.adminToken) });
    expect(draft.statusCode, draft.body).toBe(201);
    await app.inject({
      method: 'PATCH',
      url: `/api/v1/faq/${draft.json().id}`,
      headers: auth(t.adminToken),
      payload: { published: true, keywords: ['ルーター', '再起動'] },
    });
    const hits = await app.inject({
      method: 'GET',
      url: `/api/v1/faq/suggest?text=${encodeURIComponent('ﾙｰﾀｰが勝手に再起動する')}`,
      headers: auth(operator),
    });
    expect(hits.json().items.map((h: { id: string }) => h.id)).toEqual([draft.json().id]);
  });
});
