// Reading a customer CSV as Excel users make them: UTF-8 (with or without BOM) or Shift_JIS,
// English or Japanese column names, RFC 4180 quoting, Excel's row numbers in every error.
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { AppError } from '../../platform/errors.js';
import type { CustomerInput } from './customers.schema.js';

export type CsvEncodingName = 'utf8' | 'utf8bom' | 'sjis';

/** The import columns (CONTRACTS.md) and their Japanese labels, also the export's headers. */
export const IMPORT_COLUMNS = {
  name: '氏名',
  nameKana: 'フリガナ',
  phone1: '電話番号1',
  phone2: '電話番号2',
  phone3: '電話番号3',
  email: 'メールアドレス',
  postalCode: '郵便番号',
  prefecture: '都道府県',
  city: '市区町村',
  address1: '住所1',
  address2: '住所2',
  company: '会社名',
  department: '部署名',
  birthDate: '生年月日',
  gender: '性別',
  note: '備考',
} as const;
export type ImportColumn = keyof typeof IMPORT_COLUMNS;

const BY_HEADER = new Map<string, ImportColumn>();
for (const [key, label] of Object.entries(IMPORT_COLUMNS) as [ImportColumn, string][]) {
  BY_HEADER.set(key.toLowerCase(), key);
  BY_HEADER.set(label, key);
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The text of an uploaded file: UTF-8 after a BOM, UTF-8 when the bytes are valid UTF-8 (Japanese
 * Shift_JIS text practically never is), else Shift_JIS read as Windows' CP932 (which has 髙 﨑 ①).
 */
export function decodeCsv(body: Buffer): { text: string; encoding: CsvEncodingName } {
  if (body.subarray(0, 3).equals(BOM)) return { text: strictUtf8.decode(body.subarray(3)), encoding: 'utf8bom' };
  if ((body[0] === 0xff && body[1] === 0xfe) || (body[0] === 0xfe && body[1] === 0xff)) {
    throw new AppError(400, 'import.encoding', 'import.encoding');
  }
  try {
    return { text: strictUtf8.decode(body), encoding: 'utf8' };
  } catch {
    return { text: iconv.decode(body, 'cp932'), encoding: 'sjis' };
  }
}

export type CsvRow = {
  /** The row as Excel numbers it: the header is 1. */
  row: number;
  input: Partial<Record<ImportColumn, string>>;
  /** More non-empty cells than the header has columns. */
  overflow: boolean;
};

export type CsvTable = { columns: ImportColumn[]; headers: string[]; rows: CsvRow[] };

function columnError(code: string, key: 'import.unknown_columns' | 'import.duplicate_columns', columns: string[]) {
  return AppError.field(400, code, 'columns', key, { columns: columns.join(', ') });
}

/** Parses the CSV and maps its header; refuses unknown, repeated or missing columns (400). */
export function readCsv(text: string): CsvTable {
  let records: string[][];
  try {
    // relax_quotes: a quote inside an unquoted cell (hand-made files) is read as a character.
    records = parse(text, { relax_column_count: true, relax_quotes: true, skip_empty_lines: false, trim: false });
  } catch (err) {
    const line = (err as { lines?: number }).lines ?? 0;
    throw new AppError(400, 'import.malformed', 'import.malformed', { line });
  }
  const header = records[0];
  if (!header || header.every((h) => h.trim() === '')) throw new AppError(400, 'import.no_header', 'import.no_header');
  const headers = header.map((h) => h.normalize('NFKC').trim());
  const columns: ImportColumn[] = [];
  const unknown: string[] = [];
  for (const h of headers) {
    const key = BY_HEADER.get(h) ?? BY_HEADER.get(h.toLowerCase());
    if (key) columns.push(key);
    else unknown.push(h === '' ? '""' : h);
  }
  if (unknown.length > 0) throw columnError('import.unknown_columns', 'import.unknown_columns', unknown);
  const repeated = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (repeated.length > 0)
    throw columnError('import.duplicate_columns', 'import.duplicate_columns', [...new Set(repeated)]);
  if (!columns.includes('name')) throw AppError.field(400, 'import.missing_name', 'columns', 'import.missing_name');

  const rows: CsvRow[] = [];
  records.slice(1).forEach((cells, i) => {
    if (cells.every((c) => c.trim() === '')) return; // a blank line: Excel shows an empty row
    const input: CsvRow['input'] = {};
    columns.forEach((column, j) => {
      const value = (cells[j] ?? '').trim();
      if (value !== '') input[column] = value;
    });
    rows.push({ row: i + 2, input, overflow: cells.slice(columns.length).some((c) => c.trim() !== '') });
  });
  return { columns, headers, rows };
}

const GENDER_WORDS: Record<string, CustomerInput['gender']> = {
  female: 'female',
  女性: 'female',
  女: 'female',
  f: 'female',
  male: 'male',
  男性: 'male',
  男: 'male',
  m: 'male',
  other: 'other',
  その他: 'other',
  unknown: 'unknown',
  不明: 'unknown',
  未回答: 'unknown',
};

/** Dates as Excel writes them (1980/4/1, 1980-04-01, 1980年4月1日) as YYYY-MM-DD; others as given. */
function isoDate(value: string): string {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(value.normalize('NFKC'));
  return m ? `${m[1]}-${m[2]?.padStart(2, '0')}-${m[3]?.padStart(2, '0')}` : value;
}

export type RowInput = { input: Record<string, unknown>; phoneColumns: ImportColumn[] };

/** A CSV row as the body POST /customers would get, and which column each phone came from. */
export function rowInput(cells: CsvRow['input']): RowInput {
  const phoneColumns = (['phone1', 'phone2', 'phone3'] as const).filter((c) => cells[c] !== undefined);
  const input: Record<string, unknown> = {
    name: cells.name ?? '',
    nameKana: cells.nameKana,
    phones: phoneColumns.length > 0 ? phoneColumns.map((c) => ({ number: cells[c] })) : undefined,
    emails: cells.email !== undefined ? [cells.email] : undefined,
    postalCode: cells.postalCode,
    prefecture: cells.prefecture,
    city: cells.city,
    address1: cells.address1,
    address2: cells.address2,
    company: cells.company,
    department: cells.department,
    birthDate: cells.birthDate !== undefined ? isoDate(cells.birthDate) : undefined,
    gender: cells.gender !== undefined ? (GENDER_WORDS[cells.gender.toLowerCase()] ?? cells.gender) : undefined,
    note: cells.note,
  };
  for (const k of Object.keys(input)) if (input[k] === undefined) delete input[k];
  return { input, phoneColumns };
}

/** The CSV column a field path of the POST body comes from ('phones.1.number' → phone2's column). */
export function columnOfPath(path: string, phoneColumns: ImportColumn[]): ImportColumn | null {
  const [field, index] = path.split('.');
  if (field === 'phones') return phoneColumns[Number(index ?? 0)] ?? 'phone1';
  if (field === 'emails') return 'email';
  return field && field in IMPORT_COLUMNS ? (field as ImportColumn) : null;
}
