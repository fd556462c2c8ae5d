// 対応履歴 (interactions): record, read, change (with history and If-Match), list.
import { z } from 'zod';
import type { Database, TenantTx } from '../../db/database.js';
import { type Actor, audit } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors.js';
import { ifMatchAccepts } from '../../platform/http/etag.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import { recordAction } from './actions.service.js';
import { touchContacts } from './contact-stats.js';
import {
  type EventInput,
  INTERACTION_COLUMNS,
  INTERACTION_FROM,
  insertEvents,
  insertInteraction,
  lockInteraction,
  selectEvents,
  selectInteraction,
  updateInteractionColumns,
} from './interactions.queries.js';
import {
  type CreateInteraction,
  type Interaction,
  type InteractionFilter,
  type InteractionPatch,
  type InteractionRow,
  type InteractionStatus,
  toEvent,
  toInteraction,
} from './interactions.schema.js';
import { addDays, decodeTsCursor, params, tokyoDayStart } from './keyset.js';
import { ensureInteractionSetup } from './kinds.service.js';
import { FUTURE_TOLERANCE_MS, fieldError, requireCustomers, requireUsers } from './refs.js';

export type Ctx = { tenantId: string; actor: Actor; now: Date };
type Read = { interaction: Interaction; etag: string };

const etag = (version: number) => `"${version}"`;
const read = (row: InteractionRow): Read => ({ interaction: toInteraction(row), etag: etag(row.version) });

async function mustSelect(tx: TenantTx, id: string): Promise<InteractionRow> {
  const row = await selectInteraction(tx, id);
  if (!row) throw AppError.notFound('object.interaction');
  return row;
}

/** The kind's name; 400 on `kindId` when it is not the tenant's, or is inactive (unless kept as it was). */
async function checkKind(tx: TenantTx, kindId: string, allowInactive: boolean): Promise<string> {
  const [kind] = await tx.query<{ name: string; active: boolean }>(
    'SELECT name, active FROM interaction_kinds WHERE tenant_id = $1 AND id = $2',
    [tx.tenantId, kindId],
  );
  if (!kind) throw fieldError('kindId', 'not_found', 'interactions.kind_not_found');
  if (!kind.active && !allowInactive) throw fieldError('kindId', 'inactive', 'interactions.kind_inactive');
  return kind.name;
}

const isCall = (channel: string) => channel === 'inbound_call' || channel === 'outbound_call';
const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

/**
 * Records an interaction: checks the customer (404), kind and people (400), keeps the history's
 * first rows, records a `call` action for a call and the customer's last contact, audits.
 */
export async function createInteraction(db: Database, ctx: Ctx, input: CreateInteraction): Promise<Read> {
  const at = input.at ? new Date(input.at) : ctx.now;
  if (at.getTime() > ctx.now.getTime() + FUTURE_TOLERANCE_MS) {
    throw fieldError('at', 'in_future', 'interactions.at_in_future');
  }
  return db.withTenant(ctx.tenantId, async (tx) => {
    await ensureInteractionSetup(tx);
    await requireCustomers(tx, [input.customerId]);
    const kindName = await checkKind(tx, input.kindId, false);
    const staffId = input.staffId === undefined ? (ctx.actor.type === 'user' ? ctx.actor.id : null) : input.staffId;
    await requireUsers(tx, { staffId, assigneeId: input.assigneeId });
    const id = await insertInteraction(tx, {
      customerId: input.customerId,
      kindId: input.kindId,
      channel: input.channel,
      callId: input.callId ?? null,
      subject: input.subject || null,
      body: input.body,
      status: input.status,
      staffId,
      assigneeId: input.assigneeId ?? null,
      dueAt: iso(input.dueAt),
      at,
    });
    const events: EventInput[] = [{ field: 'created', from: null, to: input.status }];
    if (input.assigneeId) events.push({ field: 'assignee', from: null, to: input.assigneeId });
    if (input.dueAt) events.push({ field: 'due', from: null, to: iso(input.dueAt) });
    await insertEvents(tx, ctx.actor, id, ctx.now, events);
    if (isCall(input.channel)) {
      await recordAction(tx, ctx.actor, {
        customerId: input.customerId,
        kind: 'call',
        at,
        note: input.subject || kindName,
        refType: 'interaction',
        refId: id,
        staffId,
      });
    }
    // After the call action: at the same instant the interaction (its kind) is the last contact shown.
    await touchContacts(tx, 'interaction', [{ customerId: input.customerId, at, kind: kindName }]);
    await audit(tx, ctx.actor, {
      action: 'interaction.create',
      objectType: 'interaction',
      objectId: id,
      detail: { customerId: input.customerId, kindId: input.kindId, channel: input.channel, status: input.status },
    });
    return read(await mustSelect(tx, id));
  });
}

export async function getInteraction(db: Database, ctx: Pick<Ctx, 'tenantId'>, id: string): Promise<Read> {
  return db.withTenant(ctx.tenantId, async (tx) => read(await mustSelect(tx, id)));
}

/** The interaction in the caller's transaction, or null (for the cases module). */
export async function findInteraction(tx: TenantTx, id: string): Promise<Interaction | null> {
  const row = await selectInteraction(tx, id);
  return row ? toInteraction(row) : null;
}

/**
 * Changes an interaction in the caller's transaction: If-Match (when given) against its version
 * (stale → 412), kind and people checked, a history row for each change of status, assignee or
 * due time, audited. `at` (the history's time) defaults to the database's now().
 */
export async function patchInteraction(
  tx: TenantTx,
  who: { actor: Actor; at?: Date | null },
  id: string,
  patch: InteractionPatch,
  ifMatch?: string,
): Promise<Read> {
  const current = await lockInteraction(tx, id);
  if (!current) throw AppError.notFound('object.interaction');
  if (ifMatch !== undefined && !ifMatchAccepts(ifMatch, current.version)) throw AppError.stale();
  const given = Object.keys(patch).filter((k) => patch[k as keyof InteractionPatch] !== undefined);
  if (given.length === 0) return read(await mustSelect(tx, id));
  if (patch.kindId !== undefined) await checkKind(tx, patch.kindId, patch.kindId === current.kind_id);
  await requireUsers(tx, { staffId: patch.staffId, assigneeId: patch.assigneeId });
  const columns: Record<string, unknown> = {};
  if (patch.kindId !== undefined) columns.kind_id = patch.kindId;
  if (patch.channel !== undefined) columns.channel = patch.channel;
  if (patch.callId !== undefined) columns.call_id = patch.callId;
  if (patch.subject !== undefined) columns.subject = patch.subject || null;
  if (patch.body !== undefined) columns.body = patch.body;
  if (patch.status !== undefined) columns.status = patch.status;
  if (patch.staffId !== undefined) columns.staff_id = patch.staffId;
  if (patch.assigneeId !== undefined) columns.assignee_id = patch.assigneeId;
  if (patch.dueAt !== undefined) columns.due_at = iso(patch.dueAt);
  await updateInteractionColumns(tx, id, columns);

  const events: EventInput[] = [];
  if (patch.status !== undefined && patch.status !== current.status) {
    events.push({ field: 'status', from: current.status, to: patch.status });
  }
  if (patch.assigneeId !== undefined && (patch.assigneeId ?? null) !== current.assignee_id) {
    events.push({ field: 'assignee', from: current.assignee_id, to: patch.assigneeId ?? null });
  }
  const due = patch.dueAt === undefined ? undefined : iso(patch.dueAt);
  if (due !== undefined && due !== iso(current.due_at))
    events.push({ field: 'due', from: iso(current.due_at), to: due });
  await insertEvents(tx, who.actor, id, who.at ?? null, events);
  await audit(tx, who.actor, {
    action: 'interaction.update',
    objectType: 'interaction',
    objectId: id,
    detail: {
      fields: given,
      ...(patch.status !== undefined && patch.status !== current.status
        ? { status: { from: current.status, to: patch.status } }
        : {}),
    },
  });
  return read(await mustSelect(tx, id));
}

export async function updateInteraction(
  db: Database,
  ctx: Ctx,
  id: string,
  patch: InteractionPatch,
  ifMatch: string | undefined,
): Promise<Read> {
  return db.withTenant(ctx.tenantId, (tx) =>
    patchInteraction(tx, { actor: ctx.actor, at: ctx.now }, id, patch, ifMatch),
  );
}

/**
 * For the cases module: sets an interaction's status (including `escalated`, which people
 * cannot set by PATCH) in the caller's transaction, with its history row and audit. 404 when
 * the interaction is not the tenant's.
 */
export async function setInteractionStatus(
  tx: TenantTx,
  actor: Actor,
  id: string,
  status: InteractionStatus,
  at?: Date,
): Promise<Interaction> {
  return (await patchInteraction(tx, { actor, at: at ?? null }, id, { status })).interaction;
}

/** GET /interactions: newest first (keyset on at, id), by any of the filters; from/to are Tokyo days. */
export async function listInteractions(
  db: Database,
  ctx: Pick<Ctx, 'tenantId'>,
  q: InteractionFilter & { limit: number; cursor?: string },
) {
  const after = decodeTsCursor(q.cursor);
  return db.withTenant(ctx.tenantId, async (tx) => {
    const { values, p } = params(tx.tenantId);
    const where = ['i.tenant_id = $1'];
    if (q.customerId) where.push(`i.customer_id = ${p(q.customerId)}`);
    if (q.kindId) where.push(`i.kind_id = ${p(q.kindId)}`);
    if (q.staffId) where.push(`i.staff_id = ${p(q.staffId)}`);
    if (q.assigneeId) where.push(`i.assignee_id = ${p(q.assigneeId)}`);
    if (q.status) where.push(`i.status = ${p(q.status)}`);
    if (q.open === 'true') where.push(`i.status <> 'done'`);
    if (q.open === 'false') where.push(`i.status = 'done'`);
    if (q.channel) where.push(`i.channel = ${p(q.channel)}`);
    if (q.callId) where.push(`i.call_id = ${p(q.callId)}`);
    if (q.from) where.push(`i.at >= ${p(tokyoDayStart(q.from))}`);
    if (q.to) where.push(`i.at < ${p(tokyoDayStart(addDays(q.to, 1)))}`);
    if (after) where.push(`(i.at, i.id) < (${p(after[0])}::timestamptz, ${p(after[1])}::uuid)`);
    const rows = await tx.query<InteractionRow>(
      `SELECT ${INTERACTION_COLUMNS} FROM ${INTERACTION_FROM} WHERE ${where.join(' AND ')}
        ORDER BY i.at DESC, i.id DESC LIMIT ${p(q.limit + 1)}`,
      values,
    );
    return page(rows, q.limit, toInteraction, (r) => [r.at_key, r.id]);
  });
}

/** A customer's interactions (the monitor's 対応履歴 tab): 404 for a customer not of the tenant. */
export async function listCustomerInteractions(
  db: Database,
  ctx: Pick<Ctx, 'tenantId'>,
  customerId: string,
  q: Omit<InteractionFilter, 'customerId'> & { limit: number; cursor?: string },
) {
  await db.withTenant(ctx.tenantId, (tx) => requireCustomers(tx, [customerId]));
  return listInteractions(db, ctx, { ...q, customerId });
}

const eventCursor = z.tuple([z.number().int().positive()]);

/** The change history of an interaction, oldest first. */
export async function listEvents(
  db: Database,
  ctx: Pick<Ctx, 'tenantId'>,
  id: string,
  q: { limit: number; cursor?: string },
) {
  const after = decodeCursor(q.cursor, eventCursor);
  return db.withTenant(ctx.tenantId, async (tx) => {
    const [exists] = await tx.query('SELECT 1 FROM interactions WHERE tenant_id = $1 AND id = $2', [tx.tenantId, id]);
    if (!exists) throw AppError.notFound('object.interaction');
    const rows = await selectEvents(tx, id, after?.[0] ?? null, q.limit);
    return page(rows, q.limit, toEvent, (r) => [Number(r.id)]);
  });
}

/**
 * For support-history analysis (the FAQ module's report): interactions per kind per week or
 * month of their Asia/Tokyo date, `from`/`to` inclusive days. Weeks start on Monday.
 */
export async function interactionKindCounts(
  tx: TenantTx,
  q: { from: string; to: string; interval: 'week' | 'month' },
): Promise<{ periodStart: string; kindId: string; kindName: string; count: number }[]> {
  const rows = await tx.query<{ period_start: string; kind_id: string; kind_name: string; count: number }>(
    `SELECT date_trunc($4, i.at AT TIME ZONE 'Asia/Tokyo')::date::text AS period_start, i.kind_id, k.name AS kind_name,
            count(*)::int AS count
       FROM interactions i JOIN interaction_kinds k ON k.tenant_id = i.tenant_id AND k.id = i.kind_id
      WHERE i.tenant_id = $1 AND i.at >= $2 AND i.at < $3
      GROUP BY 1, i.kind_id, k.name
      ORDER BY 1, count DESC, k.name`,
    [tx.tenantId, tokyoDayStart(q.from), tokyoDayStart(addDays(q.to, 1)), q.interval],
  );
  return rows.map((r) => ({ periodStart: r.period_start, kindId: r.kind_id, kindName: r.kind_name, count: r.count }));
}
