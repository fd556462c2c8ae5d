// SQL of the cases. Every statement filters by tenant_id as well as running under RLS.
import { z } from 'zod';
import type { TenantTx } from '../../db/database.js';
import type { Actor } from '../../platform/audit/audit.js';
import { decodeCursor } from '../../platform/http/pagination.js';
import type { CaseEventKind, CaseEventRow, CaseRow, CaseStatus } from './cases.schema.js';

/** A timestamptz column as its cursor key: the database's own text of it (microseconds, UTC). */
export function tsKey(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}
const tsKeySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);

/** A `[timestamp key, uuid]` cursor, or null; a forged one is a 400 naming `cursor`. */
export function decodeTsCursor(cursor: string | undefined): [string, string] | null {
  return decodeCursor(cursor, z.tuple([tsKeySchema, z.uuid()]));
}

/** Builds `$n` parameters in order: `p(value)` answers the placeholder of the value pushed. */
export function params(...initial: unknown[]) {
  const values = [...initial];
  return { values, p: (value: unknown) => `$${values.push(value)}` };
}

/** The columns of CaseRow, for `FROM ${CASE_FROM}`. */
export const CASE_COLUMNS = `c.id, c.number, c.interaction_id, c.customer_id, cu.code AS customer_code,
  cu.name AS customer_name, c.title, c.note, c.status, c.assignee_id, au.name AS assignee_name, c.group_id,
  g.name AS group_name, c.supervisor_id, su.name AS supervisor_name, c.due_at, ${tsKey('c.due_at')} AS due_key,
  c.alarmed_due_at, c.resolved_at, c.closed_at, c.created_by, c.created_at, c.updated_at, c.version`;
export const CASE_FROM = `cases c
  LEFT JOIN customers cu ON cu.tenant_id = c.tenant_id AND cu.id = c.customer_id
  LEFT JOIN users au ON au.tenant_id = c.tenant_id AND au.id = c.assignee_id
  LEFT JOIN escalation_groups g ON g.tenant_id = c.tenant_id AND g.id = c.group_id
  LEFT JOIN users su ON su.tenant_id = c.tenant_id AND su.id = c.supervisor_id`;

export async function selectCase(tx: TenantTx, id: string): Promise<CaseRow | null> {
  const [row] = await tx.query<CaseRow>(
    `SELECT ${CASE_COLUMNS} FROM ${CASE_FROM} WHERE c.tenant_id = $1 AND c.id = $2`,
    [tx.tenantId, id],
  );
  return row ?? null;
}

export type LockedCase = {
  status: CaseStatus;
  title: string;
  note: string;
  assignee_id: string | null;
  group_id: string | null;
  supervisor_id: string | null;
  due_at: Date;
  version: number;
};

/** The fields a change builds on, the row locked until the transaction ends. */
export async function lockCase(tx: TenantTx, id: string): Promise<LockedCase | null> {
  const [row] = await tx.query<LockedCase>(
    `SELECT status, title, note, assignee_id, group_id, supervisor_id, due_at, version FROM cases
      WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
    [tx.tenantId, id],
  );
  return row ?? null;
}

/** The tenant's next case number (the counter row stays locked until the transaction ends). */
export async function nextCaseNumber(tx: TenantTx): Promise<number> {
  const [row] = await tx.query<{ n: number }>(
    `INSERT INTO case_counters (tenant_id, last_number) VALUES ($1, 1)
     ON CONFLICT (tenant_id) DO UPDATE SET last_number = case_counters.last_number + 1
     RETURNING last_number AS n`,
    [tx.tenantId],
  );
  if (!row) throw new Error('case_counters returned nothing');
  return Number(row.n);
}

export type NewCase = {
  number: number;
  interactionId: string;
  customerId: string | null;
  title: string;
  note: string;
  assigneeId: string | null;
  groupId: string | null;
  supervisorId: string | null;
  dueAt: Date;
  createdBy: string | null;
  now: Date;
};

/** Inserts a case; answers its id, or null when the interaction already has an open case. */
export async function insertCase(tx: TenantTx, v: NewCase): Promise<string | null> {
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO cases (tenant_id, number, interaction_id, customer_id, title, note, assignee_id, group_id,
                        supervisor_id, due_at, created_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
     ON CONFLICT (tenant_id, interaction_id) WHERE status IN ('open', 'in_progress', 'waiting') DO NOTHING
     RETURNING id`,
    [
      tx.tenantId,
      v.number,
      v.interactionId,
      v.customerId,
      v.title,
      v.note,
      v.assigneeId,
      v.groupId,
      v.supervisorId,
      v.dueAt,
      v.createdBy,
      v.now,
    ],
  );
  return row?.id ?? null;
}

// The columns a change may set; names come from this list only, never from the request.
const UPDATABLE = new Set([
  'status',
  'title',
  'note',
  'assignee_id',
  'group_id',
  'supervisor_id',
  'due_at',
  'resolved_at',
  'closed_at',
]);

/** Sets the given columns, bumps the version, stamps updated_at with the application's clock. */
export async function updateCaseColumns(
  tx: TenantTx,
  id: string,
  columns: Record<string, unknown>,
  now: Date,
): Promise<void> {
  const entries = Object.entries(columns).filter(([c]) => UPDATABLE.has(c));
  const sets = entries.map(([c], i) => `${c} = $${i + 4}`);
  await tx.query(
    `UPDATE cases SET ${[...sets, 'version = version + 1', 'updated_at = $3'].join(', ')}
      WHERE tenant_id = $1 AND id = $2`,
    [tx.tenantId, id, now, ...entries.map(([, v]) => v)],
  );
}

export type EventInput = { kind: CaseEventKind; from: string | null; to: string | null };

/** Appends history rows of one case in one statement. */
export async function insertCaseEvents(
  tx: TenantTx,
  actor: Actor,
  caseId: string,
  at: Date,
  events: EventInput[],
): Promise<void> {
  if (events.length === 0) return;
  await tx.query(
    `INSERT INTO case_events (tenant_id, case_id, at, actor_type, actor_id, actor_label, kind, from_value, to_value)
     SELECT $1, $2, $3, $4, $5, $6, e.kind, e.from_value, e.to_value
       FROM jsonb_to_recordset($7::jsonb) AS e(kind text, from_value text, to_value text, n int)
      ORDER BY e.n`,
    [
      tx.tenantId,
      caseId,
      at,
      actor.type,
      actor.id,
      actor.label,
      JSON.stringify(events.map((e, n) => ({ kind: e.kind, from_value: e.from, to_value: e.to, n }))),
    ],
  );
}

// A user's or group's name beside an id-valued event (the id is cast only for those kinds).
const NAME_OF = (side: 'from' | 'to') => `CASE
    WHEN e.kind IN ('assignee', 'supervisor') THEN
      (SELECT u.name FROM users u WHERE u.tenant_id = e.tenant_id AND u.id = e.${side}_value::uuid)
    WHEN e.kind = 'group' THEN
      (SELECT g.name FROM escalation_groups g WHERE g.tenant_id = e.tenant_id AND g.id = e.${side}_value::uuid)
  END`;

export async function selectCaseEvents(
  tx: TenantTx,
  caseId: string,
  afterId: number | null,
  limit: number,
): Promise<CaseEventRow[]> {
  return tx.query<CaseEventRow>(
    `SELECT e.id, e.at, e.actor_type, e.actor_id, e.actor_label, an.name AS actor_name, e.kind, e.from_value,
            e.to_value, ${NAME_OF('from')} AS from_name, ${NAME_OF('to')} AS to_name
       FROM case_events e
       LEFT JOIN users an ON e.actor_type = 'user' AND an.tenant_id = e.tenant_id AND an.id = e.actor_id
      WHERE e.tenant_id = $1 AND e.case_id = $2 AND ($3::bigint IS NULL OR e.id > $3)
      ORDER BY e.id LIMIT $4`,
    [tx.tenantId, caseId, afterId, limit + 1],
  );
}

/** The ids of the active users of the tenant among `ids` (one statement). */
export async function activeUsers(tx: TenantTx, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx.query<{ id: string }>(
    'SELECT id FROM users WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND active',
    [tx.tenantId, [...new Set(ids)]],
  );
  return new Set(rows.map((r) => r.id));
}

/** The active members of a group (none for a missing group). */
export async function groupMembers(tx: TenantTx, groupId: string): Promise<string[]> {
  const rows = await tx.query<{ user_id: string }>(
    `SELECT m.user_id FROM escalation_group_members m
       JOIN users u ON u.tenant_id = m.tenant_id AND u.id = m.user_id AND u.active
      WHERE m.tenant_id = $1 AND m.group_id = $2 ORDER BY m.user_id`,
    [tx.tenantId, groupId],
  );
  return rows.map((r) => r.user_id);
}
