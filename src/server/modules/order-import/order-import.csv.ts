// Reading a site's order CSV: the bytes decoded as the customer import does (UTF-8, BOM, Shift_JIS),
// the header resolved through a mapping, each row checked on its own and grouped by order number.
import { parse } from 'csv-parse/sync';
import { normalizePhone } from '../../../shared/japanese/phone.js';
import { AppError } from '../../platform/errors.js';
import type { MessageKey, MessageParams } from '../../platform/i18n/messages.js';
import { type CsvEncodingName, decodeCsv } from '../customers/customers.csv.js';
import { type Mapping, REQUIRED_TARGETS, TARGET_KEYS, TARGETS, type Target } from './order-import.schema.js';

export const MAX_ROWS = 20_000;
export const MAX_LINES = 100;
const NOTE_MAX = 900;

export type RowIssue = { row: number; target: Target | null; code: string; key: MessageKey; params?: MessageParams };

export type Values = Partial<Record<Target, string>>;

export type OrderRow = {
  row: number;
  values: Values;
  quantity: number;
  unitPrice?: number;
  productCode: string;
};

export type OrderGroup = {
  externalNumber: string;
  rows: OrderRow[];
  /** Order-level fields, from the first row. */
  head: Values;
  desiredDeliveryDate?: string;
  /** 'p:+81…' or 'e:mail@…': how the customer is looked up (and new ones shared within the file). */
  customerKey: { kind: 'phone'; e164: string } | { kind: 'email'; email: string } | null;
  /** True when one of its rows failed a check of its own. */
  bad: boolean;
};

export type ReadFile = {
  encoding: CsvEncodingName;
  rows: number;
  groups: OrderGroup[];
  issues: RowIssue[];
  /** The header each mapped field is read from (error messages name the file's own columns). */
  headerOf: Map<Target, string>;
};

const norm = (s: string) => s.normalize('NFKC').trim();

/** The mapping given, or else the file's headers that name a field by themselves (orderNumber, 注文番号 …). */
function resolveMapping(headers: string[], mapping: Mapping | null): Map<Target, number> {
  const index = new Map<Target, number>();
  if (mapping) {
    for (const [target, header] of Object.entries(mapping) as [Target, string][]) {
      const i = headers.indexOf(norm(header));
      if (i < 0)
        throw AppError.field(400, 'mapping_unknown_header', `mapping.${target}`, 'ordimp.mapping_unknown_header', {
          header,
        });
      index.set(target, i);
    }
  } else {
    headers.forEach((h, i) => {
      const target = TARGET_KEYS.find((t) => t.toLowerCase() === h.toLowerCase() || norm(TARGETS[t]) === h);
      if (target && !index.has(target)) index.set(target, i);
    });
  }
  const missing = REQUIRED_TARGETS.filter((t) => !index.has(t));
  if (!index.has('phone') && !index.has('email')) missing.push('phone');
  if (missing.length > 0)
    throw AppError.field(400, 'mapping_missing', 'mapping', 'ordimp.mapping_missing', {
      fields: missing.map((t) => `${TARGETS[t]} (${t})`).join(', '),
    });
  return index;
}

/** 2030-04-01, 2030/4/1, 2030.4.1, 2030年4月1日 → 2030-04-01 when it is a real day; else null. */
export function isoDate(value: string): string | null {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s.*)?$/.exec(norm(value));
  if (!m) return null;
  const iso = `${m[1]}-${m[2]?.padStart(2, '0')}-${m[3]?.padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? null : iso;
}

/** '1,980' '¥1,980' '１９８０円' → 1980; null when it is not a whole number. */
function integer(value: string): number | null {
  const s = norm(value).replace(/[,¥￥円\s]/g, '');
  return /^\d{1,9}$/.test(s) ? Number(s) : null;
}

const LIMITS: Partial<Record<Target, number>> = {
  orderNumber: 100,
  productCode: 40,
  deliveryTimeSlot: 10,
  paymentMethod: 20,
  note: NOTE_MAX,
};

/** Decodes and parses the file; checks what can be checked without the database. */
export function readOrderCsv(body: Buffer, mapping: Mapping | null): ReadFile {
  const { text, encoding } = decodeCsv(body);
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, relax_quotes: true, skip_empty_lines: false, trim: false });
  } catch (err) {
    throw new AppError(400, 'import.malformed', 'import.malformed', { line: (err as { lines?: number }).lines ?? 0 });
  }
  const header = records[0];
  if (!header || header.every((h) => h.trim() === '')) throw new AppError(400, 'import.no_header', 'import.no_header');
  if (records.length - 1 > MAX_ROWS)
    throw new AppError(400, 'too_many_rows', 'ordimp.too_many_rows', { max: MAX_ROWS });
  const headers = header.map(norm);
  const index = resolveMapping(headers, mapping);
  const headerOf = new Map<Target, string>([...index].map(([t, i]) => [t, header[i]?.trim() || TARGETS[t]]));

  const issues: RowIssue[] = [];
  const groups = new Map<string, OrderGroup>();
  let rowCount = 0;
  records.slice(1).forEach((cells, i) => {
    if (cells.every((c) => c.trim() === '')) return;
    rowCount++;
    const row = i + 2;
    const values: Values = {};
    for (const [target, j] of index) {
      const v = (cells[j] ?? '').trim();
      if (v !== '') values[target] = v;
    }
    const issue = (target: Target | null, code: string, key: MessageKey, params?: MessageParams) =>
      issues.push({ row, target, code, key, ...(params ? { params } : {}) });
    const before = issues.length;
    for (const t of ['orderNumber', 'productCode', 'quantity'] as const)
      if (values[t] === undefined) issue(t, 'required', 'ordimp.required');
    for (const [t, max] of Object.entries(LIMITS) as [Target, number][])
      if ((values[t]?.length ?? 0) > max) issue(t, 'too_long', 'validation.too_long', { maximum: max });
    const quantity = values.quantity === undefined ? null : integer(values.quantity);
    if (values.quantity !== undefined && (quantity === null || quantity < 1 || quantity > 9999))
      issue('quantity', 'invalid_quantity', 'ordimp.quantity');
    const unitPrice = values.unitPrice === undefined ? undefined : integer(values.unitPrice);
    if (unitPrice === null || (unitPrice !== undefined && unitPrice > 10_000_000))
      issue('unitPrice', 'invalid_price', 'ordimp.unit_price');

    const externalNumber = values.orderNumber ? norm(values.orderNumber) : null;
    if (!externalNumber) return;
    let group = groups.get(externalNumber);
    if (!group) {
      group = { externalNumber, rows: [], head: values, customerKey: null, bad: false };
      const desired = values.desiredDeliveryDate;
      if (desired !== undefined) {
        const iso = isoDate(desired);
        if (iso) group.desiredDeliveryDate = iso;
        else issue('desiredDeliveryDate', 'invalid_date', 'ordimp.date');
      }
      const phone = values.phone ? normalizePhone(values.phone) : null;
      if (phone) group.customerKey = { kind: 'phone', e164: phone.e164 };
      else if (values.email) group.customerKey = { kind: 'email', email: norm(values.email).toLowerCase() };
      else if (!values.phone) issue('phone', 'customer_key', 'ordimp.customer_key');
      groups.set(externalNumber, group);
    } else if (group.rows.length === MAX_LINES) {
      issue(null, 'too_many_lines', 'ordimp.too_many_lines', { max: MAX_LINES });
    }
    if (issues.length > before) group.bad = true;
    group.rows.push({
      row,
      values,
      quantity: quantity ?? 0,
      ...(typeof unitPrice === 'number' ? { unitPrice } : {}),
      productCode: norm(values.productCode ?? '').toUpperCase(),
    });
  });
  return { encoding, rows: rowCount, groups: [...groups.values()], issues, headerOf };
}
