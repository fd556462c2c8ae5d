import type { Transporter } from 'nodemailer';
import type { Config } from '../../config.js';

export type MailMessage = {
  to: string | string[];
  subject: string;
  text: string;
  html?: string;
};

/** Sends one message through the configured SMTP server; rejects when the server refuses it. */
export type Mailer = {
  send(msg: MailMessage): Promise<{ messageId: string }>;
};

export class MailConfigError extends Error {}

/**
 * The SMTP mailer from SMTP_URL (`smtp://user:pass@host:587`, STARTTLS when the server offers it,
 * or `smtps://user:pass@host:465`, TLS from the start; user and password URL-encoded), sending as
 * MAIL_FROM. Returns null when SMTP_URL is unset: mail is off, and callers say so in their log
 * instead of failing.
 *
 * Headers and bodies are UTF-8: a Japanese subject goes out as an RFC 2047 encoded-word and
 * arrives intact; the body is quoted-printable or base64 as nodemailer sees fit.
 */
export function createMailer(config: Pick<Config, 'smtpUrl' | 'mailFrom'>): Mailer | null {
  if (!config.smtpUrl) return null;
  let url: URL;
  try {
    url = new URL(config.smtpUrl);
  } catch {
    throw new MailConfigError('SMTP_URL is not a URL (expected smtp://user:pass@host:port or smtps://…)');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new MailConfigError(`SMTP_URL must start with smtp:// or smtps://, not ${url.protocol}//`);
  }
  const smtpUrl = config.smtpUrl;
  // nodemailer is loaded with the first message, not at every start.
  let transport: Promise<Transporter> | undefined;
  return {
    async send(msg) {
      transport ??= import('nodemailer').then((m) => m.default.createTransport(smtpUrl));
      const info = await (await transport).sendMail({
        from: config.mailFrom,
        to: msg.to,
        subject: msg.subject,
        text: msg.text,
        ...(msg.html === undefined ? {} : { html: msg.html }),
      });
      return { messageId: info.messageId };
    },
  };
}
