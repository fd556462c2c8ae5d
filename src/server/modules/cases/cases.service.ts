// Cases (案件): escalate an interaction, read, change (with history and If-Match), list, history.
import { z } from 'zod';
import type { Database, TenantTx } from '../../db/database.js';
import { type Actor, audit } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import type { MessageKey } from '../../platform/i18n/messages.js';
import { findInteraction, setInteractionStatus } from '../interactions/interactions.service.js';
import { notifyAssigned, workersOf } from './cases.notify.js';
import {
  activeUsers,
  CASE_COLUMNS,
  CASE_FROM,
  decodeTsCursor,
  type EventInput,
  insertCase,
  insertCaseEvents,
  lockCase,
  nextCaseNumber,
  params,
  selectCase,
  selectCaseEvents,
  updateCaseColumns,
} from './cases.queries.js';
import {
  type Case,
  type CaseFilter,
  type CasePatch,
  type CaseRow,
  type CaseStatus,
  type EscalateInput,
  etagOf,
  ifMatchAccepts,
  isOpenStatus,
  OPEN_STATUSES,
  toCase,
  toCaseEvent,
} from './cases.schema.js';

export type Ctx = { tenantId: string; actor: Actor; now: Date };
type Read = { case: Case; etag: string };

/** A 400 like the schema validation's: problem code `validation`, one field with its own code. */
export function fieldError(path: string, code: string, key: MessageKey, params?: Record<string, string | number>) {
  return new AppError(
    400,
    'validation',
    'error.detail.validation',
    { count: 1 },
    [{ path, code, key, params }],
    'error.title.validation',
  );
}

async function mustSelect(tx: TenantTx, id: string): Promise<CaseRow> {
  const row = await selectCase(tx, id);
  if (!row) throw AppError.notFound('object.case');
  return row;
}

const read = (row: CaseRow, now: Date): Read => ({ case: toCase(row, now), etag: etagOf(row.version) });

/** The people and group a request names must be active and the tenant's (400 on the field). */
async function checkRefs(
  tx: TenantTx,
  refs: { assigneeId?: string | null; groupId?: string | null; supervisorId?: string | null },
): Promise<void> {
  const users = [refs.assigneeId, refs.supervisorId].filter((x): x is string => typeof x === 'string');
  const found = await activeUsers(tx, users);
  for (const field of ['assigneeId', 'supervisorId'] as const) {
    const id = refs[field];
    if (id && !found.has(id)) throw fieldError(field, 'not_found', 'cases.user_not_found');
  }
  if (refs.groupId) {
    const [g] = await tx.query<{ active: boolean }>(
      'SELECT active FROM escalation_groups WHERE tenant_id = $1 AND id = $2',
      [tx.tenantId, refs.groupId],
    );
    if (!g?.active) throw fieldError('groupId', 'not_found', 'cases.group_not_found');
  }
}

function checkDue(dueAt: Date, now: Date): void {
  if (dueAt.getTime() <= now.getTime()) throw fieldError('dueAt', 'in_past', 'cases.due_in_past');
}

/** A case title from what the interaction and the note say when none is given. */
function defaultTitle(subject: string | null, note: string, body: string): string {
  const first = [subject, note, body].map((s) => s?.split('\n')[0]?.trim() ?? '').find((s) => s.length > 0);
  return (first ?? '').slice(0, 200) || '(無題)';
}

/**
 * POST /interactions/:id/escalate: opens a case on the interaction (404 when it is not the
 * tenant's; 409 when it has an open case), sets the interaction's status to `escalated`, keeps
 * the case's first history rows, notifies the people it goes to, audits — one transaction.
 */
export async function escalateInteraction(
  db: Database,
  ctx: Ctx,
  interactionId: string,
  input: EscalateInput,
): Promise<Read> {
  if (!input.assigneeId && !input.groupId) throw fieldError('assigneeId', 'required', 'cases.assignee_required');
  const dueAt = new Date(input.dueAt);
  checkDue(dueAt, ctx.now);
  return db.withTenant(ctx.tenantId, async (tx) => {
    const interaction = await findInteraction(tx, interactionId);
    if (!interaction) throw AppError.notFound('object.interaction');
    await checkRefs(tx, input);
    const number = await nextCaseNumber(tx);
    const title = input.title ?? defaultTitle(interaction.subject, input.note, interaction.body);
    const id = await insertCase(tx, {
      number,
      interactionId,
      customerId: interaction.customerId,
      title,
      note: input.note,
      assigneeId: input.assigneeId ?? null,
      groupId: input.groupId ?? null,
      supervisorId: input.supervisorId ?? null,
      dueAt,
      createdBy: ctx.actor.type === 'user' ? ctx.actor.id : null,
      now: ctx.now,
    });
    if (!id) throw new AppError(409, 'cases.already_open', 'cases.already_open');
    await setInteractionStatus(tx, ctx.actor, interactionId, 'escalated', ctx.now);
    const events: EventInput[] = [{ kind: 'created', from: null, to: 'open' }];
    if (input.assigneeId) events.push({ kind: 'assignee', from: null, to: input.assigneeId });
    if (input.groupId) events.push({ kind: 'group', from: null, to: input.groupId });
    if (input.supervisorId) events.push({ kind: 'supervisor', from: null, to: input.supervisorId });
    events.push({ kind: 'due', from: null, to: dueAt.toISOString() });
    if (input.note) events.push({ kind: 'note', from: null, to: input.note });
    await insertCaseEvents(tx, ctx.actor, id, ctx.now, events);
    const people = await workersOf(tx, { assigneeId: input.assigneeId ?? null, groupId: input.groupId ?? null });
    await notifyAssigned(tx, { id, number, title, dueAt }, people, ctx.actor.id, ctx.now);
    await audit(tx, ctx.actor, {
      action: 'case.create',
      objectType: 'case',
      objectId: id,
      detail: { interactionId, number },
    });
    return read(await mustSelect(tx, id), ctx.now);
  });
}

export async function getCase(db: Database, ctx: Pick<Ctx, 'tenantId' | 'now'>, id: string): Promise<Read> {
  return db.withTenant(ctx.tenantId, async (tx) => read(await mustSelect(tx, id), ctx.now));
}

/** Which status may follow which: any among the open ones and to resolved/closed; a resolved case reopens or closes. */
function checkTransition(from: CaseStatus, to: CaseStatus): void {
  if (from === to) return;
  const allowed = isOpenStatus(from) || (from === 'resolved' && to !== 'resolved');
  if (!allowed) throw new AppError(409, 'cases.transition', 'cases.transition', { from, to });
}

const iso = (d: Date) => d.toISOString();

/**
 * PATCH /cases/:id: If-Match (when given) against the version (stale → 412); a closed case takes
 * comments only (409); status moves as checkTransition allows; people and group checked (400);
 * a new due time must be ahead of now and re-arms the alarm. One history row per change.
 */
export async function updateCase(
  db: Database,
  ctx: Ctx,
  id: string,
  patch: CasePatch,
  ifMatch: string | undefined,
): Promise<Read> {
  return db.withTenant(ctx.tenantId, async (tx) => {
    const cur = await lockCase(tx, id);
    if (!cur) throw AppError.notFound('object.case');
    if (ifMatch !== undefined && !ifMatchAccepts(ifMatch, cur.version)) throw AppError.stale();
    const changes = Object.keys(patch).filter(
      (k) => k !== 'comment' && patch[k as keyof CasePatch] !== undefined,
    ) as (keyof CasePatch)[];
    if (cur.status === 'closed' && changes.length > 0) throw new AppError(409, 'cases.closed', 'cases.closed');
    if (patch.status !== undefined) checkTransition(cur.status, patch.status);
    await checkRefs(tx, {
      assigneeId: patch.assigneeId !== cur.assignee_id ? patch.assigneeId : undefined,
      groupId: patch.groupId !== cur.group_id ? patch.groupId : undefined,
      supervisorId: patch.supervisorId !== cur.supervisor_id ? patch.supervisorId : undefined,
    });
    const assigneeId = patch.assigneeId === undefined ? cur.assignee_id : patch.assigneeId;
    const groupId = patch.groupId === undefined ? cur.group_id : patch.groupId;
    if (!assigneeId && !groupId) throw fieldError('assigneeId', 'required', 'cases.assignee_required');
    const dueAt = patch.dueAt === undefined ? cur.due_at : new Date(patch.dueAt);
    if (dueAt.getTime() !== cur.due_at.getTime()) checkDue(dueAt, ctx.now);

    const columns: Record<string, unknown> = {};
    const events: EventInput[] = [];
    const set = (column: string, kind: EventInput['kind'], from: string | null, to: string | null, value: unknown) => {
      if (from === to) return;
      columns[column] = value;
      events.push({ kind, from, to });
    };
    if (patch.status !== undefined && patch.status !== cur.status) {
      set('status', 'status', cur.status, patch.status, patch.status);
      // Resolved: stamped; closed: stamped (a resolution stays); reopened: both cleared.
      if (patch.status === 'resolved') Object.assign(columns, { resolved_at: ctx.now, closed_at: null });
      else if (patch.status === 'closed') columns.closed_at = ctx.now;
      else Object.assign(columns, { resolved_at: null, closed_at: null });
    }
    set('assignee_id', 'assignee', cur.assignee_id, assigneeId, assigneeId);
    set('group_id', 'group', cur.group_id, groupId, groupId);
    if (patch.supervisorId !== undefined) {
      set('supervisor_id', 'supervisor', cur.supervisor_id, patch.supervisorId, patch.supervisorId);
    }
    set('due_at', 'due', iso(cur.due_at), iso(dueAt), dueAt);
    if (patch.title !== undefined) set('title', 'title', cur.title, patch.title, patch.title);
    if (patch.note !== undefined) set('note', 'note', cur.note, patch.note, patch.note);
    if (patch.comment !== undefined) events.push({ kind: 'comment', from: null, to: patch.comment });
    if (events.length === 0) return read(await mustSelect(tx, id), ctx.now);

    await updateCaseColumns(tx, id, columns, ctx.now);
    await insertCaseEvents(tx, ctx.actor, id, ctx.now, events);
    const row = await mustSelect(tx, id);
    const newPeople = assigneeId !== cur.assignee_id || groupId !== cur.group_id;
    if (newPeople && isOpenStatus(row.status)) {
      const before = new Set(await workersOf(tx, { assigneeId: cur.assignee_id, groupId: cur.group_id }));
      const after = await workersOf(tx, { assigneeId, groupId });
      const ref = { id, number: Number(row.number), title: row.title, dueAt };
      await notifyAssigned(
        tx,
        ref,
        after.filter((u) => !before.has(u)),
        ctx.actor.id,
        ctx.now,
      );
    }
    await audit(tx, ctx.actor, {
      action: 'case.update',
      objectType: 'case',
      objectId: id,
      detail: {
        fields: events.map((e) => e.kind),
        ...(patch.status !== undefined && patch.status !== cur.status
          ? { status: { from: cur.status, to: patch.status } }
          : {}),
      },
    });
    return read(row, ctx.now);
  });
}

/**
 * GET /cases: in due order, most urgent first (keyset on due_at, id), by status, assignee,
 * group, customer or interaction; `overdue=true` keeps the open ones past due by the clock.
 */
export async function listCases(db: Database, ctx: Pick<Ctx, 'tenantId' | 'now'>, q: CaseFilter) {
  const after = decodeTsCursor(q.cursor);
  return db.withTenant(ctx.tenantId, async (tx) => {
    const { values, p } = params(tx.tenantId);
    const where = ['c.tenant_id = $1'];
    if (q.status) where.push(`c.status = ANY(${p(q.status)}::text[])`);
    if (q.overdue === 'true') where.push(`c.status = ANY(${p(OPEN_STATUSES)}::text[]) AND c.due_at <= ${p(ctx.now)}`);
    if (q.overdue === 'false') {
      where.push(`NOT (c.status = ANY(${p(OPEN_STATUSES)}::text[]) AND c.due_at <= ${p(ctx.now)})`);
    }
    if (q.assigneeId) where.push(`c.assignee_id = ${p(q.assigneeId)}`);
    if (q.groupId) where.push(`c.group_id = ${p(q.groupId)}`);
    if (q.customerId) where.push(`c.customer_id = ${p(q.customerId)}`);
    if (q.interactionId) where.push(`c.interaction_id = ${p(q.interactionId)}`);
    if (after) where.push(`(c.due_at, c.id) > (${p(after[0])}::timestamptz, ${p(after[1])}::uuid)`);
    const rows = await tx.query<CaseRow>(
      `SELECT ${CASE_COLUMNS} FROM ${CASE_FROM} WHERE ${where.join(' AND ')}
        ORDER BY c.due_at, c.id LIMIT ${p(q.limit + 1)}`,
      values,
    );
    return page(
      rows,
      q.limit,
      (r) => toCase(r, ctx.now),
      (r) => [r.due_key, r.id],
    );
  });
}

const eventCursor = z.tuple([z.number().int().positive()]);

/** GET /cases/:id/history: every change, oldest first (keyset on the event id). */
export async function caseHistory(
  db: Database,
  ctx: Pick<Ctx, 'tenantId'>,
  id: string,
  q: { limit: number; cursor?: string },
) {
  const after = decodeCursor(q.cursor, eventCursor);
  return db.withTenant(ctx.tenantId, async (tx) => {
    const [exists] = await tx.query('SELECT 1 FROM cases WHERE tenant_id = $1 AND id = $2', [tx.tenantId, id]);
    if (!exists) throw AppError.notFound('object.case');
    const rows = await selectCaseEvents(tx, id, after?.[0] ?? null, q.limit);
    return page(rows, q.limit, toCaseEvent, (r) => [Number(r.id)]);
  });
}
