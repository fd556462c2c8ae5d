// The overdue alarm's mail: one job per person, enqueued by the alarm in the transaction that
// claims the case. The payload carries ids and the due time only; the address, language, names
// and the case's title are read when the mail is sent.
import { z } from 'zod';
import { translate } from '../../platform/i18n/messages.js';
import { defineJob } from '../../platform/jobs/job.js';
import { tokyoTime } from './cases.notify.js';
import { type CaseStatus, isOpenStatus } from './cases.schema.js';

type MailRow = {
  email: string;
  name: string;
  locale: 'ja' | 'en';
  active: boolean;
  tenant: string;
  number: number;
  title: string;
  status: CaseStatus;
  due_at: Date;
  assignee: string | null;
  group_name: string | null;
};

export const caseAlarmMailJob = defineJob({
  name: 'cases.alarm_mail',
  schema: z.object({ tenantId: z.uuid(), caseId: z.uuid(), userId: z.uuid(), dueAt: z.string() }),
  retryLimit: 5,
  handler: async ({ tenantId, caseId, userId }, ctx) => {
    if (!ctx.mailer) {
      ctx.log.warn({ job: ctx.name }, 'mail is off (SMTP_URL unset): case alarm mail not sent');
      return { sent: false };
    }
    const [row] = await ctx.db.withTenant(tenantId, (tx) =>
      tx.query<MailRow>(
        `SELECT u.email, u.name, u.locale, u.active, t.name AS tenant, c.number, c.title, c.status, c.due_at,
                au.name AS assignee, g.name AS group_name
           FROM cases c
           JOIN users u ON u.tenant_id = c.tenant_id AND u.id = $3
           JOIN tenants t ON t.id = c.tenant_id
           LEFT JOIN users au ON au.tenant_id = c.tenant_id AND au.id = c.assignee_id
           LEFT JOIN escalation_groups g ON g.tenant_id = c.tenant_id AND g.id = c.group_id
          WHERE c.tenant_id = $1 AND c.id = $2`,
        [tenantId, caseId, userId],
      ),
    );
    // A case finished (or a person deactivated) since the alarm needs no mail any more.
    if (!row?.active || !isOpenStatus(row.status)) return { sent: false };
    const params = {
      name: row.name,
      tenant: row.tenant,
      number: Number(row.number),
      title: row.title,
      status: translate(row.locale, `cases.status.${row.status}` as const),
      due: tokyoTime(row.due_at),
      assignee: [row.assignee, row.group_name].filter(Boolean).join(' / '),
      url: `${ctx.config.publicUrl ?? `http://localhost:${ctx.config.port}`}/cases/${caseId}`,
    };
    await ctx.mailer.send({
      to: row.email,
      subject: translate(row.locale, 'cases.mail.overdue.subject', params),
      text: translate(row.locale, 'cases.mail.overdue.body', params),
    });
    return { sent: true };
  },
});
