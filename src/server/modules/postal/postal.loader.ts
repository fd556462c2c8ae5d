// Japan Post's postal codes from the jquery-jpostal-ja package (json/000.json … 999.json, JSONP,
// 147,873 records with its 3-digit area entries) into the shared table postal_codes.
//
// When: in the background once the server listens (postal.routes.ts), and on demand when a
// look-up finds the table not loaded; never during start-up itself, which stays as fast as before.
// How: files read one at a time without blocking the event loop, 5,000 rows per INSERT (500 on
// the embedded database), each its own short transaction (on the embedded database other
// requests run between them), rows inserted with ON CONFLICT DO NOTHING so that an interrupted
// or concurrent load is harmless. Measured: 3.7 s on a server, 12 s embedded (requests wait at
// most ~75 ms meanwhile).
// postal_code_source records the data's version last: until it is written, the table is "loading".
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from '../../db/database.js';

const PACKAGE_JSON = fileURLToPath(import.meta.resolve('jquery-jpostal-ja/package.json'));
const DATA_DIR = path.join(path.dirname(PACKAGE_JSON), 'json');
// Rows per INSERT. The embedded database runs in this process's thread: a statement there holds
// the event loop for its whole duration, so its chunks are small.
const CHUNK = { pg: 5000, pglite: 500 } as const;
// Serialises the "is it stale? then clear it" step between servers sharing a database.
const LOCK_KEY = 7_305_112_004;

export type PostalRecord = {
  code: string;
  ordinal: number;
  prefecture: string;
  city: string;
  town: string;
  street: string;
  office: string;
  prefecture_kana: string;
  city_kana: string;
  town_kana: string;
};

const INSERT = `
  INSERT INTO postal_codes (code, ordinal, prefecture, city, town, street, office, prefecture_kana, city_kana, town_kana)
  SELECT r.code, r.ordinal, r.prefecture, r.city, r.town, r.street, r.office, r.prefecture_kana, r.city_kana, r.town_kana
    FROM jsonb_to_recordset($1::jsonb) AS r(code text, ordinal smallint, prefecture text, city text, town text, street text,
         office text, prefecture_kana text, city_kana text, town_kana text)
  ON CONFLICT (code, ordinal) DO NOTHING`;

/** One data file's records: `jQuery_jpostal_callback([[ "_1000001", 都道府県, 市区町村, 町域, 番地, 事業所, kana ×3 ], …])`. */
export function parseJsonp(text: string): string[][] {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return [];
  const value: unknown = JSON.parse(text.slice(open + 1, close));
  return Array.isArray(value) ? (value as string[][]) : [];
}

async function dataFiles(): Promise<string[]> {
  return (await fs.readdir(DATA_DIR)).filter((f) => /^\d{3}\.json$/.test(f)).sort();
}

/** The data's version: the package's and the data date in its 000info record. */
export async function postalSource(): Promise<string> {
  const pkg = JSON.parse(await fs.readFile(PACKAGE_JSON, 'utf8')) as { version: string };
  const info = parseJsonp(await fs.readFile(path.join(DATA_DIR, '000.json'), 'utf8')).find((r) => r[0] === '_000info');
  return `jquery-jpostal-ja@${pkg.version} ${info?.[2] ?? ''}`.trim();
}

/** The 7-digit records of the data set, file by file (the 3-digit area entries are left out). */
async function* records(): AsyncGenerator<PostalRecord> {
  for (const file of await dataFiles()) {
    const ordinals = new Map<string, number>();
    for (const r of parseJsonp(await fs.readFile(path.join(DATA_DIR, file), 'utf8'))) {
      const code = (r[0] ?? '').replace(/^_/, '');
      if (!/^\d{7}$/.test(code)) continue;
      const ordinal = ordinals.get(code) ?? 0;
      ordinals.set(code, ordinal + 1);
      const kana = (s: string | undefined) => (s ?? '').normalize('NFKC');
      yield {
        code,
        ordinal,
        prefecture: r[1] ?? '',
        city: r[2] ?? '',
        town: r[3] ?? '',
        street: (r[4] ?? '').normalize('NFKC'),
        office: (r[5] ?? '').normalize('NFKC'),
        prefecture_kana: kana(r[6]),
        city_kana: kana(r[7]),
        town_kana: kana(r[8]),
      };
    }
  }
}

export async function postalLoaded(db: Database): Promise<boolean> {
  const rows = await db.app.query<{ source: string }>('SELECT source FROM postal_code_source WHERE id = 1');
  return rows.length > 0;
}

async function load(db: Database, stopped: () => boolean): Promise<{ loaded: number; source: string } | null> {
  const source = await postalSource();
  const fresh = await db.owner.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    const [row] = await tx.query<{ source: string }>('SELECT source FROM postal_code_source WHERE id = 1');
    if (row?.source === source) return true;
    if (row) {
      // Another version of the data: replace it.
      await tx.query('DELETE FROM postal_code_source');
      await tx.query('DELETE FROM postal_codes');
    }
    return false;
  });
  if (fresh) return null;
  let chunk: PostalRecord[] = [];
  let loaded = 0;
  const flush = async () => {
    if (chunk.length === 0) return;
    await db.owner.query(INSERT, [JSON.stringify(chunk)]);
    loaded += chunk.length;
    chunk = [];
  };
  for await (const record of records()) {
    if (stopped()) return null;
    chunk.push(record);
    if (chunk.length >= CHUNK[db.kind]) await flush();
  }
  await flush();
  await db.owner.query(
    `INSERT INTO postal_code_source (id, source, records) VALUES (1, $1, $2)
     ON CONFLICT (id) DO UPDATE SET source = EXCLUDED.source, records = EXCLUDED.records, loaded_at = now()`,
    [source, loaded],
  );
  return { loaded, source };
}

const running = new WeakMap<Database, Promise<{ loaded: number; source: string } | null>>();

/**
 * Loads the postal codes unless the table already holds this version of the data; one load per
 * database at a time in this process. Answers what it loaded (null when nothing was needed).
 * `stopped` is asked between rows: a closing server stops loading (the next start resumes).
 */
export function ensurePostalCodes(db: Database, stopped: () => boolean = () => false) {
  let job = running.get(db);
  if (!job) {
    job = load(db, stopped).finally(() => running.delete(db));
    running.set(db, job);
  }
  return job;
}
