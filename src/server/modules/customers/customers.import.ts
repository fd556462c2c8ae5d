// POST /customers/import: every row checked as POST /customers checks a body, then all rows
// inserted in one transaction, a thousand per statement — or none at all.
import { randomUUID } from 'node:crypto';
import { tokyoDate } from '../../../shared/calendar.js';
import type { Database } from '../../db/database.js';
import { audit } from '../../platform/audit/audit.js';
import { type Locale, translate } from '../../platform/i18n/messages.js';
import { columnOfPath, decodeCsv, type ImportColumn, readCsv, rowInput } from './customers.csv.js';
import { type CustomerRecord, insertCustomers, takeNumbers } from './customers.queries.js';
import { codeOf, createCustomerSchema, updateCustomerSchema } from './customers.schema.js';
import { type Ctx, newRecord } from './customers.service.js';
import { type FieldIssue, prepareCustomer, zodIssues } from './customers.validate.js';

export type ImportError = { row: number; column: string | null; code: string; message: string };
export type ImportResult = {
  rows: number;
  valid: number;
  imported: number;
  errors: ImportError[];
  /** True when more errors were found than `errors` lists. */
  errorsTruncated: boolean;
};

const BATCH = 1000;
const MAX_ERRORS = 1000;

type Checked = { result: ImportResult; records: CustomerRecord[]; encoding: string };

/** A row's issues in the order of the file's columns, as the user reads them. */
function sortedByColumn(issues: FieldIssue[], columns: ImportColumn[], phoneColumns: ImportColumn[]): FieldIssue[] {
  const at = (i: FieldIssue) => {
    const c = columnOfPath(i.path, phoneColumns);
    return c ? columns.indexOf(c) : -1;
  };
  return [...issues].sort((a, b) => at(a) - at(b));
}

/** Decodes, parses and checks a file; nothing touches the database. */
export function checkImport(body: Buffer, locale: Locale, now: Date): Checked {
  const { text, encoding } = decodeCsv(body);
  const table = readCsv(text);
  const headerOf = new Map<ImportColumn, string>(table.columns.map((c, i) => [c, table.headers[i] ?? c]));
  const today = tokyoDate(now);
  const errors: ImportError[] = [];
  let errorCount = 0;
  const records: Checked['records'] = [];
  const report = (row: number, column: ImportColumn | null, issue: Pick<FieldIssue, 'code' | 'key' | 'params'>) => {
    errorCount++;
    if (errors.length >= MAX_ERRORS) return;
    errors.push({
      row,
      column: column ? (headerOf.get(column) ?? column) : null,
      code: issue.code,
      message: translate(locale, issue.key, issue.params),
    });
  };
  let valid = 0;
  for (const { row, input: cells, overflow } of table.rows) {
    if (overflow) {
      report(row, null, { code: 'column_count', key: 'import.column_count' });
      continue;
    }
    const { input, phoneColumns } = rowInput(cells);
    const parsed = createCustomerSchema.safeParse(input);
    if (!parsed.success) {
      const issues = zodIssues(parsed.error, input);
      // The other checks still run on the fields of the right shape: the row's every fault at once.
      const bad = new Set(issues.map((i) => i.path.split('.')[0]));
      const rest = updateCustomerSchema.safeParse(
        Object.fromEntries(Object.entries(input).filter(([k]) => !bad.has(k))),
      );
      if (rest.success) issues.push(...prepareCustomer(rest.data, today).issues);
      for (const issue of sortedByColumn(issues, table.columns, phoneColumns))
        report(row, columnOfPath(issue.path, phoneColumns), issue);
      continue;
    }
    const { values, issues } = prepareCustomer(parsed.data, today);
    for (const issue of sortedByColumn(issues, table.columns, phoneColumns))
      report(row, columnOfPath(issue.path, phoneColumns), issue);
    if (issues.length > 0) continue;
    valid++;
    // Once a row failed nothing will be imported: the records are no longer worth keeping.
    if (errorCount === 0) records.push(newRecord({ ...values, name: parsed.data.name }, '', 0));
  }
  return {
    result: { rows: table.rows.length, valid, imported: 0, errors, errorsTruncated: errorCount > errors.length },
    records,
    encoding,
  };
}

/** Inserts checked records in one transaction: numbers taken at once, batches of BATCH rows. */
export async function importRecords(db: Database, ctx: Ctx, checked: Checked): Promise<ImportResult> {
  const { records } = checked;
  if (records.length === 0) return checked.result;
  return db.withTenant(ctx.tenantId, async (tx) => {
    const first = await takeNumbers(tx, records.length);
    records.forEach((r, i) => {
      r.id = randomUUID();
      r.seq = first + i;
    });
    for (let i = 0; i < records.length; i += BATCH) await insertCustomers(tx, records.slice(i, i + BATCH));
    await audit(tx, ctx.actor, {
      action: 'customer.import',
      objectType: 'customer',
      detail: {
        count: records.length,
        firstCode: codeOf(first),
        lastCode: codeOf(first + records.length - 1),
        encoding: checked.encoding,
      },
    });
    return { ...checked.result, imported: records.length };
  });
}
