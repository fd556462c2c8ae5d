// In-app notifications: a user's own, read one or all, the unread count; tokens have no inbox.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { auth, makeTenant, type TestApp, type TestTenant, type TestUser, testApp } from '../../test/harness.js';
import { escalate, makeInteraction, type Session, session, signIn } from '../cases/cases.test-util.js';

let app: TestApp;
let t: TestTenant;
let engineer: TestUser;
let s: Session;

beforeAll(async () => {
  app = await testApp();
  t = await makeTenant(app);
  engineer = await t.user('technician', { name: '技術 一郎', locale: 'en' });
  s = await signIn(app, engineer);
});

const due = () => new Date(Date.now() + 3_600_000).toISOString();

async function get(url: string, who: Session = s, lang = 'ja') {
  const res = await app.inject({ method: 'GET', url, headers: { ...session(who), 'accept-language': lang } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

async function post(url: string, who: Session = s) {
  return app.inject({ method: 'POST', url, headers: session(who) });
}

describe('notifications', () => {
  it("tells the people a case goes to, in the reader's language; read one, then all", async () => {
    const before = (await get('/api/v1/notifications/unread-count')).count as number;
    const made: { id: string; number: number }[] = [];
    for (let n = 0; n < 3; n++) {
      const i = await makeInteraction(app, t.adminToken, { subject: `件名 ${n}` });
      made.push(await escalate(app, t.adminToken, i.id, { assigneeId: engineer.userId, dueAt: due() }));
    }
    expect((await get('/api/v1/notifications/unread-count')).count).toBe(before + 3);

    const ja = await get('/api/v1/notifications?unread=true&limit=2');
    expect(ja.items).toHaveLength(2);
    expect(ja.items[0]).toMatchObject({
      kind: 'case.assigned',
      objectType: 'case',
      objectId: made[2]?.id,
      link: `/cases/${made[2]?.id}`,
      readAt: null,
    });
    expect(ja.items[0].message).toMatch(
      new RegExp(
        `^案件 #${made[2]?.number}「件名 2」が割り当てられました \\(期限 \\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}\\)。$`,
      ),
    );
    const next = await get(`/api/v1/notifications?unread=true&limit=2&cursor=${ja.nextCursor}`);
    expect(next.items[0].objectId).toBe(made[0]?.id);
    const en = await get('/api/v1/notifications?limit=1', s, 'en');
    expect(en.items[0].message).toMatch(new RegExp(`^Case #${made[2]?.number} "件名 2" was assigned to you`));

    const one = await post(`/api/v1/notifications/${ja.items[0].id}/read`);
    expect(one.statusCode, one.body).toBe(200);
    expect(one.json().readAt).not.toBeNull();
    const again = await post(`/api/v1/notifications/${ja.items[0].id}/read`);
    expect(again.json().readAt).toBe(one.json().readAt);
    expect((await get('/api/v1/notifications/unread-count')).count).toBe(before + 2);
    const unread = await get('/api/v1/notifications?unread=true&limit=500');
    expect(unread.items.map((n: { id: string }) => n.id)).not.toContain(ja.items[0].id);
    const all = await get('/api/v1/notifications?limit=500');
    expect(all.items.map((n: { id: string }) => n.id)).toContain(ja.items[0].id);

    const readAll = await post('/api/v1/notifications/read-all');
    expect(readAll.json()).toEqual({ updated: before + 2 });
    expect((await get('/api/v1/notifications/unread-count')).count).toBe(0);
    expect((await get('/api/v1/notifications?unread=true')).items).toEqual([]);
  });

  it("does not tell the one who made the change, and shows no one another's", async () => {
    const supervisor = await t.user('supervisor');
    const sup = await signIn(app, supervisor);
    const i = await makeInteraction(app, t.adminToken);
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/interactions/${i.id}/escalate`,
      headers: session(sup),
      payload: { assigneeId: supervisor.userId, dueAt: due() },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect((await get('/api/v1/notifications', sup)).items).toEqual([]);

    const other = await makeTenant(app);
    const theirs = await other.user('technician');
    const i2 = await makeInteraction(app, other.adminToken);
    await escalate(app, other.adminToken, i2.id, { assigneeId: theirs.userId, dueAt: due() });
    const theirSession = await signIn(app, theirs);
    const theirItems = (await get('/api/v1/notifications', theirSession)).items as { id: string }[];
    expect(theirItems).toHaveLength(1);
    const mine = (await get('/api/v1/notifications?limit=500')).items as { id: string }[];
    expect(mine.map((n) => n.id)).not.toContain(theirItems[0]?.id);
    // Another user's (or tenant's) notification is a 404, like one that does not exist.
    for (const id of [theirItems[0]?.id, randomUUID()]) {
      const r = await post(`/api/v1/notifications/${id}/read`);
      expect(r.statusCode).toBe(404);
      expect(r.json().code).toBe('not_found');
    }
    expect((await get('/api/v1/notifications/unread-count', theirSession)).count).toBe(1);
  });

  it('answers an API token 403: a token has no inbox', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/notifications'],
      ['GET', '/api/v1/notifications/unread-count'],
      ['POST', '/api/v1/notifications/read-all'],
      ['POST', `/api/v1/notifications/${randomUUID()}/read`],
    ] as const) {
      const res = await app.inject({ method, url, headers: auth(t.adminToken) });
      expect(res.statusCode, url).toBe(403);
      expect(res.json().code).toBe('auth.session_required');
    }
  });

  it('is open to every signed-in role, a client viewer too', async () => {
    const viewer = await t.user('client_viewer');
    expect((await get('/api/v1/notifications/unread-count', await signIn(app, viewer))).count).toBe(0);
  });
});
