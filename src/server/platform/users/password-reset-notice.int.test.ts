// An admin's password reset reaches the user by e-mail, through the job queue and a real SMTP
// server, in the user's language and without the password.
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onCleanup } from '../../test/cleanup.js';
import { auth, makeTenant, testApp, testConfig, testDatabase } from '../../test/harness.js';
import { startJobs } from '../jobs/queue.js';
import { createMailer } from '../mail/mailer.js';
import { usersJobs } from './users.jobs.js';

const inbox: ParsedMail[] = [];
let server: SMTPServer;
let smtpUrl: string;

beforeAll(async () => {
  server = new SMTPServer({
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
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  smtpUrl = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function waitForMail(to: string): Promise<ParsedMail> {
  for (const deadline = Date.now() + 15_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    const found = inbox.find((m) => JSON.stringify(m.to).includes(to));
    if (found) return found;
  }
  throw new Error(`no mail to ${to}`);
}

describe('password reset notice', () => {
  it('mails the user, in their language, without the new password', async () => {
    const config = testConfig({ JOBS: '1', SMTP_URL: smtpUrl, PUBLIC_URL: 'https://crm.example.jp' });
    const mailer = createMailer(config);
    const db = await testDatabase();
    const jobs = await startJobs({
      db,
      config,
      mailer,
      log: { info() {}, warn() {}, error() {} },
      tuning: { pollingIntervalSeconds: 0.5 },
    });
    onCleanup(() => jobs.stop());
    for (const job of usersJobs) await jobs.define(job);
    const app = await testApp({ db, config, mailer, jobs });
    const t = await makeTenant(app, { name: '株式会社テスト' });
    const ja = await t.user('operator', { name: '山田 花子' });
    const en = await t.user('operator', { name: 'Alice', locale: 'en' });

    for (const u of [ja, en]) {
      const res = await app.inject({
        method: 'POST',
        url: `/api/v1/users/${u.userId}/reset-password`,
        headers: auth(t.adminToken),
        payload: { password: 'Temporary-Pass-42' },
      });
      expect(res.statusCode).toBe(204);
    }
    const jaMail = await waitForMail(ja.email);
    expect(jaMail.subject).toBe('【株式会社テスト】Madoguchi のパスワードがリセットされました');
    expect(jaMail.text).toContain('山田 花子 様');
    expect(jaMail.text).toContain('https://crm.example.jp');
    const enMail = await waitForMail(en.email);
    expect(enMail.subject).toBe('[株式会社テスト] Your Madoguchi password was reset');
    for (const m of [jaMail, enMail]) expect(m.text).not.toContain('Temporary-Pass-42');
  });
});
