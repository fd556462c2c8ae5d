// POST /shipments/tracking-import: the carrier software's issued-data file (B2: the export's layout
// with 伝票番号 filled) read in UTF-8 or Shift_JIS, every row matched to an order by the customer
// reference; all rows good → the orders become shipped in one transaction; any row bad → nothing.
// Importing the same file again finds every order already shipped with that number: no change.
import { parse } from 'csv-parse/sync';
import type { Database, TenantTx } from '../../db/database.js';
import { audit } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors.js';
import { type Locale, type MessageKey, translate } from '../../platform/i18n/messages.js';
import { decodeCsv } from '../customers/customers.csv.js';
import type { Ctx } from './shipping.export.js';
import { type ExportCarrier, LAYOUTS, ORDER_CARRIER } from './shipping.layouts.js';
import { BATCH, markShipped } from './shipping.queries.js';

export type TrackingError = { row: number; code: string; message: string };
export type TrackingResult = {
  rows: number;
  matched: number;
  /** Orders that became shipped by this import (0 on a re-import). */
  shipped: number;
  errors: TrackingError[];
};

type FileRow = { row: number; reference: string; tracking: string };

const strip = (s: string | undefined) => (s ?? '').normalize('NFKC').trim();

/** Finds the two columns by their header, else the layout's positions in a file without a header. */
function readRows(text: string, carrier: ExportCarrier): FileRow[] {
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, relax_quotes: true, skip_empty_lines: false, trim: false });
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? 0;
    throw new AppError(400, 'import.malformed', 'import.malformed', { line });
  }
  const layout = LAYOUTS[carrier];
  const first = (records[0] ?? []).map((h) => strip(h).replace(/^\uFEFF/, ''));
  const find = (names: readonly string[]) =>
    first.findIndex((h) => names.some((n) => strip(n).toLowerCase() === h.toLowerCase()));
  let ref = find(layout.refHeaders);
  let tracking = find(layout.trackingHeaders);
  let start = 1;
  if (ref < 0 && tracking < 0 && layout.trackingColumn >= 0) {
    // No header row: the layout's own positions.
    ref = layout.refColumn;
    tracking = layout.trackingColumn;
    start = 0;
  }
  if (ref < 0 || tracking < 0) {
    throw AppError.field(400, 'shipping.tracking.no_columns', 'body', 'shipping.tracking.no_columns');
  }
  const rows: FileRow[] = [];
  for (let i = start; i < records.length; i++) {
    const cells = records[i] ?? [];
    if (cells.every((c) => !c.trim())) continue;
    rows.push({ row: i + 1, reference: strip(cells[ref]), tracking: strip(cells[tracking]).replace(/[-\s]/g, '') });
  }
  return rows;
}

type OrderRow = { id: string; number: string; status: string; carrier: string; tracking_number: string | null };

/** Checks every row against the orders (locked); answers the result and the orders to ship. */
async function check(
  tx: TenantTx,
  rows: FileRow[],
  carrier: ExportCarrier,
  locale: Locale,
): Promise<{ errors: TrackingError[]; toShip: { id: string; trackingNumber: string }[]; matched: number }> {
  const orderCarrier = ORDER_CARRIER[carrier];
  const numbers = [...new Set(rows.map((r) => r.reference).filter((r) => /^\d{1,18}$/.test(r)))];
  const orders = new Map<string, OrderRow>();
  for (let i = 0; i < numbers.length; i += BATCH) {
    const found = await tx.query<OrderRow>(
      `SELECT id, number::text AS number, status, carrier, tracking_number FROM orders
        WHERE tenant_id = $1 AND number = ANY($2::bigint[]) ORDER BY number FOR UPDATE`,
      [tx.tenantId, numbers.slice(i, i + BATCH)],
    );
    for (const o of found) orders.set(o.number, o);
  }
  const errors: TrackingError[] = [];
  const err = (row: number, code: string, params: Record<string, string> = {}) =>
    errors.push({ row, code, message: translate(locale, `shipping.tracking.${code}` as MessageKey, params) });
  const seen = new Map<string, string>();
  const toShip = new Map<string, string>();
  let matched = 0;
  for (const r of rows) {
    if (!r.reference) {
      err(r.row, 'missing_reference');
      continue;
    }
    const o = orders.get(r.reference.replace(/^0+(?=\d)/, ''));
    if (!o) {
      err(r.row, 'unmatched', { number: r.reference });
      continue;
    }
    if (!/^\d{10,14}$/.test(r.tracking)) {
      err(r.row, 'invalid_number', { tracking: r.tracking });
      continue;
    }
    if (o.carrier !== orderCarrier) {
      err(r.row, 'wrong_carrier', { number: o.number });
      continue;
    }
    const before = seen.get(o.id);
    if (before !== undefined && before !== r.tracking) {
      err(r.row, 'duplicate', { number: o.number });
      continue;
    }
    seen.set(o.id, r.tracking);
    if (o.status === 'shipped' || o.status === 'completed') {
      if (o.tracking_number && o.tracking_number !== r.tracking) {
        err(r.row, 'conflict', { number: o.number, existing: o.tracking_number });
        continue;
      }
      matched++;
      continue;
    }
    if (o.status !== 'received' && o.status !== 'instructed') {
      err(r.row, 'invalid_status', { number: o.number, status: o.status });
      continue;
    }
    matched++;
    toShip.set(o.id, r.tracking);
  }
  return { errors, matched, toShip: [...toShip].map(([id, trackingNumber]) => ({ id, trackingNumber })) };
}

/** Reads and applies the file: all or nothing. `status` 200 when applied (or nothing to do), 422 otherwise. */
export async function importTracking(
  db: Database,
  ctx: Ctx,
  carrier: ExportCarrier,
  body: Buffer,
  locale: Locale,
): Promise<{ status: 200 | 422; result: TrackingResult }> {
  const { text, encoding } = decodeCsv(body);
  const rows = readRows(text, carrier);
  return db.withTenant(ctx.tenantId, async (tx) => {
    const { errors, matched, toShip } = await check(tx, rows, carrier, locale);
    const result: TrackingResult = { rows: rows.length, matched, shipped: 0, errors };
    if (errors.length > 0) return { status: 422 as const, result };
    await markShipped(tx, toShip, ORDER_CARRIER[carrier], ctx.now, ctx.actor);
    await audit(tx, ctx.actor, {
      action: 'shipment.tracking_import',
      objectType: 'order',
      detail: { carrier, rows: rows.length, shipped: toShip.length, encoding },
    });
    return { status: 200 as const, result: { ...result, shipped: toShip.length } };
  });
}
