// The daily lists: 本日の対応一覧 (a Tokyo day's interactions, by staff) and 長期未対応顧客
// (customers with no contact for N days), keyset-paged for a million customers; and the
// module's settings (neglectDays).
import { z } from 'zod';
import { tokyoDate } from '../../../shared/calendar.js';
import type { Database, TenantTx } from '../../db/database.js';
import { type Actor, audit } from '../../platform/audit/audit.js';
import { page } from '../../platform/http/pagination.js';
import { ACTION_LABELS, type ActionKind } from './actions.service.js';
import type { ContactType } from './contact-stats.js';
import { INTERACTION_COLUMNS, INTERACTION_FROM } from './interactions.queries.js';
import { type InteractionRow, toInteraction } from './interactions.schema.js';
import { addDays, decodeTsCursor, params, tokyoDayStart, tsKey } from './keyset.js';
import { ensureInteractionSetup } from './kinds.service.js';

type Ctx = { tenantId: string; actor: Actor; now: Date };

// Settings.

export const settingsSchema = z.object({ neglectDays: z.number().int().min(1).max(3650) });
export type InteractionSettings = z.infer<typeof settingsSchema>;

async function readSettings(tx: TenantTx): Promise<InteractionSettings> {
  await ensureInteractionSetup(tx);
  const [row] = await tx.query<{ neglect_days: number }>(
    'SELECT neglect_days FROM interaction_settings WHERE tenant_id = $1',
    [tx.tenantId],
  );
  return { neglectDays: row?.neglect_days ?? 30 };
}

export function getInteractionSettings(db: Database, ctx: Pick<Ctx, 'tenantId'>): Promise<InteractionSettings> {
  return db.withTenant(ctx.tenantId, readSettings);
}

export async function putInteractionSettings(
  db: Database,
  ctx: Ctx,
  input: InteractionSettings,
): Promise<InteractionSettings> {
  return db.withTenant(ctx.tenantId, async (tx) => {
    const before = await readSettings(tx);
    await tx.query('UPDATE interaction_settings SET neglect_days = $2, updated_at = now() WHERE tenant_id = $1', [
      tx.tenantId,
      input.neglectDays,
    ]);
    await audit(tx, ctx.actor, {
      action: 'interaction_settings.update',
      objectType: 'tenant',
      objectId: ctx.tenantId,
      detail: { neglectDays: { from: before.neglectDays, to: input.neglectDays } },
    });
    return readSettings(tx);
  });
}

// 本日の対応一覧.

export type DayRange = { date: string; start: Date; end: Date };

/** The Asia/Tokyo calendar day `date` (default: today by the clock) as a half-open range. */
export function dayRange(now: Date, date?: string): DayRange {
  const day = date ?? tokyoDate(now);
  return { date: day, start: tokyoDayStart(day), end: tokyoDayStart(addDays(day, 1)) };
}

/** One page of a day's interactions in time order (keyset on at, id), of one staff member when given. */
export async function dayRows(
  tx: TenantTx,
  range: DayRange,
  staffId: string | undefined,
  after: [string, string] | null,
  limit: number,
): Promise<InteractionRow[]> {
  const { values, p } = params(tx.tenantId, range.start, range.end);
  const where = ['i.tenant_id = $1', 'i.at >= $2', 'i.at < $3'];
  if (staffId) where.push(`i.staff_id = ${p(staffId)}`);
  if (after) where.push(`(i.at, i.id) > (${p(after[0])}::timestamptz, ${p(after[1])}::uuid)`);
  return tx.query<InteractionRow>(
    `SELECT ${INTERACTION_COLUMNS} FROM ${INTERACTION_FROM} WHERE ${where.join(' AND ')}
      ORDER BY i.at, i.id LIMIT ${p(limit + 1)}`,
    values,
  );
}

export async function todayList(
  db: Database,
  ctx: Pick<Ctx, 'tenantId' | 'now'>,
  q: { date?: string; staffId?: string; limit: number; cursor?: string },
) {
  const after = decodeTsCursor(q.cursor);
  const range = dayRange(ctx.now, q.date);
  return db.withTenant(ctx.tenantId, async (tx) => {
    const rows = await dayRows(tx, range, q.staffId, after, q.limit);
    return { date: range.date, ...page(rows, q.limit, toInteraction, (r) => [r.at_key, r.id]) };
  });
}

/** The day's interactions counted by staff member (対応者): all of them and those still open. */
export async function todaySummary(db: Database, ctx: Pick<Ctx, 'tenantId' | 'now'>, q: { date?: string }) {
  const range = dayRange(ctx.now, q.date);
  return db.withTenant(ctx.tenantId, async (tx) => {
    const rows = await tx.query<{ staff_id: string | null; staff_name: string | null; count: number; open: number }>(
      `SELECT i.staff_id, u.name AS staff_name, count(*)::int AS count,
              count(*) FILTER (WHERE i.status <> 'done')::int AS open
         FROM interactions i LEFT JOIN users u ON u.tenant_id = i.tenant_id AND u.id = i.staff_id
        WHERE i.tenant_id = $1 AND i.at >= $2 AND i.at < $3
        GROUP BY i.staff_id, u.name
        ORDER BY u.name NULLS LAST, i.staff_id`,
      [tx.tenantId, range.start, range.end],
    );
    return {
      date: range.date,
      items: rows.map((r) => ({ staffId: r.staff_id, staffName: r.staff_name, count: r.count, open: r.open })),
    };
  });
}

// 長期未対応顧客.

export const neglectedSchema = z.object({
  customerId: z.uuid(),
  code: z.string(),
  name: z.string(),
  nameKana: z.string().nullable(),
  phone: z.string().nullable(),
  prefecture: z.string().nullable(),
  city: z.string().nullable(),
  staffId: z.uuid().nullable(),
  staffName: z.string().nullable(),
  registeredAt: z.string(),
  lastContactAt: z.string().nullable(),
  lastContactType: z.enum(['interaction', 'action', 'purchase']).nullable(),
  /** The interaction kind's name, the action kind's label (電話, DM …) or the purchase's label. */
  lastContactLabel: z.string().nullable(),
  lastInteractionAt: z.string().nullable(),
  lastActionAt: z.string().nullable(),
  lastPurchaseAt: z.string().nullable(),
  /** Whole Asia/Tokyo days since the last contact (or the registration, before any). */
  days: z.number().int(),
});
export type NeglectedCustomer = z.infer<typeof neglectedSchema>;

export type NeglectedRow = {
  customer_id: string;
  touch_key: string;
  last_touch_at: Date;
  registered_at: Date;
  last_contact_at: Date | null;
  last_contact_type: ContactType | null;
  last_contact_kind: string | null;
  last_interaction_at: Date | null;
  last_action_at: Date | null;
  last_purchase_at: Date | null;
  code: string;
  name: string;
  name_kana: string | null;
  prefecture: string | null;
  city: string | null;
  staff_id: string | null;
  staff_name: string | null;
  phone: string | null;
};

/** Customers quiet since before `cutoff`, longest-quiet first: one range scan of customer_contact_stats_touch_idx. */
export async function neglectedRows(
  tx: TenantTx,
  cutoff: Date,
  after: [string, string] | null,
  limit: number,
): Promise<NeglectedRow[]> {
  const { values, p } = params(tx.tenantId, cutoff);
  const where = ['s.tenant_id = $1', 's.last_touch_at < $2'];
  if (after) where.push(`(s.last_touch_at, s.customer_id) > (${p(after[0])}::timestamptz, ${p(after[1])}::uuid)`);
  return tx.query<NeglectedRow>(
    `SELECT s.customer_id, ${tsKey('s.last_touch_at')} AS touch_key, s.last_touch_at, s.registered_at, s.last_contact_at,
            s.last_contact_type, s.last_contact_kind, s.last_interaction_at, s.last_action_at, s.last_purchase_at,
            c.code, c.name, c.name_kana, c.prefecture, c.city, c.staff_id, u.name AS staff_name,
            (SELECT ph.number FROM customer_phones ph WHERE ph.tenant_id = c.tenant_id AND ph.customer_id = c.id
              ORDER BY ph.position LIMIT 1) AS phone
       FROM customer_contact_stats s
       JOIN customers c ON c.tenant_id = s.tenant_id AND c.id = s.customer_id
       LEFT JOIN users u ON u.tenant_id = c.tenant_id AND u.id = c.staff_id
      WHERE ${where.join(' AND ')}
      ORDER BY s.last_touch_at, s.customer_id LIMIT ${p(limit + 1)}`,
    values,
  );
}

export function contactLabel(type: ContactType | null, kind: string | null): string | null {
  if (!type || kind === null) return null;
  return type === 'action' ? (ACTION_LABELS[kind as ActionKind] ?? kind) : kind;
}

export function toNeglected(r: NeglectedRow, today: string): NeglectedCustomer {
  const since = tokyoDate(r.last_touch_at);
  return {
    customerId: r.customer_id,
    code: r.code,
    name: r.name,
    nameKana: r.name_kana,
    phone: r.phone,
    prefecture: r.prefecture,
    city: r.city,
    staffId: r.staff_id,
    staffName: r.staff_name,
    registeredAt: r.registered_at.toISOString(),
    lastContactAt: r.last_contact_at?.toISOString() ?? null,
    lastContactType: r.last_contact_type,
    lastContactLabel: contactLabel(r.last_contact_type, r.last_contact_kind),
    lastInteractionAt: r.last_interaction_at?.toISOString() ?? null,
    lastActionAt: r.last_action_at?.toISOString() ?? null,
    lastPurchaseAt: r.last_purchase_at?.toISOString() ?? null,
    days: Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${since}T00:00:00Z`)) / 86_400_000),
  };
}

/**
 * N days quiet means the last contact's Tokyo date is at least N days before today's: before the
 * start of day (today − N + 1). N is `days`, else the tenant's neglectDays.
 */
export async function neglectedPlan(tx: TenantTx, now: Date, days: number | undefined) {
  const n = days ?? (await readSettings(tx)).neglectDays;
  const today = tokyoDate(now);
  return { days: n, today, cutoff: tokyoDayStart(addDays(today, 1 - n)) };
}

export async function neglectedList(
  db: Database,
  ctx: Pick<Ctx, 'tenantId' | 'now'>,
  q: { days?: number; limit: number; cursor?: string },
) {
  const after = decodeTsCursor(q.cursor);
  return db.withTenant(ctx.tenantId, async (tx) => {
    const plan = await neglectedPlan(tx, ctx.now, q.days);
    const rows = await neglectedRows(tx, plan.cutoff, after, q.limit);
    return {
      days: plan.days,
      before: plan.cutoff.toISOString(),
      ...page(
        rows,
        q.limit,
        (r) => toNeglected(r, plan.today),
        (r) => [r.touch_key, r.customer_id],
      ),
    };
  });
}
