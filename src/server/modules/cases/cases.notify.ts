// Who hears of a case: the in-app notifications of an assignment and of an overdue alarm.
import type { TenantTx } from '../../db/database.js';
import { notify } from '../notifications/notifications.service.js';
import { activeUsers, groupMembers } from './cases.queries.js';

export type CaseRef = { id: string; number: number; title: string; dueAt: Date };

const TOKYO = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** A time as people in Japan read it, in either language: `2025/04/01 15:00`. */
export function tokyoTime(d: Date): string {
  return TOKYO.format(d).replaceAll('-', '/');
}

/** The active people working a case: its assignee, or else (none, or inactive) every active member of its group. */
export async function workersOf(
  tx: TenantTx,
  c: { assigneeId: string | null; groupId: string | null },
): Promise<string[]> {
  const assignee = c.assigneeId ? [...(await activeUsers(tx, [c.assigneeId]))] : [];
  if (assignee.length > 0) return assignee;
  return c.groupId ? groupMembers(tx, c.groupId) : [];
}

/** 案件 #n が割り当てられました — to the new people on a case, not to the one who made the change. */
export async function notifyAssigned(
  tx: TenantTx,
  c: CaseRef,
  userIds: string[],
  actorId: string | null,
  now: Date,
): Promise<void> {
  const to = [...new Set(userIds)].filter((u) => u !== actorId);
  await notify(
    tx,
    to.map((userId) => ({
      userId,
      kind: 'case.assigned',
      messageKey: 'cases.notify.assigned',
      params: { number: c.number, title: c.title, due: tokyoTime(c.dueAt), dueAt: c.dueAt.toISOString() },
      objectType: 'case',
      objectId: c.id,
      link: `/cases/${c.id}`,
    })),
    now,
  );
}

/**
 * 案件 #n が期限を過ぎました — once per person, case and due time (the dedupe key), whatever
 * retries or concurrent alarm runs do. Answers the people who got it now.
 */
export async function notifyOverdue(tx: TenantTx, c: CaseRef, userIds: string[], now: Date): Promise<string[]> {
  const due = c.dueAt.toISOString();
  return notify(
    tx,
    [...new Set(userIds)].map((userId) => ({
      userId,
      kind: 'case.overdue',
      messageKey: 'cases.notify.overdue',
      params: { number: c.number, title: c.title, due: tokyoTime(c.dueAt), dueAt: due },
      objectType: 'case',
      objectId: c.id,
      link: `/cases/${c.id}`,
      dedupeKey: `case.overdue:${c.id}:${due}`,
    })),
    now,
  );
}
