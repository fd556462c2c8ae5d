// Cases (案件) as the API shows them and the database holds them.
import { z } from 'zod';
import { DESK, type Role } from '../../platform/auth/roles.js';

/** Who works cases: the desk and the people cases are escalated to (engineers, sales); not client viewers. */
export const CASE_ROLES: readonly Role[] = [...DESK, 'appointer', 'closer', 'corporate_closer', 'technician'];

export const CASE_STATUSES = ['open', 'in_progress', 'waiting', 'resolved', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
/** Statuses of a case still being worked: the board shows them, the alarm watches them. */
export const OPEN_STATUSES = ['open', 'in_progress', 'waiting'] as const satisfies readonly CaseStatus[];

export function isOpenStatus(s: CaseStatus): boolean {
  return (OPEN_STATUSES as readonly CaseStatus[]).includes(s);
}

const datetime = z.iso.datetime({ offset: true });
const ref = z.object({ id: z.uuid(), name: z.string() }).nullable();

export const caseSchema = z.object({
  id: z.uuid(),
  number: z.number().int(),
  interactionId: z.uuid(),
  customer: z.object({ id: z.uuid(), code: z.string().nullable(), name: z.string().nullable() }).nullable(),
  title: z.string(),
  note: z.string(),
  status: z.enum(CASE_STATUSES),
  assignee: ref,
  group: ref,
  /** Who gets the overdue alarm besides the assignee; null: every active supervisor of the tenant. */
  supervisor: ref,
  dueAt: z.string(),
  /** Open and past its due time by the server's clock. */
  overdue: z.boolean(),
  /** The due time whose alarm went out (null: none yet for any due time). */
  alarmedDueAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  createdBy: z.uuid().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Case = z.infer<typeof caseSchema>;
export const casePageSchema = z.object({ items: z.array(caseSchema), nextCursor: z.string().nullable() });

export const escalateSchema = z.strictObject({
  /** A user, a group, or both (a group with the member who takes it); at least one. */
  assigneeId: z.uuid().nullish(),
  groupId: z.uuid().nullish(),
  supervisorId: z.uuid().nullish(),
  dueAt: datetime,
  /** The case's title; by default the interaction's subject or the note's first line. */
  title: z.string().trim().min(1).max(200).optional(),
  note: z.string().trim().max(4000).default(''),
});
export type EscalateInput = z.infer<typeof escalateSchema>;

export const updateCaseSchema = z.strictObject({
  status: z.enum(CASE_STATUSES).optional(),
  assigneeId: z.uuid().nullable().optional(),
  groupId: z.uuid().nullable().optional(),
  supervisorId: z.uuid().nullable().optional(),
  dueAt: datetime.optional(),
  title: z.string().trim().min(1).max(200).optional(),
  note: z.string().trim().max(4000).optional(),
  /** A remark added to the case's history (経過メモ), changing nothing else. */
  comment: z.string().trim().min(1).max(4000).optional(),
});
export type CasePatch = z.infer<typeof updateCaseSchema>;

const statusList = z
  .string()
  .max(100)
  .transform((s) => s.split(',').map((x) => x.trim()))
  .pipe(z.array(z.enum(CASE_STATUSES)).min(1));

export const listCasesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
  /** One status or several, comma-separated (`open,in_progress`). */
  status: statusList.optional(),
  assigneeId: z.uuid().optional(),
  groupId: z.uuid().optional(),
  customerId: z.uuid().optional(),
  interactionId: z.uuid().optional(),
  /** true: open cases past their due time (by the server's clock) only. */
  overdue: z.enum(['true', 'false']).optional(),
});
export type CaseFilter = z.infer<typeof listCasesQuery>;

export const EVENT_KINDS = [
  'created',
  'status',
  'assignee',
  'group',
  'supervisor',
  'due',
  'title',
  'note',
  'comment',
  'alarm',
] as const;
export type CaseEventKind = (typeof EVENT_KINDS)[number];

export const caseEventSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.object({
    type: z.enum(['user', 'token', 'system']),
    id: z.uuid().nullable(),
    label: z.string(),
    name: z.string().nullable(),
  }),
  kind: z.enum(EVENT_KINDS),
  /** Before → after: a status, an ISO time, a user's or group's id (with its name), a text. */
  from: z.string().nullable(),
  to: z.string().nullable(),
  fromName: z.string().nullable(),
  toName: z.string().nullable(),
});
export type CaseEvent = z.infer<typeof caseEventSchema>;

export type CaseRow = {
  id: string;
  number: number;
  interaction_id: string;
  customer_id: string | null;
  customer_code: string | null;
  customer_name: string | null;
  title: string;
  note: string;
  status: CaseStatus;
  assignee_id: string | null;
  assignee_name: string | null;
  group_id: string | null;
  group_name: string | null;
  supervisor_id: string | null;
  supervisor_name: string | null;
  due_at: Date;
  due_key: string;
  alarmed_due_at: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
};

const refOf = (id: string | null, name: string | null) => (id ? { id, name: name ?? '' } : null);

export function toCase(r: CaseRow, now: Date): Case {
  return {
    id: r.id,
    number: Number(r.number),
    interactionId: r.interaction_id,
    customer: r.customer_id ? { id: r.customer_id, code: r.customer_code, name: r.customer_name } : null,
    title: r.title,
    note: r.note,
    status: r.status,
    assignee: refOf(r.assignee_id, r.assignee_name),
    group: refOf(r.group_id, r.group_name),
    supervisor: refOf(r.supervisor_id, r.supervisor_name),
    dueAt: r.due_at.toISOString(),
    overdue: isOpenStatus(r.status) && r.due_at.getTime() <= now.getTime(),
    alarmedDueAt: r.alarmed_due_at?.toISOString() ?? null,
    resolvedAt: r.resolved_at?.toISOString() ?? null,
    closedAt: r.closed_at?.toISOString() ?? null,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
  };
}

export type CaseEventRow = {
  id: number;
  at: Date;
  actor_type: 'user' | 'token' | 'system';
  actor_id: string | null;
  actor_label: string;
  actor_name: string | null;
  kind: CaseEventKind;
  from_value: string | null;
  to_value: string | null;
  from_name: string | null;
  to_name: string | null;
};

export function toCaseEvent(r: CaseEventRow): CaseEvent {
  return {
    id: Number(r.id),
    at: r.at.toISOString(),
    actor: { type: r.actor_type, id: r.actor_id, label: r.actor_label, name: r.actor_name },
    kind: r.kind,
    from: r.from_value,
    to: r.to_value,
    fromName: r.from_name,
    toName: r.to_name,
  };
}

export { etagOf, ifMatchAccepts } from '../../platform/http/etag.js';
