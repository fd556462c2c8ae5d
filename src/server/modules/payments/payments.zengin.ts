// 全銀協 入出金取引明細 (種別コード 03): fixed records of 200 bytes in JIS X 0201 (half-width kana,
// one byte a character; read here as CP932, its superset), with or without a line break after
// each record. A file is header (1), data (2)…, trailer (8) per account, then an end record (9).
// Layout: docs/payments.md (sources cited there). Dates are YYMMDD in the Japanese era (和暦) by
// the standard; some banks write the Western year instead — the header's creation date tells
// which (the reading nearest to today wins).
import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';

export const RECORD_BYTES = 200;

export type StatementError = {
  row: number;
  column: string | null;
  code: string;
  params?: Record<string, string | number>;
};

export type StatementLine = {
  /** The record's position in the file (1 = the first header), as the errors name it. */
  row: number;
  paidOn: string;
  amount: number;
  payerName: string;
  /** 摘要内容 and EDI情報, joined: where a payer may have written the order number. */
  reference: string;
  /** 照会番号 (the bank's own number of the transaction). */
  inquiryNo: string;
  hash: string;
};

export type ParsedStatement = {
  lines: StatementLine[];
  /** Data records that are not deposits (出金): not payments, not imported. */
  withdrawals: number;
  records: number;
  errors: StatementError[];
};

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The file as CP932 bytes: a file someone converted to UTF-8 is converted back. */
function asCp932(body: Buffer): Buffer {
  let bytes = body;
  if (bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))) bytes = bytes.subarray(3);
  if (bytes.some((b) => b >= 0x80)) {
    try {
      return iconv.encode(strictUtf8.decode(bytes), 'cp932');
    } catch {
      /* not UTF-8: already Shift_JIS */
    }
  }
  return bytes;
}

/** Splits the bytes into records: by line breaks when there are any, else every 200 bytes. */
export function splitRecords(body: Buffer): { records: Buffer[]; errors: StatementError[] } {
  let bytes = asCp932(body);
  while (bytes.length > 0 && (bytes[bytes.length - 1] === 0x1a || bytes[bytes.length - 1] === 0x00)) {
    bytes = bytes.subarray(0, bytes.length - 1);
  }
  const errors: StatementError[] = [];
  const records: Buffer[] = [];
  if (bytes.includes(0x0a) || bytes.includes(0x0d)) {
    let start = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i === bytes.length || bytes[i] === 0x0a || bytes[i] === 0x0d) {
        if (i > start) records.push(bytes.subarray(start, i));
        start = i + 1;
      }
    }
  } else {
    for (let i = 0; i < bytes.length; i += RECORD_BYTES) records.push(bytes.subarray(i, i + RECORD_BYTES));
  }
  for (const [i, r] of records.entries()) {
    if (r.length !== RECORD_BYTES)
      errors.push({ row: i + 1, column: null, code: 'record_length', params: { length: r.length } });
  }
  return { records, errors };
}

const text = (r: Buffer, from: number, len: number) => iconv.decode(r.subarray(from - 1, from - 1 + len), 'cp932');
const digits = (r: Buffer, from: number, len: number): string | null => {
  const s = text(r, from, len);
  return /^\d+$/.test(s) ? s : null;
};

type DateMode = 'wareki' | 'seireki';

function isoOf(y: number, m: number, d: number): string | null {
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  return dt.toISOString().slice(0, 10);
}

/** YYMMDD in one reading; wareki: 令和 or 平成, whichever is a real date nearest to today. */
export function readDate(yymmdd: string, mode: DateMode, today: string): string | null {
  if (!/^\d{6}$/.test(yymmdd)) return null;
  const yy = Number(yymmdd.slice(0, 2));
  const mm = Number(yymmdd.slice(2, 4));
  const dd = Number(yymmdd.slice(4, 6));
  if (mode === 'seireki') return isoOf(2000 + yy, mm, dd);
  const options: string[] = [];
  const reiwa = yy >= 1 ? isoOf(2018 + yy, mm, dd) : null;
  if (reiwa && reiwa >= '2019-05-01') options.push(reiwa);
  const heisei = yy >= 1 ? isoOf(1988 + yy, mm, dd) : null;
  if (heisei && heisei <= '2019-04-30') options.push(heisei);
  const t = Date.parse(today);
  options.sort((a, b) => Math.abs(Date.parse(a) - t) - Math.abs(Date.parse(b) - t));
  return options[0] ?? null;
}

/** The reading of the header's creation date nearest to today decides the file's date mode. */
function detectMode(created: string, today: string): DateMode {
  const w = readDate(created, 'wareki', today);
  const s = readDate(created, 'seireki', today);
  if (!w) return 'seireki';
  if (!s) return 'wareki';
  const t = Date.parse(today);
  return Math.abs(Date.parse(s) - t) < Math.abs(Date.parse(w) - t) ? 'seireki' : 'wareki';
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Parses a statement file. Every record is checked (lengths, kinds, order, numbers, dates) and
 * every trailer against its data records; `errors` lists them all (row = record number).
 */
export function parseZengin(body: Buffer, today: string): ParsedStatement {
  const { records, errors } = splitRecords(body);
  const lines: StatementLine[] = [];
  let withdrawals = 0;
  if (records.length === 0) errors.push({ row: 1, column: null, code: 'empty' });
  if (errors.length > 0) return { lines, withdrawals, records: records.length, errors };

  let mode: DateMode = 'wareki';
  let account: string | null = null;
  let sums = { inCount: 0, inAmount: 0, outCount: 0, outAmount: 0, data: 0 };
  // A group with a record already in error: its trailer cannot be checked against it.
  let groupBad = false;
  let ended = false;
  const seen = new Map<string, number>();

  for (const [i, r] of records.entries()) {
    const row = i + 1;
    const kind = text(r, 1, 1);
    const err = (column: string | null, code: string, params?: StatementError['params']): void => {
      errors.push({ row, column, code, ...(params ? { params } : {}) });
    };
    if (ended) {
      err(null, 'after_end');
      continue;
    }
    if (kind === '1') {
      if (account !== null) err(null, 'missing_trailer');
      const type = text(r, 2, 2);
      if (type !== '03') err('種別コード', 'not_statement', { value: type });
      const created = text(r, 5, 6);
      if (!/^\d{6}$/.test(created)) err('作成日', 'invalid_date');
      else mode = detectMode(created, today);
      // 銀行コード(4) 支店コード(3) 預金種目(1) 口座番号(10): the account the lines belong to.
      account = `${text(r, 23, 4)}-${text(r, 42, 3)}-${text(r, 63, 1)}-${text(r, 64, 10)}`;
      sums = { inCount: 0, inAmount: 0, outCount: 0, outAmount: 0, data: 0 };
      groupBad = false;
      continue;
    }
    if (kind === '2') {
      if (account === null) {
        err(null, 'missing_header');
        continue;
      }
      sums.data++;
      const direction = text(r, 22, 1);
      const amountText = digits(r, 25, 12);
      if (amountText === null) {
        groupBad = true;
        err('取引金額', 'invalid_amount');
        continue;
      }
      const amount = Number(amountText);
      if (direction === '2') {
        sums.outCount++;
        sums.outAmount += amount;
        withdrawals++;
        continue;
      }
      if (direction !== '1') {
        err('入払区分', 'invalid_direction', { value: direction });
        continue;
      }
      sums.inCount++;
      sums.inAmount += amount;
      const paidOn = readDate(text(r, 10, 6), mode, today);
      if (!paidOn) {
        err('勘定日', 'invalid_date');
        continue;
      }
      if (amount <= 0 || amount > 2_000_000_000) {
        err('取引金額', 'invalid_amount');
        continue;
      }
      const raw = r.toString('latin1');
      const nth = (seen.get(raw) ?? 0) + 1;
      seen.set(raw, nth);
      const reference = [text(r, 160, 20).trim(), text(r, 180, 20).trim()].filter(Boolean).join(' ');
      lines.push({
        row,
        paidOn,
        amount,
        payerName: text(r, 82, 48).trim(),
        reference,
        inquiryNo: text(r, 2, 8),
        hash: sha256(`zengin|${account}|${raw}|${nth}`),
      });
      continue;
    }
    if (kind === '8') {
      if (account === null) {
        err(null, 'missing_header');
        continue;
      }
      const want = {
        inCount: digits(r, 2, 6),
        inAmount: digits(r, 8, 13),
        outCount: digits(r, 21, 6),
        outAmount: digits(r, 27, 13),
        data: digits(r, 55, 7),
      };
      const check = (column: string, given: string | null, actual: number) => {
        if (groupBad) return;
        if (given === null || Number(given) !== actual)
          err(column, 'trailer_mismatch', { given: given ?? '?', actual });
      };
      check('入金件数', want.inCount, sums.inCount);
      check('入金額合計', want.inAmount, sums.inAmount);
      check('出金件数', want.outCount, sums.outCount);
      check('出金額合計', want.outAmount, sums.outAmount);
      check('データ・レコード件数', want.data, sums.data);
      account = null;
      continue;
    }
    if (kind === '9') {
      if (account !== null) err(null, 'missing_trailer');
      ended = true;
      continue;
    }
    err('データ区分', 'invalid_record_kind', { value: kind });
  }
  if (account !== null) errors.push({ row: records.length, column: null, code: 'missing_trailer' });
  return { lines, withdrawals, records: records.length, errors };
}

// ---------------------------------------------------------------------------------------------
// Writing one (tests, and the demo): the same layout, space/zero padded, CRLF after each record.

const pad = (s: string, n: number) => {
  const b = iconv.encode(s, 'cp932');
  if (b.length > n) return b.subarray(0, n);
  return Buffer.concat([b, Buffer.alloc(n - b.length, 0x20)]);
};
const num = (v: number | string, n: number) => Buffer.from(String(v).padStart(n, '0').slice(-n), 'latin1');

export type ZenginDeposit = {
  date: string;
  amount: number;
  payerName: string;
  summary?: string;
  edi?: string;
  inquiryNo?: number;
  direction?: 1 | 2;
};

/** YYMMDD in 令和 (dates from 2019-05-01). */
export function reiwa(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${String(Number(y) - 2018).padStart(2, '0')}${m}${d}`;
}

export function writeZengin(
  deposits: ZenginDeposit[],
  opts: { created: string; bank?: string; branch?: string; account?: string; lineBreaks?: boolean } = {
    created: '2025-06-02',
  },
): Buffer {
  const created = reiwa(opts.created);
  const dates = deposits.map((d) => d.date).sort();
  const header = Buffer.concat([
    Buffer.from('1030', 'latin1'),
    Buffer.from(created + reiwa(dates[0] ?? opts.created) + reiwa(dates.at(-1) ?? opts.created), 'latin1'),
    num(opts.bank ?? '0001', 4),
    pad('ﾏﾄﾞｸﾞﾁｷﾞﾝｺｳ', 15),
    num(opts.branch ?? '001', 3),
    pad('ﾎﾝﾃﾝ', 15),
    Buffer.from('000', 'latin1'),
    Buffer.from('1', 'latin1'),
    num(opts.account ?? '1234567', 10),
    pad('ﾏﾄﾞｸﾞﾁﾂｳﾊﾝ(ｶ', 40),
    Buffer.from('11', 'latin1'),
    num(0, 14),
    pad('', 71),
  ]);
  let inCount = 0;
  let inAmount = 0;
  let outCount = 0;
  let outAmount = 0;
  const data = deposits.map((d, i) => {
    const dir = d.direction ?? 1;
    if (dir === 1) {
      inCount++;
      inAmount += d.amount;
    } else {
      outCount++;
      outAmount += d.amount;
    }
    return Buffer.concat([
      Buffer.from('2', 'latin1'),
      num(d.inquiryNo ?? i + 1, 8),
      Buffer.from(reiwa(d.date) + reiwa(d.date), 'latin1'),
      Buffer.from(String(dir), 'latin1'),
      Buffer.from('11', 'latin1'),
      num(d.amount, 12),
      num(0, 12),
      num(0, 6),
      num(0, 6),
      Buffer.from('0', 'latin1'),
      num(0, 7),
      num(0, 3),
      num(0, 10),
      pad(d.payerName, 48),
      pad('ﾐｽﾞﾎ', 15),
      pad('ｼﾌﾞﾔ', 15),
      pad(d.summary ?? '', 20),
      pad(d.edi ?? '', 20),
      pad('', 1),
    ]);
  });
  const trailer = Buffer.concat([
    Buffer.from('8', 'latin1'),
    num(inCount, 6),
    num(inAmount, 13),
    num(outCount, 6),
    num(outAmount, 13),
    Buffer.from('1', 'latin1'),
    num(0, 14),
    num(deposits.length, 7),
    pad('', 139),
  ]);
  const end = Buffer.concat([Buffer.from('9', 'latin1'), pad('', 199)]);
  const records = [header, ...data, trailer, end];
  for (const r of records) if (r.length !== RECORD_BYTES) throw new Error(`record of ${r.length} bytes`);
  const sep = opts.lineBreaks === false ? Buffer.alloc(0) : Buffer.from('\r\n', 'latin1');
  return Buffer.concat(records.flatMap((r) => [r, sep]));
}
