// GET /customers/export: every customer (or a search's), streamed as CSV for Excel in keyset
// batches — memory stays flat and, on the embedded database, other requests run between batches.
import type { Readable } from 'node:stream';
import type { Database } from '../../db/database.js';
import { audit } from '../../platform/audit/audit.js';
import { type CsvEncoding, csvStream } from '../../platform/files/csv.js';
import { IMPORT_COLUMNS } from './customers.csv.js';
import { searchCustomers } from './customers.queries.js';
import type { CustomerRow, Gender } from './customers.schema.js';
import { planSearch } from './customers.search.js';
import type { Ctx } from './customers.service.js';

const BATCH = 1000;
const C = IMPORT_COLUMNS;

/** The import's columns first (same labels, so a trimmed export imports again), then the rest. */
export const EXPORT_HEADER = [
  '顧客コード',
  C.name,
  C.nameKana,
  C.phone1,
  C.phone2,
  C.phone3,
  C.email,
  C.postalCode,
  C.prefecture,
  C.city,
  C.address1,
  C.address2,
  C.company,
  C.department,
  C.birthDate,
  C.gender,
  C.note,
  'その他の電話番号',
  'その他のメールアドレス',
  'DM',
  'メルマガ',
  '注意事項',
  'タグ',
  '登録日時',
  '更新日時',
];

const GENDER_LABELS: Record<Gender, string> = { female: '女性', male: '男性', other: 'その他', unknown: '不明' };
const TOKYO = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

function exportRow(r: CustomerRow): unknown[] {
  const phones = r.phones.map((p) => p.number);
  return [
    r.code,
    r.name,
    r.name_kana,
    phones[0],
    phones[1],
    phones[2],
    r.emails[0],
    r.postal_code,
    r.prefecture,
    r.city,
    r.address1,
    r.address2,
    r.company,
    r.department,
    r.birth_date,
    r.gender ? GENDER_LABELS[r.gender] : '',
    r.note,
    phones.slice(3).join(' '),
    r.emails.slice(1).join(' '),
    r.dm_opt_in ? 1 : 0,
    r.mail_opt_in ? 1 : 0,
    r.alert,
    r.tags.join(' '),
    TOKYO.format(r.created_at),
    TOKYO.format(r.updated_at),
  ];
}

async function* rowsOf(db: Database, tenantId: string, q: string | undefined): AsyncGenerator<unknown[]> {
  const plan = planSearch(q);
  let after: number | null = null;
  for (;;) {
    const afterSeq: number | null = after;
    const rows: CustomerRow[] = await db.withTenant(tenantId, (tx) => searchCustomers(tx, plan, afterSeq, BATCH));
    for (const r of rows) yield exportRow(r);
    const last = rows[rows.length - 1];
    if (rows.length <= BATCH || !last) return;
    after = Number(last.seq);
  }
}

/** Audits the export (a bulk read of personal data), then answers the CSV stream. */
export async function exportCustomers(
  db: Database,
  ctx: Ctx,
  opts: { encoding: CsvEncoding; q?: string },
): Promise<Readable> {
  await db.withTenant(ctx.tenantId, (tx) =>
    audit(tx, ctx.actor, {
      action: 'customer.export',
      objectType: 'customer',
      detail: { encoding: opts.encoding, filtered: Boolean(opts.q?.trim()) },
    }),
  );
  return csvStream(EXPORT_HEADER, rowsOf(db, ctx.tenantId, opts.q), opts.encoding);
}
