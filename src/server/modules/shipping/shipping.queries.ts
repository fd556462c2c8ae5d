// Reading a day's parcels in keyset batches (by order number) with their lines in one query per
// batch, the shipper and contract codes, and the status changes the carrier files cause.
import type { TenantTx } from '../../db/database.js';
import type { Actor } from '../../platform/audit/audit.js';
import { getOrderSettings } from '../../platform/tenants/tenants.service.js';
import { DEFAULT_TRACKING_URLS } from '../catalogue/carriers.service.js';
import {
  BUILTIN_TIME_SLOTS,
  type LayoutContext,
  type OrderCarrier,
  type Parcel,
  type ParcelLine,
  type Shipper,
} from './shipping.layouts.js';

export const BATCH = 1000;
/** The statuses a carrier file takes: not yet shipped (re-exporting an instructed day is allowed). */
export const EXPORTABLE = ['received', 'instructed'];

type ParcelRow = {
  id: string;
  number: string;
  status: string;
  ship_date: string;
  desired_delivery_date: string | null;
  time_slot: string | null;
  origin_id: string | null;
  ship_name: string;
  ship_kana: string | null;
  ship_postal_code: string | null;
  ship_prefecture: string | null;
  ship_city: string | null;
  ship_address1: string | null;
  ship_address2: string | null;
  ship_company: string | null;
  ship_department: string | null;
  ship_phone: string | null;
  payment_kind: string | null;
  total: number;
  paid_amount: number;
  tax_total: number;
};

const PARCEL_COLUMNS = `o.id, o.number::text AS number, o.status, o.ship_date::text AS ship_date,
  o.desired_delivery_date::text AS desired_delivery_date, o.time_slot, o.origin_id, o.ship_name, o.ship_kana,
  o.ship_postal_code, o.ship_prefecture, o.ship_city, o.ship_address1, o.ship_address2, o.ship_company,
  o.ship_department, o.ship_phone, o.payment_kind, o.total, o.paid_amount, o.tax_total`;

function toParcel(r: ParcelRow, lines: ParcelLine[]): Parcel {
  return {
    id: r.id,
    number: r.number,
    shipDate: r.ship_date,
    desiredDeliveryDate: r.desired_delivery_date,
    timeSlot: r.time_slot,
    originId: r.origin_id,
    name: r.ship_name,
    kana: r.ship_kana,
    postalCode: r.ship_postal_code,
    prefecture: r.ship_prefecture,
    city: r.ship_city,
    address1: r.ship_address1,
    address2: r.ship_address2,
    company: r.ship_company,
    department: r.ship_department,
    phone: r.ship_phone,
    paymentKind: r.payment_kind,
    total: Number(r.total),
    paidAmount: Number(r.paid_amount),
    taxTotal: Number(r.tax_total),
    lines,
  };
}

/** The lines of some orders (items and presents first, by line number), one query. */
export async function linesOf(tx: TenantTx, orderIds: string[]): Promise<Map<string, ParcelLine[]>> {
  const out = new Map<string, ParcelLine[]>();
  if (orderIds.length === 0) return out;
  const rows = await tx.query<{ order_id: string; product_code: string; product_name: string; quantity: number }>(
    `SELECT order_id, product_code, product_name, quantity FROM order_lines
      WHERE tenant_id = $1 AND order_id = ANY($2::uuid[])
      ORDER BY order_id, (kind = 'component'), line_no`,
    [tx.tenantId, orderIds],
  );
  for (const r of rows) {
    const list = out.get(r.order_id) ?? [];
    list.push({ code: r.product_code, name: r.product_name, quantity: Number(r.quantity) });
    out.set(r.order_id, list);
  }
  return out;
}

export type ParcelQuery = {
  shipDate: string;
  carrier: OrderCarrier;
  statuses: string[];
  lock?: boolean;
  /** false: skip the lines (they only feed columns that are cut, never refused). */
  withLines?: boolean;
};

/** The day's parcels of a carrier, BATCH at a time in order-number order (locked when asked). */
export async function* parcelBatches(tx: TenantTx, q: ParcelQuery): AsyncGenerator<Parcel[]> {
  let after = '0';
  for (;;) {
    const rows = await tx.query<ParcelRow>(
      `SELECT ${PARCEL_COLUMNS} FROM orders o
        WHERE o.tenant_id = $1 AND o.ship_date = $2 AND o.carrier = $3 AND o.status = ANY($4::text[])
          AND o.number > $5::bigint
        ORDER BY o.number LIMIT ${BATCH}${q.lock ? ' FOR UPDATE' : ''}`,
      [tx.tenantId, q.shipDate, q.carrier, q.statuses, after],
    );
    if (rows.length === 0) return;
    const lines =
      q.withLines === false
        ? new Map<string, ParcelLine[]>()
        : await linesOf(
            tx,
            rows.map((r) => r.id),
          );
    yield rows.map((r) => toParcel(r, lines.get(r.id) ?? []));
    if (rows.length < BATCH) return;
    after = (rows[rows.length - 1] as ParcelRow).number;
  }
}

type OriginRow = {
  id: string;
  shipper_name: string;
  shipper_kana: string | null;
  postal_code: string;
  prefecture: string;
  city: string;
  address1: string;
  address2: string | null;
  phone: string;
  is_default: boolean;
};

export type ExportContext = {
  /** The layout context for a parcel (its origin's shipper, else the default one). */
  contextOf(p: Parcel): LayoutContext;
  /** True when no shipping origin exists and the invoice issuer stands in for the shipper. */
  noOrigin: boolean;
};

/** Shippers (origins), the carrier's contract codes and time slots: a few small reads. */
export async function loadExportContext(tx: TenantTx, carrier: OrderCarrier): Promise<ExportContext> {
  const [origins, accounts, slots, settings] = await Promise.all([
    tx.query<OriginRow>(
      `SELECT id, shipper_name, shipper_kana, postal_code, prefecture, city, address1, address2, phone, is_default
         FROM shipping_origins WHERE tenant_id = $1 ORDER BY is_default DESC, active DESC, code`,
      [tx.tenantId],
    ),
    tx.query<{ account: Record<string, string> }>(
      'SELECT account FROM carrier_accounts WHERE tenant_id = $1 AND carrier = $2',
      [tx.tenantId, carrier],
    ),
    tx.query<{ code: string }>('SELECT code FROM delivery_time_slots WHERE tenant_id = $1 AND carrier = $2', [
      tx.tenantId,
      carrier,
    ]),
    getOrderSettings(tx),
  ]);
  const shipperOf = (o: OriginRow): Shipper => ({
    name: o.shipper_name,
    kana: o.shipper_kana,
    postalCode: o.postal_code,
    prefecture: o.prefecture,
    city: o.city,
    address1: o.address1,
    address2: o.address2,
    phone: o.phone,
  });
  const inv = settings.invoice;
  const fallback: Shipper = origins[0]
    ? shipperOf(origins[0])
    : {
        name: inv.issuerName,
        kana: null,
        postalCode: inv.issuerAddress.match(/\d{3}-?\d{4}/)?.[0] ?? '',
        prefecture: '',
        city: '',
        address1: inv.issuerAddress.replace(/^〒?\s*\d{3}-?\d{4}\s*/, ''),
        address2: null,
        phone: inv.issuerPhone,
      };
  const byId = new Map(origins.map((o) => [o.id, shipperOf(o)]));
  const account = accounts[0]?.account ?? {};
  const timeSlots = new Set([...BUILTIN_TIME_SLOTS[carrier], ...slots.map((s) => s.code)]);
  const contexts = new Map<string | null, LayoutContext>();
  return {
    noOrigin: origins.length === 0,
    contextOf(p) {
      const key = p.originId && byId.has(p.originId) ? p.originId : null;
      let ctx = contexts.get(key);
      if (!ctx) {
        ctx = { shipper: (key && byId.get(key)) || fallback, account, timeSlots };
        contexts.set(key, ctx);
      }
      return ctx;
    },
  };
}

const userOf = (actor: Actor) => (actor.type === 'user' ? actor.id : null);

/**
 * 出荷指示: received orders among `ids` become instructed, an order event each, in one statement
 * (orders already instructed are left as they are). Answers how many changed.
 */
export async function markInstructed(
  tx: TenantTx,
  ids: string[],
  at: Date,
  actor: Actor,
  data: Record<string, unknown>,
): Promise<number> {
  if (ids.length === 0) return 0;
  const [row] = await tx.query<{ n: number }>(
    `WITH changed AS (
       UPDATE orders SET status = 'instructed', instructed_at = $3, updated_at = $3, version = version + 1
        WHERE tenant_id = $1 AND id = ANY($2::uuid[]) AND status = 'received'
        RETURNING id),
     events AS (
       INSERT INTO order_events (tenant_id, order_id, at, user_id, kind, data)
       SELECT $1, id, $3, $4, 'instructed', $5::jsonb FROM changed RETURNING 1)
     SELECT count(*)::int AS n FROM events`,
    [tx.tenantId, ids, at, userOf(actor), JSON.stringify(data)],
  );
  return Number(row?.n ?? 0);
}

/** 出荷済: the orders become shipped with their tracking numbers, an order event each. */
export async function markShipped(
  tx: TenantTx,
  items: { id: string; trackingNumber: string }[],
  carrier: OrderCarrier,
  at: Date,
  actor: Actor,
): Promise<void> {
  for (let i = 0; i < items.length; i += BATCH) {
    const batch = items.slice(i, i + BATCH);
    await tx.query(
      `UPDATE orders o SET status = 'shipped', tracking_number = t.tracking, shipped_at = $4,
              instructed_at = coalesce(o.instructed_at, $4), updated_at = $4, version = o.version + 1
         FROM unnest($2::uuid[], $3::text[]) AS t(id, tracking)
        WHERE o.tenant_id = $1 AND o.id = t.id`,
      [tx.tenantId, batch.map((b) => b.id), batch.map((b) => b.trackingNumber), at],
    );
    await tx.query(
      `INSERT INTO order_events (tenant_id, order_id, at, user_id, kind, data)
       SELECT $1, t.id, $4, $5, 'shipped', jsonb_build_object('carrier', $6::text, 'trackingNumber', t.tracking)
         FROM unnest($2::uuid[], $3::text[]) AS t(id, tracking)`,
      [tx.tenantId, batch.map((b) => b.id), batch.map((b) => b.trackingNumber), at, userOf(actor), carrier],
    );
  }
}

/** The carrier's tracking page for a number: the tenant's own URL, else the carrier's public one. */
export async function trackingUrlOf(tx: TenantTx, carrier: OrderCarrier, trackingNumber: string): Promise<string> {
  const [row] = await tx.query<{ tracking_url: string | null }>(
    'SELECT tracking_url FROM carrier_accounts WHERE tenant_id = $1 AND carrier = $2',
    [tx.tenantId, carrier],
  );
  const template = row?.tracking_url || DEFAULT_TRACKING_URLS[carrier];
  return template.replaceAll('{number}', encodeURIComponent(trackingNumber));
}
