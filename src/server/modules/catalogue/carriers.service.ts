// The tenant's carrier contracts (codes for the carriers' file layouts, tracking page) and the
// carriers' delivery time slots. Both are keyed by carrier (a fixed list), not by id.
import type { Database, TenantTx } from '../../db/database.js';
import { audit } from '../../platform/audit/audit.js';
import { CARRIERS, type Carrier } from './catalogue.schema.js';
import type { Ctx } from './crud.js';

export type CarrierAccount = {
  carrier: Carrier;
  account: Record<string, string>;
  trackingUrl: string | null;
  updatedAt: string | null;
};

/** The carriers' public tracking pages, shown until the tenant sets its own. */
export const DEFAULT_TRACKING_URLS: Record<Carrier, string> = {
  yamato: 'https://jizen.kuronekoyamato.co.jp/jizen/servlet/crjz.b.NQ0010?id={number}',
  sagawa: 'https://k2k.sagawa-exp.co.jp/p/web/okurijosearch.do?okurijoNo={number}',
  japanpost: 'https://trackings.post.japanpost.jp/services/srv/search/direct?reqCodeNo1={number}&locale=ja',
};

type AccountRow = { carrier: Carrier; account: Record<string, string>; tracking_url: string | null; updated_at: Date };

function toAccount(carrier: Carrier, r: AccountRow | undefined): CarrierAccount {
  return {
    carrier,
    account: r?.account ?? {},
    trackingUrl: r ? r.tracking_url : DEFAULT_TRACKING_URLS[carrier],
    updatedAt: r ? r.updated_at.toISOString() : null,
  };
}

/** Every carrier's account, unsaved ones with their defaults (read inside the caller's transaction). */
export async function carrierAccounts(tx: TenantTx): Promise<CarrierAccount[]> {
  const rows = await tx.query<AccountRow>(
    'SELECT carrier, account, tracking_url, updated_at FROM carrier_accounts WHERE tenant_id = $1',
    [tx.tenantId],
  );
  return CARRIERS.map((c) =>
    toAccount(
      c,
      rows.find((r) => r.carrier === c),
    ),
  );
}

export function listCarrierAccounts(db: Database, ctx: Pick<Ctx, 'tenantId'>) {
  return db.withTenant(ctx.tenantId, async (tx) => ({ items: await carrierAccounts(tx) }));
}

export async function getCarrierAccount(db: Database, ctx: Pick<Ctx, 'tenantId'>, carrier: Carrier) {
  return db.withTenant(ctx.tenantId, async (tx) => (await carrierAccounts(tx)).find((a) => a.carrier === carrier));
}

export async function saveCarrierAccount(
  tx: TenantTx,
  ctx: Ctx,
  carrier: Carrier,
  input: { account: Record<string, string>; trackingUrl?: string | null },
): Promise<CarrierAccount> {
  const [row] = await tx.query<AccountRow>(
    `INSERT INTO carrier_accounts (tenant_id, carrier, account, tracking_url) VALUES ($1, $2, $3::jsonb, $4)
     ON CONFLICT (tenant_id, carrier) DO UPDATE SET account = EXCLUDED.account, tracking_url = EXCLUDED.tracking_url,
       updated_at = now()
     RETURNING carrier, account, tracking_url, updated_at`,
    [tx.tenantId, carrier, JSON.stringify(input.account), input.trackingUrl ?? null],
  );
  // The codes are contract numbers, not personal data, but the audit names the fields only.
  await audit(tx, ctx.actor, {
    action: 'carrier_account.update',
    objectType: 'carrier_account',
    detail: { carrier, fields: Object.keys(input.account) },
  });
  return toAccount(carrier, row);
}

export function putCarrierAccount(
  db: Database,
  ctx: Ctx,
  carrier: Carrier,
  input: { account: Record<string, string>; trackingUrl?: string | null },
) {
  return db.withTenant(ctx.tenantId, (tx) => saveCarrierAccount(tx, ctx, carrier, input));
}

// ---------------------------------------------------------------------------------------------
export type TimeSlot = { carrier: Carrier; code: string; label: string; sortOrder: number; active: boolean };
export type TimeSlotInput = { code: string; label: string; sortOrder?: number; active: boolean };

/** The carriers' usual slots (B2 Cloud, e飛伝, ゆうプリR codes) a new tenant starts from. */
export const DEFAULT_TIME_SLOTS: Record<Carrier, { code: string; label: string }[]> = {
  yamato: [
    { code: '0812', label: '午前中' },
    { code: '1416', label: '14時～16時' },
    { code: '1618', label: '16時～18時' },
    { code: '1820', label: '18時～20時' },
    { code: '1921', label: '19時～21時' },
  ],
  sagawa: [
    { code: '01', label: '午前中' },
    { code: '12', label: '12時～14時' },
    { code: '14', label: '14時～16時' },
    { code: '16', label: '16時～18時' },
    { code: '18', label: '18時～20時' },
    { code: '04', label: '19時～21時' },
  ],
  japanpost: [
    { code: '51', label: '午前中' },
    { code: '52', label: '12時頃～14時頃' },
    { code: '53', label: '14時頃～16時頃' },
    { code: '54', label: '16時頃～18時頃' },
    { code: '55', label: '18時頃～20時頃' },
    { code: '56', label: '19時頃～21時頃' },
  ],
};

export async function timeSlots(tx: TenantTx, carrier?: Carrier): Promise<TimeSlot[]> {
  return tx.query<TimeSlot>(
    `SELECT carrier, code, label, sort_order AS "sortOrder", active FROM delivery_time_slots
      WHERE tenant_id = $1 AND ($2::text IS NULL OR carrier = $2)
      ORDER BY array_position(ARRAY['yamato', 'sagawa', 'japanpost'], carrier), sort_order, code`,
    [tx.tenantId, carrier ?? null],
  );
}

export function listTimeSlots(db: Database, ctx: Pick<Ctx, 'tenantId'>, carrier?: Carrier) {
  return db.withTenant(ctx.tenantId, async (tx) => ({ items: await timeSlots(tx, carrier) }));
}

/** Replaces a carrier's slots; sortOrder defaults to the position in the list. */
export async function replaceTimeSlots(
  tx: TenantTx,
  ctx: Ctx,
  carrier: Carrier,
  items: TimeSlotInput[],
): Promise<TimeSlot[]> {
  await tx.query('DELETE FROM delivery_time_slots WHERE tenant_id = $1 AND carrier = $2', [tx.tenantId, carrier]);
  await tx.query(
    `INSERT INTO delivery_time_slots (tenant_id, carrier, code, label, sort_order, active)
     SELECT $1, $2, s.code, s.label, s.sort_order, s.active
       FROM unnest($3::text[], $4::text[], $5::int[], $6::boolean[]) AS s(code, label, sort_order, active)`,
    [
      tx.tenantId,
      carrier,
      items.map((i) => i.code),
      items.map((i) => i.label),
      items.map((i, n) => i.sortOrder ?? (n + 1) * 10),
      items.map((i) => i.active),
    ],
  );
  await audit(tx, ctx.actor, {
    action: 'delivery_time_slot.replace',
    objectType: 'delivery_time_slot',
    detail: { carrier, codes: items.map((i) => i.code) },
  });
  return timeSlots(tx, carrier);
}

export function putTimeSlots(db: Database, ctx: Ctx, carrier: Carrier, items: TimeSlotInput[]) {
  return db.withTenant(ctx.tenantId, async (tx) => ({ items: await replaceTimeSlots(tx, ctx, carrier, items) }));
}
