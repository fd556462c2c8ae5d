// AC履歴 (actions): what was done towards a customer. Other modules (interactions, orders,
// marketing) record them through recordActions()/recordAction() inside their own transaction.
import { z } from 'zod';
import type { Database, TenantTx } from '../../db/database.js';
import { type Actor, audit } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors.js';
import { page } from '../../platform/http/pagination.js';
import { touchContacts } from './contact-stats.js';
import { addDays, decodeTsCursor, params, tokyoDayStart, tsKey } from './keyset.js';
import { FUTURE_TOLERANCE_MS, fieldError, requireCustomers, requireUsers } from './refs.js';

export const ACTION_KINDS = ['call', 'dm', 'catalogue', 'mail_magazine', 'sample', 'other'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];
export const ACTION_LABELS: Record<ActionKind, string> = {
  call: '電話',
  dm: 'DM',
  catalogue: 'カタログ',
  mail_magazine: 'メールマガジン',
  sample: 'サンプル',
  other: 'その他',
};

export type ActionInput = {
  customerId: string;
  kind: ActionKind;
  at: Date;
  note?: string | null;
  /** What the action came from, e.g. `interaction`, `order`, `campaign` (lower-case identifier). */
  refType?: string | null;
  refId?: string | null;
  /** Who did it; defaults to the acting user (none for a token or the system). */
  staffId?: string | null;
};

export const actionSchema = z.object({
  id: z.uuid(),
  customerId: z.uuid(),
  kind: z.enum(ACTION_KINDS),
  at: z.string(),
  note: z.string().nullable(),
  refType: z.string().nullable(),
  refId: z.string().nullable(),
  staffId: z.uuid().nullable(),
  staffName: z.string().nullable(),
  createdAt: z.string(),
});
export type Action = z.infer<typeof actionSchema>;

type ActionRow = {
  id: string;
  customer_id: string;
  kind: ActionKind;
  at: Date;
  at_key: string;
  note: string | null;
  ref_type: string | null;
  ref_id: string | null;
  staff_id: string | null;
  staff_name: string | null;
  created_at: Date;
};

const ACTION_COLUMNS = `a.id, a.customer_id, a.kind, a.at, ${tsKey('a.at')} AS at_key, a.note, a.ref_type, a.ref_id,
  a.staff_id, u.name AS staff_name, a.created_at`;
const ACTION_FROM = 'customer_actions a LEFT JOIN users u ON u.tenant_id = a.tenant_id AND u.id = a.staff_id';

function toAction(r: ActionRow): Action {
  return {
    id: r.id,
    customerId: r.customer_id,
    kind: r.kind,
    at: r.at.toISOString(),
    note: r.note,
    refType: r.ref_type,
    refId: r.ref_id,
    staffId: r.staff_id,
    staffName: r.staff_name,
    createdAt: r.created_at.toISOString(),
  };
}

/**
 * Records actions in the caller's transaction: one statement for any number, the customers'
 * last contact kept in step, one audit row. An action with a reference (refType + refId) is
 * recorded once per customer and kind: a replay (a retried job) adds nothing. Unknown customers
 * → 404. Answers the ids of the actions added.
 */
export async function recordActions(tx: TenantTx, actor: Actor, inputs: ActionInput[]): Promise<{ ids: string[] }> {
  if (inputs.length === 0) return { ids: [] };
  await requireCustomers(
    tx,
    inputs.map((i) => i.customerId),
  );
  const defaultStaff = actor.type === 'user' ? actor.id : null;
  const rows = inputs.map((i) => ({
    customer_id: i.customerId,
    kind: i.kind,
    at: i.at.toISOString(),
    note: i.note ?? null,
    ref_type: i.refId ? (i.refType ?? null) : null,
    ref_id: i.refType ? (i.refId ?? null) : null,
    staff_id: i.staffId === undefined ? defaultStaff : i.staffId,
  }));
  const inserted = await tx.query<{ id: string; customer_id: string; kind: ActionKind; at: Date }>(
    `INSERT INTO customer_actions (tenant_id, customer_id, kind, at, note, ref_type, ref_id, staff_id)
     SELECT $1, r.customer_id, r.kind, r.at, r.note, r.ref_type, r.ref_id, r.staff_id
       FROM jsonb_to_recordset($2::jsonb)
         AS r(customer_id uuid, kind text, at timestamptz, note text, ref_type text, ref_id text, staff_id uuid)
     ON CONFLICT (tenant_id, ref_type, ref_id, customer_id, kind) WHERE ref_type IS NOT NULL DO NOTHING
     RETURNING id, customer_id, kind, at`,
    [tx.tenantId, JSON.stringify(rows)],
  );
  await touchContacts(
    tx,
    'action',
    inserted.map((r) => ({ customerId: r.customer_id, at: r.at, kind: r.kind })),
  );
  if (inserted.length > 0) {
    const one = inserted.length === 1 ? inserted[0] : undefined;
    await audit(tx, actor, {
      action: 'customer_action.create',
      objectType: 'customer_action',
      objectId: one?.id ?? null,
      detail: one
        ? { customerId: one.customer_id, kind: one.kind }
        : { count: inserted.length, kinds: [...new Set(inserted.map((r) => r.kind))] },
    });
  }
  return { ids: inserted.map((r) => r.id) };
}

/**
 * Records one action (see recordActions) and answers it, or — for a replayed reference — the
 * action recorded the first time, with `created: false`.
 */
export async function recordAction(
  tx: TenantTx,
  actor: Actor,
  input: ActionInput,
): Promise<{ action: Action; created: boolean }> {
  const { ids } = await recordActions(tx, actor, [input]);
  const where = ids[0]
    ? { sql: 'a.id = $2', values: [ids[0]] }
    : {
        sql: 'a.ref_type = $2 AND a.ref_id = $3 AND a.customer_id = $4 AND a.kind = $5',
        values: [input.refType, input.refId, input.customerId, input.kind],
      };
  const [row] = await tx.query<ActionRow>(
    `SELECT ${ACTION_COLUMNS} FROM ${ACTION_FROM} WHERE a.tenant_id = $1 AND ${where.sql}`,
    [tx.tenantId, ...where.values],
  );
  if (!row) throw new Error('recordAction: the action is not there');
  return { action: toAction(row), created: ids.length > 0 };
}

type Ctx = { tenantId: string; actor: Actor; now: Date };

/** POST /customers/{id}/actions: an action entered by hand (a DM sent, a catalogue posted). */
export async function addAction(
  db: Database,
  ctx: Ctx,
  customerId: string,
  input: Omit<ActionInput, 'customerId' | 'at'> & { at?: string },
): Promise<{ action: Action; created: boolean }> {
  const at = input.at ? new Date(input.at) : ctx.now;
  if (at.getTime() > ctx.now.getTime() + FUTURE_TOLERANCE_MS)
    throw fieldError('at', 'in_future', 'interactions.at_in_future');
  return db.withTenant(ctx.tenantId, async (tx) => {
    await requireCustomers(tx, [customerId]);
    await requireUsers(tx, { staffId: input.staffId });
    return recordAction(tx, ctx.actor, { ...input, customerId, at });
  });
}

export async function getAction(db: Database, ctx: Pick<Ctx, 'tenantId'>, id: string): Promise<Action> {
  return db.withTenant(ctx.tenantId, async (tx) => {
    const [row] = await tx.query<ActionRow>(
      `SELECT ${ACTION_COLUMNS} FROM ${ACTION_FROM} WHERE a.tenant_id = $1 AND a.id = $2`,
      [tx.tenantId, id],
    );
    if (!row) throw AppError.notFound('object.customer_action');
    return toAction(row);
  });
}

/** A customer's actions, newest first (keyset on at, id); `from`/`to` are Tokyo days, inclusive. */
export async function listActions(
  db: Database,
  ctx: Pick<Ctx, 'tenantId'>,
  customerId: string,
  q: { kind?: ActionKind; from?: string; to?: string; limit: number; cursor?: string },
) {
  const after = decodeTsCursor(q.cursor);
  return db.withTenant(ctx.tenantId, async (tx) => {
    await requireCustomers(tx, [customerId]);
    const { values, p } = params(tx.tenantId, customerId);
    const where = ['a.tenant_id = $1', 'a.customer_id = $2'];
    if (q.kind) where.push(`a.kind = ${p(q.kind)}`);
    if (q.from) where.push(`a.at >= ${p(tokyoDayStart(q.from))}`);
    if (q.to) where.push(`a.at < ${p(tokyoDayStart(addDays(q.to, 1)))}`);
    if (after) where.push(`(a.at, a.id) < (${p(after[0])}::timestamptz, ${p(after[1])}::uuid)`);
    const rows = await tx.query<ActionRow>(
      `SELECT ${ACTION_COLUMNS} FROM ${ACTION_FROM} WHERE ${where.join(' AND ')}
        ORDER BY a.at DESC, a.id DESC LIMIT ${p(q.limit + 1)}`,
      values,
    );
    return page(rows, q.limit, toAction, (r) => [r.at_key, r.id]);
  });
}
