// The mailer against a real SMTP server (smtp-server on a free local port), parsed back with
// mailparser: what a recipient's mail client would see.
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer, MailConfigError } from './mailer.js';

type Received = { from: string; to: string[]; user: string | undefined; mail: ParsedMail };

const received: Received[] = [];
let server: SMTPServer;
let port: number;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'madoguchi' && auth.password === 'p@ss:ワード') callback(null, { user: auth.username });
      else callback(new Error('invalid credentials'));
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            user: typeof session.user === 'string' ? session.user : undefined,
            mail,
          });
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const FROM = '窓口 <no-reply@madoguchi.test>';
const password = encodeURIComponent('p@ss:ワード');

describe('createMailer', () => {
  it('is off (null) without SMTP_URL and refuses a URL of another scheme', () => {
    expect(createMailer({ smtpUrl: undefined, mailFrom: FROM })).toBeNull();
    expect(() => createMailer({ smtpUrl: 'http://example.com', mailFrom: FROM })).toThrow(MailConfigError);
    expect(() => createMailer({ smtpUrl: 'not a url', mailFrom: FROM })).toThrow(MailConfigError);
  });

  it('delivers a Japanese message with its subject, sender and body intact', async () => {
    const mailer = createMailer({ smtpUrl: `smtp://madoguchi:${password}@127.0.0.1:${port}`, mailFrom: FROM });
    if (!mailer) throw new Error('mailer expected');
    const subject = '【窓口】パスワード再設定のお知らせ（髙橋様・﨑山様）';
    const text =
      '髙橋 様\n\nパスワードが再設定されました。お心当たりがない場合は管理者へご連絡ください。\n― 株式会社テスト 窓口';
    const { messageId } = await mailer.send({
      to: '髙橋 <takahashi@example.jp>',
      subject,
      text,
      html: '<p>髙橋 様</p><p>パスワードが再設定されました。</p>',
    });
    expect(messageId).toMatch(/^<.+@.+>$/);

    const got = received.at(-1);
    expect(got?.user).toBe('madoguchi');
    expect(got?.from).toBe('no-reply@madoguchi.test');
    expect(got?.to).toEqual(['takahashi@example.jp']);
    const mail = got?.mail as ParsedMail;
    expect(mail.subject).toBe(subject);
    expect(mail.text?.trimEnd()).toBe(text);
    expect(mail.html).toContain('パスワードが再設定されました。');
    expect(mail.from?.value[0]).toEqual({ address: 'no-reply@madoguchi.test', name: '窓口' });
    expect(mail.messageId).toBe(messageId);
    // On the wire the subject is an RFC 2047 encoded-word, never raw 8-bit bytes.
    expect(mail.headerLines.find((h) => h.key === 'subject')?.line).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/i);
  });

  it('rejects when the server refuses the credentials', async () => {
    const mailer = createMailer({ smtpUrl: `smtp://madoguchi:wrong@127.0.0.1:${port}`, mailFrom: FROM });
    const before = received.length;
    await expect(mailer?.send({ to: 'a@example.jp', subject: '件名', text: '本文' })).rejects.toThrow(
      /invalid credentials|auth/i,
    );
    expect(received.length).toBe(before);
  });
});
