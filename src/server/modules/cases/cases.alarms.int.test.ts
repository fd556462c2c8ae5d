// The overdue alarm: exactly once per case and due time (even run twice at once), re-armed by a
// new due time, to the people working the case and the supervisor(s), in-app and by mail through
// the job queue and a real SMTP server.
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.js';
import { startJobs } from '../../platform/jobs/queue.js';
import { createMailer } from '../../platform/mail/mailer.js';
import { onCleanup } from '../../test/cleanup.js';
import {
  auth,
  makeTenant,
  type TestApp,
  type TestTenant,
  type TestUser,
  testApp,
  testConfig,
  testDatabase,
} from '../../test/harness.js';
import { runCaseAlarms } from './cases.alarms.js';
import { CASE_ALARM_CRON, scheduleCaseAlarms } from './cases.jobs.js';
import { escalate, makeInteraction, session, signIn } from './cases.test-util.js';

const T0 = new Date('2030-07-01T09:00:00+09:00');
const MIN = 60_000;
const clock = new ManualClock(T0);
const inbox: ParsedMail[] = [];
let smtp: SMTPServer;
let smtpUrl: string;
let app: TestApp;
let t: TestTenant;
let engineer: TestUser;
let supervisor: TestUser;
let supervisor2: TestUser;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => {
        inbox.push(mail);
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  app = await testApp({ clock });
  t = await makeTenant(app, { name: '株式会社アラーム' });
  engineer = await t.user('technician', { name: '技術 一郎' });
  supervisor = await t.user('supervisor', { name: '監督 花子' });
  supervisor2 = await t.user('supervisor', { name: '監督 次郎', locale: 'en' });
});

afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

const later = (minutes: number) => new Date(clock.now().getTime() + minutes * MIN).toISOString();
/** The alarm called directly, in-app notifications only (no queue, no mail). */
async function alarm() {
  return runCaseAlarms({ db: await testDatabase(), clock, config: { smtpUrl: undefined }, jobs: null });
}

async function notifications(user: TestUser) {
  const s = await signIn(app, user);
  const res = await app.inject({ method: 'GET', url: '/api/v1/notifications', headers: session(s) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items as { kind: string; objectId: string; message: string; params: Record<string, unknown> }[];
}

const alarmsOf = (items: Awaited<ReturnType<typeof notifications>>, caseId: string) =>
  items.filter((n) => n.kind === 'case.overdue' && n.objectId === caseId);

async function alarmEvents(caseId: string) {
  const res = await app.inject({ method: 'GET', url: `/api/v1/cases/${caseId}/history`, headers: auth(t.adminToken) });
  return (res.json().items as { kind: string; to: string }[]).filter((e) => e.kind === 'alarm');
}

describe('case alarm', () => {
  it('alarms an overdue case exactly once, even when two runs race', async () => {
    clock.set(T0);
    const i = await makeInteraction(app, t.adminToken);
    const c = await escalate(app, t.adminToken, i.id, { assigneeId: engineer.userId, dueAt: later(30) });
    expect((await alarm()).cases).toBe(0);

    clock.advance(31 * MIN);
    const [a, b] = await Promise.all([alarm(), alarm()]);
    expect(a.cases + b.cases).toBe(1);
    expect(await alarm()).toMatchObject({ cases: 0 });

    for (const user of [engineer, supervisor, supervisor2]) {
      const mine = alarmsOf(await notifications(user), c.id);
      expect(mine, user.name).toHaveLength(1);
      expect(mine[0]?.params).toMatchObject({ number: c.number, due: '2030/07/01 09:30' });
    }
    expect(alarmsOf(await notifications(engineer), c.id)[0]?.message).toBe(
      `案件 #${c.number}「プリンタに接続できない」が期限 (2030/07/01 09:30) を過ぎました。`,
    );
    expect(await alarmEvents(c.id)).toEqual([expect.objectContaining({ to: c.dueAt })]);
    const read = await app.inject({ method: 'GET', url: `/api/v1/cases/${c.id}`, headers: auth(t.adminToken) });
    expect(read.json()).toMatchObject({ alarmedDueAt: c.dueAt, overdue: true });
  });

  it('re-arms when the due time moves, and leaves finished cases alone', async () => {
    clock.set(T0);
    const i = await makeInteraction(app, t.adminToken);
    const c = await escalate(app, t.adminToken, i.id, { assigneeId: engineer.userId, dueAt: later(10) });
    const done = await escalate(app, t.adminToken, (await makeInteraction(app, t.adminToken)).id, {
      assigneeId: engineer.userId,
      dueAt: later(10),
    });
    await app.inject({
      method: 'PATCH',
      url: `/api/v1/cases/${done.id}`,
      headers: auth(t.adminToken),
      payload: { status: 'resolved' },
    });
    clock.advance(11 * MIN);
    expect((await alarm()).cases).toBe(1);
    const newDue = later(20);
    const moved = await app.inject({
      method: 'PATCH',
      url: `/api/v1/cases/${c.id}`,
      headers: auth(t.adminToken),
      payload: { dueAt: newDue },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect((await alarm()).cases).toBe(0);
    clock.advance(21 * MIN);
    expect((await alarm()).cases).toBe(1);
    expect(await alarm()).toMatchObject({ cases: 0 });
    expect((await alarmEvents(c.id)).map((e) => e.to)).toEqual([c.dueAt, newDue]);
    expect(alarmsOf(await notifications(engineer), c.id)).toHaveLength(2);
    expect(await alarmEvents(done.id)).toEqual([]);
  });

  it("goes to a group's members and to the case's own supervisor when it names one", async () => {
    clock.set(T0);
    const member1 = await t.user('technician');
    const member2 = await t.user('closer');
    const g = await app.inject({
      method: 'POST',
      url: '/api/v1/escalation-groups',
      headers: auth(t.adminToken),
      payload: { name: '営業部', memberIds: [member1.userId, member2.userId] },
    });
    const i = await makeInteraction(app, t.adminToken);
    const c = await escalate(app, t.adminToken, i.id, {
      groupId: g.json().id,
      supervisorId: supervisor2.userId,
      dueAt: later(5),
    });
    clock.advance(6 * MIN);
    expect(await alarm()).toMatchObject({ cases: 1, notifications: 3 });
    for (const user of [member1, member2, supervisor2]) {
      expect(alarmsOf(await notifications(user), c.id), user.email).toHaveLength(1);
    }
    expect(alarmsOf(await notifications(supervisor), c.id)).toHaveLength(0);
    expect(alarmsOf(await notifications(engineer), c.id)).toHaveLength(0);
  });

  it('mails each person through the job queue, scheduled every minute', async () => {
    clock.set(T0);
    const config = testConfig({ JOBS: '1', SMTP_URL: smtpUrl, PUBLIC_URL: 'https://crm.example.jp' });
    const db = await testDatabase();
    const jobs = await startJobs({
      db,
      config,
      clock,
      mailer: createMailer(config),
      log: { info() {}, warn() {}, error() {} },
      tuning: { pollingIntervalSeconds: 0.5 },
    });
    onCleanup(() => jobs.stop());
    await scheduleCaseAlarms(jobs);
    expect(await jobs.schedules()).toContainEqual({
      name: 'cases.alarm',
      cron: CASE_ALARM_CRON,
      timezone: 'Asia/Tokyo',
    });

    // Earlier tests' cases are alarmed already: only this one is due.
    const i = await makeInteraction(app, t.adminToken, { subject: '請求書の再発行' });
    const c = await escalate(app, t.adminToken, i.id, { assigneeId: engineer.userId, dueAt: later(15) });
    clock.advance(16 * MIN);
    await jobs.send('cases.alarm', {});

    const jaMail = await waitForMail(engineer.email);
    expect(jaMail.subject).toBe(`【株式会社アラーム】案件 #${c.number} が期限を過ぎました`);
    expect(jaMail.text).toContain('技術 一郎 様');
    expect(jaMail.text).toContain(`案件: #${c.number} 請求書の再発行`);
    expect(jaMail.text).toContain('期限: 2030/07/01 09:15');
    expect(jaMail.text).toContain(`https://crm.example.jp/cases/${c.id}`);
    const enMail = await waitForMail(supervisor2.email);
    expect(enMail.subject).toBe(`[株式会社アラーム] Case #${c.number} is overdue`);
    await waitForMail(supervisor.email);
    // One mail per person and due time.
    await new Promise((r) => setTimeout(r, 1500));
    expect(inbox.filter((m) => JSON.stringify(m.to).includes(engineer.email))).toHaveLength(1);
  });
});

async function waitForMail(to: string): Promise<ParsedMail> {
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    const found = inbox.find((m) => JSON.stringify(m.to).includes(to));
    if (found) return found;
  }
  throw new Error(`no mail to ${to}`);
}
