// CSV statements: a bank's 入出金明細 CSV, a carrier's 代引き remittance data (コレクト/e-コレクト
// 入金明細, e飛伝 代引 …) and a 後払い provider's settlement file. Their columns differ from bank to
// bank and provider to provider, so each kind has default header names (the common ones) and
// every column can be named by the caller (a header label or a 1-based column number).
// UTF-8 (with or without BOM) or Shift_JIS, detected.
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import type { StatementError } from './payments.zengin.js';

export type TabularKind = 'bank_csv' | 'cod' | 'deferred';
export const FIELDS = ['date', 'amount', 'name', 'reference', 'tracking', 'orderNumber'] as const;
export type Field = (typeof FIELDS)[number];
export type ColumnConfig = Partial<Record<Field, string>>;

const DEFAULTS: Record<TabularKind, Partial<Record<Field, string[]>>> = {
  bank_csv: {
    date: ['日付', '取引日', '勘定日', '年月日', 'お取引日', '入金日', 'date'],
    amount: [
      '入金金額',
      '入金額',
      'お預入金額',
      'お預り金額',
      '預入金額',
      '預かり金額',
      'お預け入れ金額',
      '入金',
      'amount',
    ],
    name: ['振込依頼人名', '依頼人名', '振込人名', 'お取引内容', '摘要', '取引内容', 'name'],
    reference: ['摘要内容', 'EDI情報', 'メモ', '備考', 'reference'],
  },
  cod: {
    date: ['入金日', '支払日', '精算日', '送金日', '配達完了日', 'お届け日', '配達日', 'date'],
    amount: ['代引金額', '代金引換額', 'コレクト代金', '代引額', '入金額', '金額', 'amount'],
    tracking: [
      '送り状番号',
      '伝票番号',
      'お問合せ番号',
      'お問い合わせ番号',
      '問合せ番号',
      '問合番号',
      'trackingNumber',
    ],
    orderNumber: ['お客様管理番号', '注文番号', '受注番号', 'orderNumber'],
    name: ['お届け先名', '荷受人名', 'name'],
  },
  deferred: {
    date: ['入金日', '精算日', '支払日', '決済日', 'date'],
    amount: ['請求金額', '入金額', '決済金額', '利用金額', '金額', 'amount'],
    orderNumber: ['注文番号', '受注番号', '加盟店取引ID', 'ショップ取引ID', '任意注文番号', 'orderNumber'],
    name: ['購入者名', '氏名', 'name'],
  },
};
const REQUIRED: Record<TabularKind, Field[]> = {
  bank_csv: ['date', 'amount', 'name'],
  cod: ['date', 'amount'],
  deferred: ['date', 'amount', 'orderNumber'],
};

export type TabularLine = {
  row: number;
  paidOn: string;
  amount: number;
  payerName: string;
  reference: string;
  tracking: string | null;
  orderNumber: number | null;
  hash: string;
};

export type ParsedTabular = { lines: TabularLine[]; skipped: number; records: number; errors: StatementError[] };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function decode(body: Buffer): string {
  if (body.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))) return body.subarray(3).toString('utf8');
  try {
    return strictUtf8.decode(body);
  } catch {
    return iconv.decode(body, 'cp932');
  }
}

const fold = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();

/** 2025/6/2, 2025-06-02, 20250602, 2025年6月2日, with an optional time after it. */
export function readCsvDate(value: string): string | null {
  const s = value.normalize('NFKC').trim();
  const m = /^(\d{4})[/.\-年](\d{1,2})[/.\-月](\d{1,2})日?(?:[ T].*)?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) return null;
  return dt.toISOString().slice(0, 10);
}

/** ¥1,234 / １２３４円 / "1234" → 1234; empty → null; anything else → NaN. */
export function readAmount(value: string): number | null {
  const s = value.normalize('NFKC').replace(/[¥￥,円\s]/g, '');
  if (s === '' || s === '-') return null;
  return /^-?\d{1,10}$/.test(s) ? Number(s) : Number.NaN;
}

function orderNumberOf(value: string): number | null | 'bad' {
  const s = value.normalize('NFKC').trim();
  if (s === '') return null;
  const m = /^[A-Za-z#-]*0*(\d{1,15})$/.exec(s);
  return m ? Number(m[1]) : 'bad';
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function parseTabular(body: Buffer, kind: TabularKind, config: ColumnConfig): ParsedTabular {
  const errors: StatementError[] = [];
  let records: string[][];
  try {
    records = parse(decode(body), { relax_column_count: true, relax_quotes: true, skip_empty_lines: false });
  } catch (err) {
    return {
      lines: [],
      skipped: 0,
      records: 0,
      errors: [{ row: (err as { lines?: number }).lines ?? 1, column: null, code: 'malformed' }],
    };
  }
  const header = records[0] ?? [];
  const folded = header.map(fold);
  const columns: Partial<Record<Field, number>> = {};
  for (const field of FIELDS) {
    const given = config[field];
    if (given !== undefined && given !== '') {
      const n = /^\d+$/.test(given) ? Number(given) - 1 : folded.indexOf(fold(given));
      if (n < 0 || n >= header.length) {
        errors.push({ row: 1, column: given, code: 'unknown_column', params: { field } });
        continue;
      }
      columns[field] = n;
      continue;
    }
    const found = (DEFAULTS[kind][field] ?? []).map((h) => folded.indexOf(fold(h))).find((i) => i >= 0);
    if (found !== undefined) columns[field] = found;
  }
  for (const field of REQUIRED[kind]) {
    if (columns[field] === undefined && !errors.some((e) => e.params?.field === field))
      errors.push({ row: 1, column: field, code: 'missing_column', params: { field } });
  }
  if (kind === 'cod' && columns.tracking === undefined && columns.orderNumber === undefined)
    errors.push({ row: 1, column: 'tracking', code: 'missing_column', params: { field: 'tracking' } });
  if (errors.length > 0) return { lines: [], skipped: 0, records: records.length, errors };

  const lines: TabularLine[] = [];
  const seen = new Map<string, number>();
  let skipped = 0;
  const cell = (r: string[], f: Field) => (columns[f] === undefined ? '' : (r[columns[f] as number] ?? '').trim());
  records.slice(1).forEach((r, i) => {
    const row = i + 2;
    if (r.every((c) => c.trim() === '')) return;
    const err = (field: Field, code: string) =>
      errors.push({ row, column: header[columns[field] as number] ?? field, code });
    const amount = readAmount(cell(r, 'amount'));
    // A bank CSV lists withdrawals too: a row without a deposit is no payment.
    if (kind === 'bank_csv' && (amount === null || amount === 0)) {
      skipped++;
      return;
    }
    let bad = false;
    if (amount === null || Number.isNaN(amount) || amount <= 0) {
      err('amount', 'invalid_amount');
      bad = true;
    }
    const paidOn = readCsvDate(cell(r, 'date'));
    if (!paidOn) {
      err('date', 'invalid_date');
      bad = true;
    }
    const number = orderNumberOf(cell(r, 'orderNumber'));
    if (number === 'bad') {
      err('orderNumber', 'invalid_order_number');
      bad = true;
    }
    const tracking =
      cell(r, 'tracking')
        .normalize('NFKC')
        .replace(/[^0-9A-Za-z]/g, '') || null;
    if (kind === 'cod' && !tracking && (number === null || number === 'bad')) {
      if (number !== 'bad') err(columns.tracking !== undefined ? 'tracking' : 'orderNumber', 'missing_reference');
      bad = true;
    }
    if (kind === 'deferred' && number === null) {
      err('orderNumber', 'missing_reference');
      bad = true;
    }
    if (bad) return;
    const raw = JSON.stringify(r);
    const nth = (seen.get(raw) ?? 0) + 1;
    seen.set(raw, nth);
    lines.push({
      row,
      paidOn: paidOn as string,
      amount: amount as number,
      payerName: cell(r, 'name').slice(0, 100),
      reference: cell(r, 'reference').slice(0, 200),
      tracking: tracking ? tracking.slice(0, 30) : null,
      orderNumber: typeof number === 'number' ? number : null,
      hash: sha256(`${kind}|${raw}|${nth}`),
    });
  });
  return { lines, skipped, records: records.length, errors };
}
