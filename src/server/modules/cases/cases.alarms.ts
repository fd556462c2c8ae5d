// The overdue alarm: every open case past its due time whose alarm has not gone out for that due
// time gets one — an in-app notification to the people working it (the assignee, or else each
// member of its group) and to its supervisor(s), a history row, an audit row, and, when mail is
// configured, one mail job per person. Exactly once per case and due time: the claim is an
// UPDATE … WHERE alarmed_due_at IS DISTINCT FROM due_at, row-locked, so two workers running at
// once split the cases and never both claim one; a re-scheduled due time re-arms the alarm.
import type { Config } from '../../config.js';
import type { Database, TenantTx } from '../../db/database.js';
import { audit, SYSTEM_ACTOR } from '../../platform/audit/audit.js';
import type { Clock } from '../../platform/clock.js';
import type { JobQueue } from '../../platform/jobs/queue.js';
import { caseAlarmMailJob } from './cases.mail.js';
import { notifyOverdue } from './cases.notify.js';
import { OPEN_STATUSES } from './cases.schema.js';

/** Cases claimed per transaction (a tenant with more is worked in several). */
const BATCH = 200;

export type AlarmDeps = {
  db: Database;
  clock: Clock;
  config: Pick<Config, 'smtpUrl'>;
  /** Where mail jobs go; null: in-app notifications only. */
  jobs: JobQueue | null;
};

export type AlarmResult = { tenants: number; cases: number; notifications: number; mails: number };

type Claimed = {
  id: string;
  number: number;
  title: string;
  due_at: Date;
  assignee_id: string | null;
  group_id: string | null;
  supervisor_id: string | null;
};

/** The payload of one alarm mail: ids and the due time, nothing personal. */
export type AlarmMail = { tenantId: string; caseId: string; userId: string; dueAt: string };

/** Runs the alarm for every tenant at the clock's now. Safe to run at any time, on any number of workers. */
export async function runCaseAlarms(deps: AlarmDeps): Promise<AlarmResult> {
  const now = deps.clock.now();
  const tenants = await deps.db.app.query<{ tenant_id: string }>('SELECT tenant_id FROM case_alarm_tenants($1)', [now]);
  const result: AlarmResult = { tenants: tenants.length, cases: 0, notifications: 0, mails: 0 };
  const { jobs } = deps;
  // Mail only when this installation sends mail; each person's mail is a job of its own (retried alone).
  const mail =
    jobs && deps.config.smtpUrl ? (m: AlarmMail, tx: TenantTx) => jobs.send(caseAlarmMailJob, m, { tx }) : null;
  for (const { tenant_id: tenantId } of tenants) {
    for (;;) {
      const batch = await deps.db.withTenant(tenantId, (tx) => alarmBatch(tx, now, mail));
      result.cases += batch.cases;
      result.notifications += batch.notifications;
      result.mails += batch.mails;
      if (batch.cases < BATCH) break;
    }
  }
  return result;
}

async function alarmBatch(
  tx: TenantTx,
  now: Date,
  mail: ((m: AlarmMail, tx: TenantTx) => Promise<unknown>) | null,
): Promise<Omit<AlarmResult, 'tenants'>> {
  const claimed = await tx.query<Claimed>(
    `UPDATE cases c SET alarmed_due_at = c.due_at
       FROM (SELECT id FROM cases
              WHERE tenant_id = $1 AND status = ANY($2::text[]) AND alarmed_due_at IS DISTINCT FROM due_at
                AND due_at <= $3
              ORDER BY due_at LIMIT $4 FOR UPDATE SKIP LOCKED) AS s
      WHERE c.tenant_id = $1 AND c.id = s.id AND c.alarmed_due_at IS DISTINCT FROM c.due_at AND c.due_at <= $3
        AND c.status = ANY($2::text[])
      RETURNING c.id, c.number, c.title, c.due_at, c.assignee_id, c.group_id, c.supervisor_id`,
    [tx.tenantId, [...OPEN_STATUSES], now, BATCH],
  );
  if (claimed.length === 0) return { cases: 0, notifications: 0, mails: 0 };
  const recipients = await recipientsOf(tx, claimed);
  let notifications = 0;
  let mails = 0;
  for (const c of claimed) {
    const people = recipients.get(c.id) ?? [];
    const ref = { id: c.id, number: Number(c.number), title: c.title, dueAt: c.due_at };
    const notified = await notifyOverdue(tx, ref, people, now);
    notifications += notified.length;
    if (mail) {
      for (const userId of notified) {
        await mail({ tenantId: tx.tenantId, caseId: c.id, userId, dueAt: c.due_at.toISOString() }, tx);
        mails++;
      }
    }
  }
  await tx.query(
    `INSERT INTO case_events (tenant_id, case_id, at, actor_type, actor_id, actor_label, kind, to_value)
     SELECT $1, x.id, $2, 'system', NULL, 'system', 'alarm', x.due FROM jsonb_to_recordset($3::jsonb) AS x(id uuid, due text)`,
    [tx.tenantId, now, JSON.stringify(claimed.map((c) => ({ id: c.id, due: c.due_at.toISOString() })))],
  );
  for (const c of claimed) {
    await audit(tx, SYSTEM_ACTOR, {
      action: 'case.alarm',
      objectType: 'case',
      objectId: c.id,
      detail: { dueAt: c.due_at.toISOString(), notified: recipients.get(c.id)?.length ?? 0 },
    });
  }
  return { cases: claimed.length, notifications, mails };
}

/**
 * Each claimed case's people, in two statements for the whole batch: the assignee if active, or
 * else (none, or no longer active) the active members of its group; plus its supervisor if it names an active one, or else
 * every active supervisor of the tenant.
 */
async function recipientsOf(tx: TenantTx, cases: Claimed[]): Promise<Map<string, string[]>> {
  const named = cases.flatMap((c) => [c.assignee_id, c.supervisor_id]).filter((x): x is string => x !== null);
  const users = await tx.query<{ id: string; role: string }>(
    `SELECT id, role FROM users WHERE tenant_id = $1 AND active AND (role = 'supervisor' OR id = ANY($2::uuid[]))`,
    [tx.tenantId, [...new Set(named)]],
  );
  const active = new Set(users.map((u) => u.id));
  const supervisors = users.filter((u) => u.role === 'supervisor').map((u) => u.id);
  const groupIds = [...new Set(cases.map((c) => c.group_id).filter((g): g is string => g !== null))];
  const members = groupIds.length
    ? await tx.query<{ group_id: string; user_id: string }>(
        `SELECT m.group_id, m.user_id FROM escalation_group_members m
           JOIN users u ON u.tenant_id = m.tenant_id AND u.id = m.user_id AND u.active
          WHERE m.tenant_id = $1 AND m.group_id = ANY($2::uuid[])`,
        [tx.tenantId, groupIds],
      )
    : [];
  const result = new Map<string, string[]>();
  for (const c of cases) {
    const workers =
      c.assignee_id !== null && active.has(c.assignee_id)
        ? [c.assignee_id]
        : members.filter((m) => m.group_id === c.group_id).map((m) => m.user_id);
    const sup = c.supervisor_id && active.has(c.supervisor_id) ? [c.supervisor_id] : supervisors;
    result.set(c.id, [...new Set([...workers, ...sup])]);
  }
  return result;
}
