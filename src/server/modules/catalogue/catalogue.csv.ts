// CSV import and export of the masters, for Excel users: Japanese (or English) headers, codes
// instead of ids, Shift_JIS or UTF-8 with BOM out; UTF-8 / BOM / Shift_JIS in (detected).
// An import upserts by the master's natural key (a code, or carrier + prefecture …), checks every
// row as the API checks a body, and writes all rows in one transaction or none: a dry run, or a
// file with any bad row, runs the same writes and rolls them back, listing every bad row.
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import type { z } from 'zod';
import type { Database, TenantTx } from '../../db/database.js';
import { audit } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors.js';
import { type CsvEncoding, csvStream } from '../../platform/files/csv.js';
import { type Locale, type MessageKey, type MessageParams, translate } from '../../platform/i18n/messages.js';
import { decodeCsv } from '../customers/customers.csv.js';
import { zodIssues } from '../customers/customers.validate.js';
import * as s from './catalogue.schema.js';
import { allRows, type Ctx, inSavepoint, insertRow, type Master, type Row, updateRow } from './crud.js';
import * as m from './masters.js';

// ---------------------------------------------------------------------------------------------
// References by code: what a CSV names instead of ids.
type RefKind = 'category' | 'adMedium' | 'origin' | 'product' | 'rank';
type RefMap = { byCode: Map<string, string>; byId: Map<string, string> };
export type Refs = Record<RefKind, RefMap>;

const REF_SQL: Record<RefKind, string> = {
  category: 'SELECT id, code FROM product_categories WHERE tenant_id = $1',
  adMedium: 'SELECT id, code FROM ad_media WHERE tenant_id = $1',
  origin: 'SELECT id, code FROM shipping_origins WHERE tenant_id = $1',
  product: 'SELECT id, code FROM products WHERE tenant_id = $1',
  rank: 'SELECT id, name AS code FROM ranks WHERE tenant_id = $1',
};
const REF_OBJECT: Record<RefKind, MessageKey> = {
  category: 'object.product_category',
  adMedium: 'object.ad_medium',
  origin: 'object.shipping_origin',
  product: 'object.product',
  rank: 'object.rank',
};
// Product and campaign codes are unique ignoring case.
const refKey = (kind: RefKind, code: string) => (kind === 'product' ? code.toUpperCase() : code);

async function loadRefs(tx: TenantTx, kinds: readonly RefKind[]): Promise<Refs> {
  const refs = {} as Refs;
  for (const kind of ['category', 'adMedium', 'origin', 'product', 'rank'] as const) {
    const rows = kinds.includes(kind) ? await tx.query<{ id: string; code: string }>(REF_SQL[kind], [tx.tenantId]) : [];
    refs[kind] = {
      byCode: new Map(rows.map((r) => [refKey(kind, r.code), r.id])),
      byId: new Map(rows.map((r) => [r.id, r.code])),
    };
  }
  return refs;
}

class CellError extends Error {
  constructor(
    readonly code: string,
    readonly key: MessageKey,
    readonly params: MessageParams = {},
  ) {
    super(code);
  }
}

function idOf(refs: Refs, kind: RefKind, code: string): string {
  const id = refs[kind].byCode.get(refKey(kind, code));
  if (!id) throw new CellError('not_found', 'catalogue.not_found_code', { code, object: `@${REF_OBJECT[kind]}` });
  return id;
}

// ---------------------------------------------------------------------------------------------
// Columns.
type Col = {
  key: string;
  label: string;
  /** The input field the cell fills (default: key). */
  field?: string;
  read?: (cell: string, refs: Refs) => unknown;
  write: (row: Row, refs: Refs) => unknown;
};

const text = (key: string, label: string): Col => ({ key, label, write: (r) => r[key] });

function toNumber(cell: string): number {
  const t = cell.normalize('NFKC').replace(/[,¥\\円\s]/g, '');
  const n = Number(t);
  if (t === '' || !Number.isFinite(n)) throw new CellError('invalid_number', 'catalogue.invalid_number');
  return n;
}
const int = (key: string, label: string): Col => ({ key, label, read: toNumber, write: (r) => r[key] });

const TRUE = new Set(['1', 'true', 'yes', 'y', 'はい', '有効', '○', '〇', 'する', 'あり']);
const FALSE = new Set(['0', 'false', 'no', 'n', 'いいえ', '無効', '×', 'しない', 'なし']);
function toBool(cell: string): boolean {
  const t = cell.normalize('NFKC').trim().toLowerCase();
  if (TRUE.has(t)) return true;
  if (FALSE.has(t)) return false;
  throw new CellError('invalid_boolean', 'catalogue.invalid_boolean');
}
const bool = (key: string, label: string): Col => ({ key, label, read: toBool, write: (r) => (r[key] ? 1 : 0) });

/** Dates as Excel writes them (2026/4/1, 2026-04-01, 2026年4月1日) as YYYY-MM-DD. */
function toDate(cell: string): string {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(cell.normalize('NFKC').trim());
  return m ? `${m[1]}-${m[2]?.padStart(2, '0')}-${m[3]?.padStart(2, '0')}` : cell;
}
const date = (key: string, label: string): Col => ({ key, label, read: toDate, write: (r) => r[key] });

/** A closed list written as its Japanese label or its API value. */
function choice(key: string, label: string, labels: Record<string, string>): Col {
  const byLabel = new Map(Object.entries(labels).flatMap(([v, l]) => [[l, v] as const, [v, v] as const]));
  return {
    key,
    label,
    read: (cell) => byLabel.get(cell.normalize('NFKC').trim()) ?? byLabel.get(cell.trim().toLowerCase()) ?? cell,
    write: (r) => (r[key] === null || r[key] === undefined ? '' : (labels[String(r[key])] ?? r[key])),
  };
}

function ref(key: string, label: string, field: string, kind: RefKind): Col {
  return {
    key,
    label,
    field,
    read: (cell, refs) => idOf(refs, kind, cell),
    write: (r, refs) => (r[field] ? refs[kind].byId.get(String(r[field])) : ''),
  };
}

/** "A001×2 B002" ↔ [{ productId, quantity }]: products by code, × (or x, *) quantity, space separated. */
function productList(key: string, label: string, field: string): Col {
  return {
    key,
    label,
    field,
    read(cell, refs) {
      return cell
        .normalize('NFKC')
        .split(/[\s;、,]+/)
        .filter((p) => p !== '')
        .map((part) => {
          const match = /^([0-9A-Za-z_.-]+)(?:[×xX*](\d+))?$/.exec(part);
          if (!match?.[1]) throw new CellError('invalid_list', 'catalogue.invalid_list');
          return { productId: idOf(refs, 'product', match[1]), quantity: match[2] ? Number(match[2]) : 1 };
        });
    },
    write: (r) =>
      ((r[field] as { code: string; quantity: number }[]) ?? [])
        .map((l) => (l.quantity === 1 ? l.code : `${l.code}×${l.quantity}`))
        .join(' '),
  };
}

// ---------------------------------------------------------------------------------------------
// The masters' CSV layouts.
export type CsvSpec = {
  name: string;
  master: Master;
  create: z.ZodType;
  update: z.ZodType;
  refs: readonly RefKind[];
  columns: Col[];
  /** Columns an import must have (the natural key, as column keys). */
  required: string[];
  /** The id of the existing row with the input's natural key, or null. */
  find: (tx: TenantTx, input: Row, refs: Refs) => Promise<string | null>;
  /** The natural key, for duplicates within one file. */
  keyOf: (input: Row) => string;
  /** After a row is written (the products: its code becomes a reference for later rows). */
  written?: (row: Row, refs: Refs) => void;
};

const CARRIER_LABELS = { yamato: 'ヤマト運輸', sagawa: '佐川急便', japanpost: '日本郵便' };
const KIND_LABELS = { normal: '通常', subscription: '定期', present: 'プレゼント', set: 'セット' };
const PAYMENT_LABELS = {
  cod: '代引き',
  bank_transfer: '銀行振込',
  card: 'クレジットカード',
  deferred: '後払い',
  convenience: 'コンビニ払い',
  other: 'その他',
};
const REASON_LABELS = { cancel: 'キャンセル', return: '返品', subscription_cancel: '定期解約' };

async function findBy(tx: TenantTx, sql: string, params: unknown[]): Promise<string | null> {
  const [row] = await tx.query<{ id: string }>(sql, [tx.tenantId, ...params]);
  return row?.id ?? null;
}
const byCode =
  (table: string, ignoreCase = false) =>
  (tx: TenantTx, input: Row) =>
    findBy(
      tx,
      ignoreCase
        ? `SELECT id FROM ${table} WHERE tenant_id = $1 AND upper(code) = upper($2)`
        : `SELECT id FROM ${table} WHERE tenant_id = $1 AND code = $2`,
      [String(input.code ?? '')],
    );

/** "10000:330 30000:440 100000:660 *:1100" ↔ the fee brackets (* = any amount). */
const bracketsCol: Col = {
  key: 'brackets',
  label: '手数料表',
  read: (cell) =>
    cell
      .normalize('NFKC')
      .split(/[\s;、,]+/)
      .filter((p) => p !== '')
      .map((part) => {
        const match = /^(\*|\d+):(\d+)$/.exec(part.replace(/[¥円]/g, ''));
        if (!match) throw new CellError('invalid_list', 'catalogue.invalid_list');
        return { upTo: match[1] === '*' ? null : Number(match[1]), fee: Number(match[2]) };
      }),
  write: (r) =>
    ((r.brackets as { upTo: number | null; fee: number }[]) ?? []).map((b) => `${b.upTo ?? '*'}:${b.fee}`).join(' '),
};

export const CSV_SPECS: CsvSpec[] = [
  {
    name: 'products',
    master: m.products,
    create: s.createProductSchema,
    update: s.updateProductSchema,
    refs: ['category', 'product'],
    required: ['code'],
    columns: [
      text('code', '商品コード'),
      text('name', '商品名'),
      text('nameKana', '商品名カナ'),
      ref('categoryCode', '分類コード', 'categoryId', 'category'),
      choice('kind', '区分', KIND_LABELS),
      int('taxRate', '税率'),
      int('unitPrice', '単価'),
      int('firstPrice', '初回価格'),
      int('unitCost', '原価'),
      date('salesFrom', '販売開始日'),
      date('salesUntil', '販売終了日'),
      int('stock', '在庫'),
      bool('active', '有効'),
      text('note', '備考'),
      productList('components', 'セット内容', 'components'),
      productList('companions', '同梱物', 'companions'),
    ],
    // Every product code is loaded as a reference already (and kept current while importing).
    find: async (_tx, input, refs) => refs.product.byCode.get(String(input.code ?? '').toUpperCase()) ?? null,
    keyOf: (i) => String(i.code ?? '').toUpperCase(),
    written: (row, refs) => {
      refs.product.byCode.set(String(row.code).toUpperCase(), String(row.id));
      refs.product.byId.set(String(row.id), String(row.code));
    },
  },
  {
    name: 'product-categories',
    master: m.categories,
    create: s.createCategorySchema,
    update: s.updateCategorySchema,
    refs: [],
    required: ['code'],
    columns: [text('code', '分類コード'), text('name', '分類名'), int('sortOrder', '表示順'), bool('active', '有効')],
    find: byCode('product_categories'),
    keyOf: (i) => String(i.code ?? ''),
  },
  {
    name: 'ad-media',
    master: m.adMedia,
    create: s.createAdMediumSchema,
    update: s.updateAdMediumSchema,
    refs: [],
    required: ['code'],
    columns: [
      text('code', '広告コード'),
      text('name', '広告名'),
      text('medium', '媒体'),
      int('monthlyCost', '月額費用'),
      bool('active', '有効'),
    ],
    find: byCode('ad_media'),
    keyOf: (i) => String(i.code ?? ''),
  },
  {
    name: 'shipping-origins',
    master: m.origins,
    create: s.createOriginSchema,
    update: s.updateOriginSchema,
    refs: [],
    required: ['code'],
    columns: [
      text('code', '発送元コード'),
      text('name', '発送元名'),
      text('shipperName', '依頼主名'),
      text('shipperKana', '依頼主カナ'),
      text('postalCode', '郵便番号'),
      text('prefecture', '都道府県'),
      text('city', '市区町村'),
      text('address1', '住所1'),
      text('address2', '住所2'),
      text('phone', '電話番号'),
      choice('defaultCarrier', '運送会社', CARRIER_LABELS),
      bool('isDefault', '既定'),
      bool('active', '有効'),
    ],
    find: byCode('shipping_origins'),
    keyOf: (i) => String(i.code ?? ''),
  },
  {
    name: 'shipping-fees',
    master: m.shippingFees,
    create: s.createShippingFeeSchema,
    update: s.updateShippingFeeSchema,
    refs: [],
    required: ['fee'],
    columns: [
      choice('carrier', '運送会社', CARRIER_LABELS),
      text('prefecture', '都道府県'),
      int('fee', '送料'),
      int('freeThreshold', '送料無料の金額'),
    ],
    // Empty carrier / prefecture cells are the "any" rules.
    find: (tx, i) =>
      findBy(
        tx,
        `SELECT id FROM shipping_fees WHERE tenant_id = $1 AND coalesce(carrier, '') = $2 AND coalesce(prefecture, '') = $3`,
        [String(i.carrier ?? ''), m.prefectureKey(i.prefecture)],
      ),
    keyOf: (i) => `${String(i.carrier ?? '')}|${m.prefectureKey(i.prefecture)}`,
  },
  {
    name: 'delivery-lead-days',
    master: m.leadDays,
    create: s.createLeadDaysSchema,
    update: s.updateLeadDaysSchema,
    refs: ['origin'],
    required: ['carrier', 'prefecture', 'days'],
    columns: [
      choice('carrier', '運送会社', CARRIER_LABELS),
      ref('originCode', '発送元コード', 'originId', 'origin'),
      text('prefecture', '都道府県'),
      int('days', '日数'),
    ],
    find: (tx, i) =>
      findBy(
        tx,
        `SELECT id FROM delivery_lead_days WHERE tenant_id = $1 AND carrier = $2
            AND origin_id IS NOT DISTINCT FROM $3::uuid AND prefecture = $4`,
        [String(i.carrier ?? ''), i.originId ?? null, m.prefectureKey(i.prefecture)],
      ),
    keyOf: (i) => `${String(i.carrier ?? '')}|${String(i.originId ?? '')}|${m.prefectureKey(i.prefecture)}`,
  },
  {
    name: 'payment-methods',
    master: m.paymentMethods,
    create: s.createPaymentMethodSchema,
    update: s.updatePaymentMethodSchema,
    refs: [],
    required: ['code'],
    columns: [
      text('code', '支払方法コード'),
      text('name', '支払方法名'),
      choice('kind', '種別', PAYMENT_LABELS),
      int('fee', '手数料'),
      bracketsCol,
      int('dueDays', '支払期限日数'),
      int('sortOrder', '表示順'),
      bool('active', '有効'),
    ],
    find: byCode('payment_methods'),
    keyOf: (i) => String(i.code ?? ''),
  },
  {
    name: 'campaigns',
    master: m.campaigns,
    create: s.createCampaignSchema,
    update: s.updateCampaignSchema,
    refs: ['adMedium', 'rank', 'product'],
    required: ['code'],
    columns: [
      text('code', 'キャンペーンコード'),
      text('name', 'キャンペーン名'),
      date('startsOn', '開始日'),
      date('endsOn', '終了日'),
      bool('automatic', '自動適用'),
      ref('adMediumCode', '広告コード', 'adMediumId', 'adMedium'),
      ref('rankName', 'ランク', 'rankId', 'rank'),
      bool('firstOrderOnly', '初回購入のみ'),
      int('minAmount', '最低購入金額'),
      bool('freeShipping', '送料無料'),
      int('discountAmount', '値引額'),
      bool('active', '有効'),
      text('note', '備考'),
      {
        key: 'prices',
        label: 'キャンペーン価格',
        read: (cell, refs) =>
          cell
            .normalize('NFKC')
            .split(/[\s;、,]+/)
            .filter((p) => p !== '')
            .map((part) => {
              const match = /^([0-9A-Za-z_.-]+)[:=](\d+)$/.exec(part.replace(/[¥円]/g, ''));
              if (!match?.[1]) throw new CellError('invalid_list', 'catalogue.invalid_list');
              return { productId: idOf(refs, 'product', match[1]), unitPrice: Number(match[2]) };
            }),
        write: (r) =>
          ((r.prices as { code: string; unitPrice: number }[]) ?? []).map((p) => `${p.code}:${p.unitPrice}`).join(' '),
      },
      {
        key: 'presents',
        label: 'プレゼント',
        // "P001×1" (any order) or "A001>P001×1" (when A001 is bought).
        read: (cell, refs) =>
          cell
            .normalize('NFKC')
            .split(/[\s;、,]+/)
            .filter((p) => p !== '')
            .map((part) => {
              const match = /^(?:([0-9A-Za-z_.-]+)>)?([0-9A-Za-z_.-]+)(?:[×xX*](\d+))?$/.exec(part);
              if (!match?.[2]) throw new CellError('invalid_list', 'catalogue.invalid_list');
              return {
                triggerProductId: match[1] ? idOf(refs, 'product', match[1]) : null,
                presentProductId: idOf(refs, 'product', match[2]),
                quantity: match[3] ? Number(match[3]) : 1,
              };
            }),
        write: (r, refs) =>
          ((r.presents as { triggerProductId: string | null; presentCode: string; quantity: number }[]) ?? [])
            .map(
              (p) =>
                `${p.triggerProductId ? `${refs.product.byId.get(p.triggerProductId)}>` : ''}${p.presentCode}${p.quantity === 1 ? '' : `×${p.quantity}`}`,
            )
            .join(' '),
      },
    ],
    find: byCode('campaigns', true),
    keyOf: (i) => String(i.code ?? '').toUpperCase(),
  },
  {
    name: 'reasons',
    master: m.reasons,
    create: s.createReasonSchema,
    update: s.updateReasonSchema,
    refs: [],
    required: ['kind', 'code'],
    columns: [
      choice('kind', '区分', REASON_LABELS),
      text('code', '理由コード'),
      text('name', '理由'),
      int('sortOrder', '表示順'),
      bool('active', '有効'),
    ],
    find: (tx, i) =>
      findBy(tx, 'SELECT id FROM reasons WHERE tenant_id = $1 AND kind = $2 AND code = $3', [
        String(i.kind ?? ''),
        String(i.code ?? ''),
      ]),
    keyOf: (i) => `${String(i.kind ?? '')}|${String(i.code ?? '')}`,
  },
];

// ---------------------------------------------------------------------------------------------
// Export.
export async function exportMaster(db: Database, ctx: Ctx, spec: CsvSpec, encoding: CsvEncoding): Promise<Readable> {
  const { rows, refs } = await db.withTenant(ctx.tenantId, async (tx) => {
    await audit(tx, ctx.actor, {
      action: `${spec.master.audit}.export`,
      objectType: spec.master.audit,
      detail: { encoding },
    });
    return { rows: await allRows(tx, spec.master), refs: await loadRefs(tx, spec.refs) };
  });
  async function* cells() {
    for (const row of rows) yield spec.columns.map((c) => c.write(row, refs));
  }
  return csvStream(
    spec.columns.map((c) => c.label),
    cells(),
    encoding,
  );
}

// ---------------------------------------------------------------------------------------------
// Import.
const MAX_ERRORS = 1000;

type Table = { columns: Col[]; rows: { row: number; cells: string[] }[] };

function readTable(body: Buffer, spec: CsvSpec): Table {
  const { text: content } = decodeCsv(body);
  let records: string[][];
  try {
    records = parse(content, { relax_column_count: true, relax_quotes: true, skip_empty_lines: false, trim: false });
  } catch (err) {
    throw new AppError(400, 'import.malformed', 'import.malformed', { line: (err as { lines?: number }).lines ?? 0 });
  }
  const header = records[0];
  if (!header || header.every((h) => h.trim() === '')) throw new AppError(400, 'import.no_header', 'import.no_header');
  const columns: Col[] = [];
  const unknown: string[] = [];
  for (const raw of header) {
    const h = raw.normalize('NFKC').trim();
    const col = spec.columns.find((c) => c.label.normalize('NFKC') === h || c.key.toLowerCase() === h.toLowerCase());
    if (col) columns.push(col);
    else unknown.push(h === '' ? '""' : h);
  }
  const list = (cs: string[]) => ({ columns: cs.join(', ') });
  if (unknown.length > 0)
    throw AppError.field(400, 'import.unknown_columns', 'columns', 'import.unknown_columns', list(unknown));
  const repeated = columns.filter((c, i) => columns.indexOf(c) !== i).map((c) => c.label);
  if (repeated.length > 0) {
    throw AppError.field(
      400,
      'import.duplicate_columns',
      'columns',
      'import.duplicate_columns',
      list([...new Set(repeated)]),
    );
  }
  const missing = spec.required.filter((k) => !columns.some((c) => c.key === k));
  if (missing.length > 0) {
    const labels = missing.map((k) => spec.columns.find((c) => c.key === k)?.label ?? k);
    throw AppError.field(400, 'import.missing_columns', 'columns', 'catalogue.missing_columns', list(labels));
  }
  const rows: Table['rows'] = [];
  records.slice(1).forEach((cells, i) => {
    if (cells.every((c) => c.trim() === '')) return;
    rows.push({ row: i + 2, cells });
  });
  return { columns, rows };
}

class Rollback extends Error {}

export async function importMaster(
  db: Database,
  ctx: Ctx,
  spec: CsvSpec,
  body: Buffer,
  opts: { dryRun: boolean; locale: Locale },
): Promise<s.ImportResult> {
  const table = readTable(body, spec);
  const result: s.ImportResult = {
    rows: table.rows.length,
    valid: 0,
    imported: 0,
    created: 0,
    updated: 0,
    errors: [],
    errorsTruncated: false,
  };
  let errorCount = 0;
  const labelOfField = (field: string) =>
    table.columns.find((c) => (c.field ?? c.key) === field)?.label ??
    spec.columns.find((c) => (c.field ?? c.key) === field)?.label ??
    null;
  const report = (row: number, column: string | null, code: string, key: MessageKey, params: MessageParams = {}) => {
    errorCount++;
    if (result.errors.length < MAX_ERRORS) {
      result.errors.push({ row, column, code, message: translate(opts.locale, key, params) });
    }
  };
  const render = (params: MessageParams = {}): MessageParams =>
    Object.fromEntries(
      Object.entries(params).map(([k, v]) => [
        k,
        typeof v === 'string' && v.startsWith('@') ? translate(opts.locale, v.slice(1) as MessageKey) : v,
      ]),
    );

  try {
    await db.withTenant(ctx.tenantId, async (tx) => {
      const refs = await loadRefs(tx, spec.refs);
      const firstRowOf = new Map<string, number>();
      for (const { row, cells } of table.rows) {
        const input: Row = {};
        let cellFailed = false;
        table.columns.forEach((col, j) => {
          const cell = (cells[j] ?? '').trim();
          if (cell === '') return;
          try {
            input[col.field ?? col.key] = col.read ? col.read(cell, refs) : cell;
          } catch (err) {
            if (!(err instanceof CellError)) throw err;
            cellFailed = true;
            report(row, col.label, err.code, err.key, render(err.params));
          }
        });
        if (cells.slice(table.columns.length).some((c) => c.trim() !== '')) {
          cellFailed = true;
          report(row, null, 'column_count', 'import.column_count');
        }
        if (cellFailed) continue;
        const existing = await spec.find(tx, input, refs);
        const parsed = (existing ? spec.update : spec.create).safeParse(input);
        if (!parsed.success) {
          for (const issue of zodIssues(parsed.error, input)) {
            report(row, labelOfField(issue.path.split('.')[0] ?? ''), issue.code, issue.key, issue.params);
          }
          continue;
        }
        const key = spec.keyOf(parsed.data as Row);
        const first = firstRowOf.get(key);
        if (first !== undefined) {
          report(row, null, 'duplicate_row', 'catalogue.duplicate_row', { first });
          continue;
        }
        firstRowOf.set(key, row);
        try {
          const written = await inSavepoint(tx, () =>
            existing
              ? updateRow(tx, spec.master, existing, parsed.data as Row, undefined, ctx, false)
              : insertRow(tx, spec.master, parsed.data as Row, ctx, false),
          );
          spec.written?.(written, refs);
          result.valid++;
          if (existing) result.updated++;
          else result.created++;
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          const fields =
            err.fieldErrors.length > 0
              ? err.fieldErrors
              : [{ path: '', code: err.code, key: err.detailKey, params: err.params }];
          for (const f of fields)
            report(row, labelOfField(f.path.split('.')[0] ?? ''), f.code, f.key, render(f.params));
        }
      }
      if (errorCount > 0 || opts.dryRun) throw new Rollback();
      await audit(tx, ctx.actor, {
        action: `${spec.master.audit}.import`,
        objectType: spec.master.audit,
        detail: { rows: result.rows, created: result.created, updated: result.updated },
      });
    });
    result.imported = result.created + result.updated;
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  result.errorsTruncated = errorCount > result.errors.length;
  if (errorCount > 0) {
    // Nothing was written: the counts say what the file holds, not what was imported.
    result.valid = result.rows - new Set(result.errors.map((e) => e.row)).size;
    result.created = 0;
    result.updated = 0;
  } else if (opts.dryRun) {
    result.valid = result.rows;
  }
  return result;
}
