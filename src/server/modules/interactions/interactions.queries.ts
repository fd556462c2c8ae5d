// SQL of the interactions. Every statement filters by tenant_id as well as running under RLS.
import { prepared, type TenantTx } from '../../db/database.js';
import type { Actor } from '../../platform/audit/audit.js';
import type { InteractionEventRow, InteractionRow, InteractionStatus } from './interactions.schema.js';
import { tsKey } from './keyset.js';

/** The columns of InteractionRow, for `FROM ${INTERACTION_FROM}`: names of the kind, customer and people joined. */
export const INTERACTION_COLUMNS = `i.id, i.customer_id, c.code AS customer_code, c.name AS customer_name, i.kind_id,
  k.name AS kind_name, i.channel, i.call_id, i.subject, i.body, i.status, i.staff_id, su.name AS staff_name,
  i.assignee_id, au.name AS assignee_name, i.due_at, i.at, ${tsKey('i.at')} AS at_key, i.version, i.created_at,
  i.updated_at`;
export const INTERACTION_FROM = `interactions i
  JOIN customers c ON c.tenant_id = i.tenant_id AND c.id = i.customer_id
  JOIN interaction_kinds k ON k.tenant_id = i.tenant_id AND k.id = i.kind_id
  LEFT JOIN users su ON su.tenant_id = i.tenant_id AND su.id = i.staff_id
  LEFT JOIN users au ON au.tenant_id = i.tenant_id AND au.id = i.assignee_id`;

export async function selectInteraction(tx: TenantTx, id: string): Promise<InteractionRow | null> {
  const [row] = await tx.query<InteractionRow>(
    `SELECT ${INTERACTION_COLUMNS} FROM ${INTERACTION_FROM} WHERE i.tenant_id = $1 AND i.id = $2`,
    [tx.tenantId, id],
  );
  return row ?? null;
}

export type LockedInteraction = {
  customer_id: string;
  kind_id: string;
  status: InteractionStatus;
  assignee_id: string | null;
  due_at: Date | null;
  version: number;
};

/** The fields a change builds on, the row locked until the transaction ends. */
export async function lockInteraction(tx: TenantTx, id: string): Promise<LockedInteraction | null> {
  const [row] = await tx.query<LockedInteraction>(
    `SELECT customer_id, kind_id, status, assignee_id, due_at, version FROM interactions
      WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
    [tx.tenantId, id],
  );
  return row ?? null;
}

export type NewInteraction = {
  /** Given by the caller when it writes the entry's events in the same round trip. */
  id?: string;
  customerId: string;
  kindId: string;
  channel: string;
  callId: string | null;
  subject: string | null;
  body: string;
  status: InteractionStatus;
  staffId: string | null;
  assigneeId: string | null;
  dueAt: string | null;
  at: Date;
};

export async function insertInteraction(tx: TenantTx, v: NewInteraction): Promise<string> {
  const [row] = await tx.query<{ id: string }>(
    prepared(`INSERT INTO interactions (id, tenant_id, customer_id, kind_id, channel, call_id, subject, body, status, staff_id,
                               assignee_id, due_at, at)
     VALUES (coalesce($13::uuid, gen_random_uuid()), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`),
    [
      tx.tenantId,
      v.customerId,
      v.kindId,
      v.channel,
      v.callId,
      v.subject,
      v.body,
      v.status,
      v.staffId,
      v.assigneeId,
      v.dueAt,
      v.at,
      v.id ?? null,
    ],
  );
  if (!row) throw new Error('insert interactions returned nothing');
  return row.id;
}

// The columns a change may set; names come from this list only, never from the request.
const UPDATABLE = new Set([
  'kind_id',
  'channel',
  'call_id',
  'subject',
  'body',
  'status',
  'staff_id',
  'assignee_id',
  'due_at',
]);

/** Sets the given columns and bumps the version. */
export async function updateInteractionColumns(
  tx: TenantTx,
  id: string,
  columns: Record<string, unknown>,
): Promise<void> {
  const entries = Object.entries(columns).filter(([c]) => UPDATABLE.has(c));
  const sets = entries.map(([c], i) => `${c} = $${i + 3}`);
  await tx.query(
    `UPDATE interactions SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')}
      WHERE tenant_id = $1 AND id = $2`,
    [tx.tenantId, id, ...entries.map(([, v]) => v)],
  );
}

export type EventInput = { field: InteractionEventRow['field']; from: string | null; to: string | null };

/** Appends history rows of one interaction (one statement); `at` null → the database's now(). */
export async function insertEvents(
  tx: TenantTx,
  actor: Actor,
  interactionId: string,
  at: Date | null,
  events: EventInput[],
): Promise<void> {
  if (events.length === 0) return;
  await tx.query(
    prepared(`INSERT INTO interaction_events (tenant_id, interaction_id, at, actor_type, actor_id, actor_label, field, old_value, new_value)
     SELECT $1, $2, coalesce($3::timestamptz, now()), $4, $5, $6, e.field, e.old_value, e.new_value
       FROM jsonb_to_recordset($7::jsonb) AS e(field text, old_value text, new_value text)`),
    [
      tx.tenantId,
      interactionId,
      at,
      actor.type,
      actor.id,
      actor.label,
      JSON.stringify(events.map((e) => ({ field: e.field, old_value: e.from, new_value: e.to }))),
    ],
  );
}

export async function selectEvents(
  tx: TenantTx,
  interactionId: string,
  afterId: number | null,
  limit: number,
): Promise<InteractionEventRow[]> {
  return tx.query<InteractionEventRow>(
    `SELECT id, at, actor_type, actor_id, actor_label, field, old_value, new_value FROM interaction_events
      WHERE tenant_id = $1 AND interaction_id = $2 AND ($3::bigint IS NULL OR id > $3)
      ORDER BY id LIMIT $4`,
    [tx.tenantId, interactionId, afterId, limit + 1],
  );
}
