import { z } from 'zod';
import { translate } from '../../platform/i18n/messages.js';
import { defineJob } from '../../platform/jobs/job.js';

/**
 * 入金督促メール: the payload carries ids only; the address, the order and what it still owes
 * are read when the mail is sent (a payment that arrived meanwhile stops it).
 */
export const paymentReminderMailJob = defineJob({
  name: 'payments.reminder_mail',
  schema: z.object({ tenantId: z.uuid(), reminderId: z.uuid() }),
  retryLimit: 5,
  handler: async ({ tenantId, reminderId }, ctx) => {
    if (!ctx.mailer) {
      ctx.log.warn({ job: ctx.name }, 'mail is off (SMTP_URL unset): payment reminder not sent');
      return { sent: false };
    }
    const [r] = await ctx.db.withTenant(tenantId, (tx) =>
      tx.query<{
        email: string | null;
        name: string;
        number: string;
        order_date: string;
        balance: number;
        tenant: string;
      }>(
        `SELECT c.emails[1] AS email, c.name, o.number, to_char(o.order_date, 'YYYY/MM/DD') AS order_date,
                (CASE WHEN o.status = 'cancelled' THEN 0
                      ELSE greatest(o.total - coalesce((SELECT sum(x.refund_amount) FROM returns x
                                                         WHERE x.tenant_id = o.tenant_id AND x.order_id = o.id), 0), 0)
                 END - o.paid_amount)::int AS balance,
                t.name AS tenant
           FROM payment_reminders pr
           JOIN orders o ON o.tenant_id = pr.tenant_id AND o.id = pr.order_id
           JOIN customers c ON c.tenant_id = pr.tenant_id AND c.id = pr.customer_id
           JOIN tenants t ON t.id = pr.tenant_id
          WHERE pr.tenant_id = $1 AND pr.id = $2`,
        [tenantId, reminderId],
      ),
    );
    if (!r?.email || r.balance <= 0) return { sent: false };
    const params = {
      name: r.name,
      tenant: r.tenant,
      number: Number(r.number),
      date: r.order_date,
      balance: `¥${r.balance.toLocaleString('ja-JP')}`,
    };
    await ctx.mailer.send({
      to: r.email,
      subject: translate('ja', 'payments.mail.reminder.subject', params),
      text: translate('ja', 'payments.mail.reminder.body', params),
    });
    return { sent: true };
  },
});

export const paymentsJobs = [paymentReminderMailJob];
