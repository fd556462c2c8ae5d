// Cases: escalating an interaction, reading and changing a case with its history, lists.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.js';
import { crossTenantKit } from '../../test/cross-tenant.js';
import { auth, makeTenant, type TestApp, type TestTenant, type TestUser, testApp } from '../../test/harness.js';
import { escalate, makeInteraction, session, signIn } from './cases.test-util.js';

const T0 = new Date('2030-04-01T09:00:00+09:00');
const HOUR = 3_600_000;
const clock = new ManualClock(T0);
let app: TestApp;
let t: TestTenant;
let engineer: TestUser;
let sales: TestUser;
let groupId: string;

const at = (ms: number) => new Date(T0.getTime() + ms).toISOString();

beforeAll(async () => {
  app = await testApp({ clock });
  t = await makeTenant(app);
  engineer = await t.user('technician', { name: '技術 一郎' });
  sales = await t.user('closer', { name: '営業 花子' });
  const g = await app.inject({
    method: 'POST',
    url: '/api/v1/escalation-groups',
    headers: auth(t.adminToken),
    payload: { name: 'クライアント技術部', memberIds: [engineer.userId] },
  });
  expect(g.statusCode, g.body).toBe(201);
  groupId = g.json().id;
});

async function history(caseId: string, token = t.adminToken) {
  const res = await app.inject({ method: 'GET', url: `/api/v1/cases/${caseId}/history`, headers: auth(token) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items as { kind: string; from: string | null; to: string | null; toName: string | null }[];
}

async function patch(caseId: string, payload: unknown, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'PATCH',
    url: `/api/v1/cases/${caseId}`,
    headers: { ...auth(t.adminToken), ...headers },
    payload: payload as object,
  });
}

describe('POST /interactions/:id/escalate', () => {
  it('opens a case, sets the interaction escalated and starts the history', async () => {
    const operator = await t.token('operator');
    const i = await makeInteraction(app, operator, { subject: 'プリンタに接続できない' });
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/interactions/${i.id}/escalate`,
      headers: auth(operator),
      payload: { assigneeId: engineer.userId, dueAt: at(2 * HOUR), note: 'ドライバの再インストールでも解決せず' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect(res.headers.etag).toBe('"1"');
    expect(res.headers.location).toBe(`/api/v1/cases/${c.id}`);
    expect(c).toMatchObject({
      interactionId: i.id,
      customer: { id: i.customerId, name: '山田 太郎' },
      title: 'プリンタに接続できない',
      note: 'ドライバの再インストールでも解決せず',
      status: 'open',
      assignee: { id: engineer.userId, name: '技術 一郎' },
      group: null,
      supervisor: null,
      dueAt: at(2 * HOUR),
      overdue: false,
      alarmedDueAt: null,
      createdAt: T0.toISOString(),
      version: 1,
    });
    expect(c.number).toBeGreaterThan(0);

    const interaction = await app.inject({
      method: 'GET',
      url: `/api/v1/interactions/${i.id}`,
      headers: auth(operator),
    });
    expect(interaction.json().status).toBe('escalated');
    const iEvents = await app.inject({
      method: 'GET',
      url: `/api/v1/interactions/${i.id}/events`,
      headers: auth(operator),
    });
    expect(iEvents.json().items).toContainEqual(
      expect.objectContaining({ field: 'status', from: 'in_progress', to: 'escalated', at: T0.toISOString() }),
    );

    const events = await history(c.id);
    expect(events.map((e) => [e.kind, e.from, e.to])).toEqual([
      ['created', null, 'open'],
      ['assignee', null, engineer.userId],
      ['due', null, at(2 * HOUR)],
      ['note', null, 'ドライバの再インストールでも解決せず'],
    ]);
    expect(events[1]?.toName).toBe('技術 一郎');

    const auditRes = await app.inject({
      method: 'GET',
      url: `/api/v1/audit?objectType=case&objectId=${c.id}`,
      headers: auth(t.adminToken),
    });
    expect(auditRes.json().items.map((a: { action: string }) => a.action)).toEqual(['case.create']);
  });

  it('numbers cases per tenant and escalates to a group', async () => {
    const i1 = await makeInteraction(app, t.adminToken);
    const i2 = await makeInteraction(app, t.adminToken);
    const a = await escalate(app, t.adminToken, i1.id, { groupId, dueAt: at(HOUR), title: '接続不良' });
    const b = await escalate(app, t.adminToken, i2.id, { groupId, assigneeId: sales.userId, dueAt: at(HOUR) });
    expect(b.number).toBe(a.number + 1);
    expect(a).toMatchObject({ title: '接続不良', group: { id: groupId, name: 'クライアント技術部' }, assignee: null });
    expect(b).toMatchObject({ group: { id: groupId }, assignee: { id: sales.userId } });
  });

  it('refuses what makes no case: no one to go to, a due time passed, people not of the tenant', async () => {
    const i = await makeInteraction(app, t.adminToken);
    const other = await makeTenant(app);
    const stranger = await other.user('technician');
    const cases: [Record<string, unknown>, string, string][] = [
      [{ dueAt: at(HOUR) }, 'assigneeId', 'required'],
      [{ assigneeId: engineer.userId, dueAt: at(0) }, 'dueAt', 'in_past'],
      [{ assigneeId: stranger.userId, dueAt: at(HOUR) }, 'assigneeId', 'not_found'],
      [{ groupId: randomUUID(), dueAt: at(HOUR) }, 'groupId', 'not_found'],
      [{ assigneeId: engineer.userId, supervisorId: randomUUID(), dueAt: at(HOUR) }, 'supervisorId', 'not_found'],
    ];
    for (const [payload, path, code] of cases) {
      const res = await app.inject({
        method: 'POST',
        url: `/api/v1/interactions/${i.id}/escalate`,
        headers: auth(t.adminToken),
        payload,
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().errors).toEqual([expect.objectContaining({ path, code })]);
    }
    const stillOpen = await app.inject({
      method: 'GET',
      url: `/api/v1/interactions/${i.id}`,
      headers: auth(t.adminToken),
    });
    expect(stillOpen.json().status).toBe('in_progress');

    const theirs = await makeInteraction(app, other.adminToken);
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/interactions/${theirs.id}/escalate`,
      headers: auth(t.adminToken),
      payload: { assigneeId: engineer.userId, dueAt: at(HOUR) },
    });
    expect(res.statusCode).toBe(404);
  });

  it('allows one open case per interaction, and a new one once it is resolved', async () => {
    const i = await makeInteraction(app, t.adminToken);
    const first = await escalate(app, t.adminToken, i.id, { assigneeId: engineer.userId, dueAt: at(HOUR) });
    const again = await app.inject({
      method: 'POST',
      url: `/api/v1/interactions/${i.id}/escalate`,
      headers: auth(t.adminToken),
      payload: { assigneeId: sales.userId, dueAt: at(HOUR) },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('cases.already_open');
    expect((await patch(first.id, { status: 'resolved' })).statusCode).toBe(200);
    const second = await escalate(app, t.adminToken, i.id, { assigneeId: sales.userId, dueAt: at(HOUR) });
    expect(second.id).not.toBe(first.id);
  });
});

describe('PATCH /cases/:id', () => {
  it('changes status, people and due time with If-Match, one history row per change', async () => {
    const i = await makeInteraction(app, t.adminToken);
    const c = await escalate(app, t.adminToken, i.id, { assigneeId: engineer.userId, dueAt: at(HOUR) });
    const res = await patch(
      c.id,
      { status: 'in_progress', assigneeId: sales.userId, groupId, dueAt: at(3 * HOUR), comment: '先方に確認中' },
      { 'if-match': '"1"' },
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers.etag).toBe('"2"');
    expect(res.json()).toMatchObject({
      status: 'in_progress',
      assignee: { id: sales.userId },
      group: { id: groupId },
      dueAt: at(3 * HOUR),
      version: 2,
    });
    const stale = await patch(c.id, { status: 'waiting' }, { 'if-match': '"1"' });
    expect(stale.statusCode).toBe(412);

    const events = (await history(c.id)).slice(3);
    expect(events.map((e) => [e.kind, e.from, e.to])).toEqual([
      ['status', 'open', 'in_progress'],
      ['assignee', engineer.userId, sales.userId],
      ['group', null, groupId],
      ['due', at(HOUR), at(3 * HOUR)],
      ['comment', null, '先方に確認中'],
    ]);
    expect(events[1]).toMatchObject({ toName: '営業 花子' });
    expect(events[2]).toMatchObject({ toName: 'クライアント技術部' });

    // Nothing changed: no new version, no history.
    const same = await patch(c.id, { status: 'in_progress' }, { 'if-match': '"2"' });
    expect(same.json().version).toBe(2);
  });

  it('resolves, reopens and closes; a closed case takes comments only', async () => {
    const i = await makeInteraction(app, t.adminToken);
    const c = await escalate(app, t.adminToken, i.id, { assigneeId: engineer.userId, dueAt: at(HOUR) });
    const resolved = (await patch(c.id, { status: 'resolved' })).json();
    expect(resolved).toMatchObject({ status: 'resolved', resolvedAt: T0.toISOString(), closedAt: null });
    expect((await patch(c.id, { status: 'resolved' })).statusCode).toBe(200);
    const reopened = (await patch(c.id, { status: 'in_progress' })).json();
    expect(reopened).toMatchObject({ status: 'in_progress', resolvedAt: null });
    const closed = (await patch(c.id, { status: 'closed' })).json();
    expect(closed.closedAt).toBe(T0.toISOString());
    for (const body of [{ status: 'open' }, { title: '別件' }, { dueAt: at(5 * HOUR) }]) {
      const res = await patch(c.id, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(409);
      expect(res.json().code).toBe('cases.closed');
    }
    expect((await patch(c.id, { comment: 'お客様より御礼の連絡あり' })).statusCode).toBe(200);
    expect((await history(c.id)).at(-1)).toMatchObject({ kind: 'comment', to: 'お客様より御礼の連絡あり' });
  });

  it('refuses no one to go to, a due time passed, a status that cannot follow', async () => {
    const i = await makeInteraction(app, t.adminToken);
    const c = await escalate(app, t.adminToken, i.id, { assigneeId: engineer.userId, dueAt: at(HOUR) });
    const none = await patch(c.id, { assigneeId: null });
    expect(none.statusCode).toBe(400);
    expect(none.json().errors[0]).toMatchObject({ path: 'assigneeId', code: 'required' });
    const past = await patch(c.id, { dueAt: at(-HOUR) });
    expect(past.json().errors[0]).toMatchObject({ path: 'dueAt', code: 'in_past' });
    expect((await patch(c.id, { status: 'closed' })).statusCode).toBe(200);
    const bad = await patch(c.id, { status: 'bogus' });
    expect(bad.statusCode).toBe(400);
  });

  it('lets the people a case goes to work it (a technician signed in), not a client viewer', async () => {
    const i = await makeInteraction(app, t.adminToken);
    const c = await escalate(app, t.adminToken, i.id, { assigneeId: engineer.userId, dueAt: at(HOUR) });
    const s = await signIn(app, engineer);
    const res = await app.inject({
      method: 'PATCH',
      url: `/api/v1/cases/${c.id}`,
      headers: session(s),
      payload: { status: 'in_progress', comment: '再現しました' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const events = await app.inject({ method: 'GET', url: `/api/v1/cases/${c.id}/history`, headers: session(s) });
    const last = events.json().items.at(-1);
    expect(last.actor).toMatchObject({ type: 'user', id: engineer.userId, name: '技術 一郎' });

    const viewer = await t.token('client_viewer');
    for (const url of ['/api/v1/cases', `/api/v1/cases/${c.id}`, '/api/v1/cases/board']) {
      expect((await app.inject({ method: 'GET', url, headers: auth(viewer) })).statusCode).toBe(403);
    }
    const technician = await t.token('technician');
    const escalateRes = await app.inject({
      method: 'POST',
      url: `/api/v1/interactions/${i.id}/escalate`,
      headers: auth(technician),
      payload: { assigneeId: engineer.userId, dueAt: at(HOUR) },
    });
    expect(escalateRes.statusCode).toBe(403);
  });
});

describe('GET /cases', () => {
  it('filters by status, assignee, group, interaction and pages in due order', async () => {
    const u = await t.user('technician');
    const g = await app.inject({
      method: 'POST',
      url: '/api/v1/escalation-groups',
      headers: auth(t.adminToken),
      payload: { name: `営業部 ${randomUUID().slice(0, 6)}`, memberIds: [u.userId] },
    });
    const gid = g.json().id as string;
    const made: string[] = [];
    for (const hours of [5, 2, 4, 3]) {
      const i = await makeInteraction(app, t.adminToken);
      made.push(
        (await escalate(app, t.adminToken, i.id, { assigneeId: u.userId, groupId: gid, dueAt: at(hours * HOUR) })).id,
      );
    }
    await patch(made[3] as string, { status: 'waiting' });
    const ids = async (query: string) => {
      const items: { id: string }[] = [];
      let cursor: string | null = null;
      do {
        const url: string = `/api/v1/cases?${query}&limit=1${cursor ? `&cursor=${cursor}` : ''}`;
        const res = await app.inject({ method: 'GET', url, headers: auth(t.adminToken) });
        expect(res.statusCode, res.body).toBe(200);
        items.push(...res.json().items);
        cursor = res.json().nextCursor;
      } while (cursor);
      return items.map((x) => x.id);
    };
    expect(await ids(`assigneeId=${u.userId}`)).toEqual([made[1], made[3], made[2], made[0]]);
    expect(await ids(`groupId=${gid}&status=waiting`)).toEqual([made[3]]);
    expect(await ids(`groupId=${gid}&status=open,waiting`)).toEqual([made[1], made[3], made[2], made[0]]);
    const first = await app.inject({ method: 'GET', url: `/api/v1/cases/${made[0]}`, headers: auth(t.adminToken) });
    expect(await ids(`interactionId=${first.json().interactionId}`)).toEqual([made[0]]);
    const forged = await app.inject({ method: 'GET', url: '/api/v1/cases?cursor=bm9wZQ', headers: auth(t.adminToken) });
    expect(forged.statusCode).toBe(400);
  });

  it('exports the open cases as CSV for Excel', async () => {
    const i = await makeInteraction(app, t.adminToken);
    const c = await escalate(app, t.adminToken, i.id, {
      assigneeId: engineer.userId,
      dueAt: at(HOUR),
      title: '=危険な件名',
    });
    const res = await app.inject({ method: 'GET', url: '/api/v1/cases/export', headers: auth(t.adminToken) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const text = res.body.replace(/^\uFEFF/, '');
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(
      '案件番号,状態,件名,顧客コード,顧客名,担当者,エスカレーション先,期限,期限超過,作成日時,更新日時,内容',
    );
    const row = lines.find((l) => l.startsWith(`${c.number},`));
    expect(row).toContain(",未着手,'=危険な件名,");
    expect(row).toContain('2030/04/01 10:00');
    const operator = await t.token('operator');
    expect((await app.inject({ method: 'GET', url: '/api/v1/cases/export', headers: auth(operator) })).statusCode).toBe(
      403,
    );
  });
});

describe('customer merge', () => {
  it("moves the merged customer's cases to the kept one", async () => {
    const kept = await makeInteraction(app, t.adminToken);
    const merged = await makeInteraction(app, t.adminToken);
    const c = await escalate(app, t.adminToken, merged.id, { assigneeId: engineer.userId, dueAt: at(HOUR) });
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/customers/merge',
      headers: auth(t.adminToken),
      payload: { keepId: kept.customerId, mergeId: merged.customerId },
    });
    expect(res.statusCode, res.body).toBe(200);
    const after = await app.inject({ method: 'GET', url: `/api/v1/cases/${c.id}`, headers: auth(t.adminToken) });
    expect(after.json().customer.id).toBe(kept.customerId);
    const listed = await app.inject({
      method: 'GET',
      url: `/api/v1/cases?customerId=${kept.customerId}`,
      headers: auth(t.adminToken),
    });
    expect(listed.json().items.map((x: { id: string }) => x.id)).toEqual([c.id]);
  });
});

describe('cross-tenant', () => {
  it('keeps cases, their history and their FAQ draft to their tenant', async () => {
    const b = await makeTenant(app);
    const kit = crossTenantKit(app, t, b);
    await kit.expectIsolated({
      create: async (token) => {
        const users = token === t.adminToken ? engineer : await b.user('technician');
        const i = await makeInteraction(app, token);
        return (await escalate(app, token, i.id, { assigneeId: users.userId, dueAt: at(HOUR) })).id;
      },
      read: (id) => `/api/v1/cases/${id}`,
      list: '/api/v1/cases',
      writes: (id) => [
        { method: 'PATCH', url: `/api/v1/cases/${id}`, payload: { status: 'closed' } },
        { method: 'GET', url: `/api/v1/cases/${id}/history` },
        { method: 'POST', url: `/api/v1/cases/${id}/faq`, payload: {} },
      ],
    });
  });
});
