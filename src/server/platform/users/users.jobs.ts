import { z } from 'zod';
import { translate } from '../i18n/messages.js';
import { defineJob } from '../jobs/job.js';

/**
 * Tells a user by e-mail that an admin reset their password (never the password itself).
 * The payload carries ids only; the address and language are read when the mail is sent.
 */
export const passwordResetNoticeJob = defineJob({
  name: 'users.password_reset_notice',
  schema: z.object({ tenantId: z.uuid(), userId: z.uuid() }),
  retryLimit: 5,
  handler: async ({ tenantId, userId }, ctx) => {
    if (!ctx.mailer) {
      ctx.log.warn({ job: ctx.name }, 'mail is off (SMTP_URL unset): password reset notice not sent');
      return { sent: false };
    }
    const [user] = await ctx.db.withTenant(tenantId, (tx) =>
      tx.query<{ email: string; name: string; locale: 'ja' | 'en'; tenant: string }>(
        `SELECT u.email, u.name, u.locale, t.name AS tenant FROM users u JOIN tenants t ON t.id = u.tenant_id
          WHERE u.tenant_id = $1 AND u.id = $2`,
        [tenantId, userId],
      ),
    );
    if (!user) return { sent: false };
    const params = {
      name: user.name,
      tenant: user.tenant,
      url: ctx.config.publicUrl ?? `http://localhost:${ctx.config.port}`,
    };
    await ctx.mailer.send({
      to: user.email,
      subject: translate(user.locale, 'mail.password_reset.subject', params),
      text: translate(user.locale, 'mail.password_reset.body', params),
    });
    return { sent: true };
  },
});

export const usersJobs = [passwordResetNoticeJob];
