// The customers benchmark's data: N customers with Japanese names, addresses and 1–5 phone
// numbers each (3 on average: 3N), generated inside PostgreSQL with INSERT … SELECT over
// generate_series, 100,000 customers per statement. Every value is a function of the customer's
// number (hashint8extended), so a run is reproducible and the CSV for the import benchmark comes
// from the same generator (other numbers, so no phone repeats a seeded one).
//
// The triggers stay on: customer_search (the name grams) and customer_contact_stats are filled
// as for any insert. What is set aside is index maintenance: the non-unique indexes of the four
// tables (the GIN gram and e-mail indexes, the phone indexes, the duplicate and 長期未対応 indexes)
// are dropped before the load and built again after it from their own definitions
// (pg_get_indexdef): one sorted build each instead of 3,000,000 random-order btree insertions and
// fifteen to twenty GIN keys per customer, row by row. Unique indexes and keys stay.
import pg from 'pg';
import { nameSearchOf } from '../src/server/modules/customers/customers.validate.js';
import { AREAS, FAMILY_NAMES, GIVEN_NAMES } from './customers-data.js';
import { dropIndexes, log, round } from './lib.js';

const TABLES = ['customers', 'customer_phones', 'customer_search', 'customer_contact_stats'];
const BATCH = 100_000;
const H = (seed: number, of: string) => `(hashint8extended(${of}, ${seed}) & 9223372036854775807)`;

/** The name and address tables the generator joins (schema `bench`, owner only). */
async function createNameTables(client: pg.Client): Promise<void> {
  await client.query('CREATE SCHEMA IF NOT EXISTS bench');
  await client.query(`
    CREATE TABLE IF NOT EXISTS bench.family (i int PRIMARY KEY, kanji text NOT NULL, kana text NOT NULL);
    CREATE TABLE IF NOT EXISTS bench.given (i int PRIMARY KEY, kanji text NOT NULL, kana text NOT NULL, gender text NOT NULL);
    CREATE TABLE IF NOT EXISTS bench.combo (f int, g int, name_search text NOT NULL, PRIMARY KEY (f, g));
    CREATE TABLE IF NOT EXISTS bench.area (i int PRIMARY KEY, prefecture text, city text, postal3 text, towns text[]);
    TRUNCATE bench.family, bench.given, bench.combo, bench.area`);
  await client.query('INSERT INTO bench.family SELECT * FROM unnest($1::int[], $2::text[], $3::text[])', [
    FAMILY_NAMES.map((_, i) => i),
    FAMILY_NAMES.map((f) => f.kanji),
    FAMILY_NAMES.map((f) => f.kana),
  ]);
  await client.query('INSERT INTO bench.given SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[])', [
    GIVEN_NAMES.map((_, i) => i),
    GIVEN_NAMES.map((g) => g.kanji),
    GIVEN_NAMES.map((g) => g.kana),
    GIVEN_NAMES.map((g) => g.gender),
  ]);
  // The search form as the application makes it (normalizeName of name, kana, kana parts).
  const f: number[] = [];
  const g: number[] = [];
  const forms: string[] = [];
  FAMILY_NAMES.forEach((fam, fi) => {
    GIVEN_NAMES.forEach((giv, gi) => {
      f.push(fi);
      g.push(gi);
      forms.push(
        nameSearchOf({
          name: `${fam.kanji} ${giv.kanji}`,
          name_kana: `${fam.kana} ${giv.kana}`,
          family_name_kana: fam.kana,
          given_name_kana: giv.kana,
        }),
      );
    });
  });
  await client.query('INSERT INTO bench.combo SELECT * FROM unnest($1::int[], $2::int[], $3::text[])', [f, g, forms]);
  await client.query(
    'INSERT INTO bench.area SELECT i - 1, a->>0, a->>1, a->>2, ARRAY(SELECT jsonb_array_elements_text(a->3)) FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x(a, i)',
    [JSON.stringify(AREAS.map((a) => [a.prefecture, a.city, a.postal3, a.towns]))],
  );
  await client.query('ANALYZE bench.family, bench.given, bench.combo, bench.area');
}

/**
 * Customers $2…$3 as columns of `customers` ($1: tenant). Family names are drawn with a skew (the
 * first of the list, 佐藤 鈴木 高橋, most often: 3.6 % are 佐藤, the last ones 0.1 %), given names uniformly; the
 * space between them is half-width, full-width or missing, as people type it.
 */
const customersSql = (tenantParam: string) => `
  SELECT ${tenantParam}::uuid AS tenant_id, s.seq,
         f.kanji || (CASE s.h3 % 10 WHEN 9 THEN '' WHEN 8 THEN '　' WHEN 7 THEN '　' ELSE ' ' END) || g.kanji AS name,
         f.kana || ' ' || g.kana AS name_kana,
         f.kanji AS family_name, g.kanji AS given_name, f.kana AS family_name_kana, g.kana AS given_name_kana,
         k.name_search,
         CASE WHEN s.h3 % 3 = 0
              THEN ARRAY['c' || s.seq || '@' || (ARRAY['gmail.com','yahoo.co.jp','docomo.ne.jp','ezweb.ne.jp','icloud.com'])[1 + (s.h3 / 3) % 5]]
              ELSE '{}'::text[] END AS emails,
         a.postal3 || '-' || lpad(((s.h4 / 7) % 10000)::text, 4, '0') AS postal_code,
         a.prefecture, a.city,
         a.towns[1 + ((s.h4 / 70000) % 4)::int] || (1 + s.h4 % 5) || '-' || (1 + (s.h4 / 5) % 30) || '-' || (1 + (s.h4 / 150) % 20) AS address1,
         date '1935-01-01' + (s.h5 % 25000)::int AS birth_date,
         g.gender,
         s.h5 % 2 = 0 AS dm_opt_in, s.h5 % 4 = 0 AS mail_opt_in,
         now() - (s.h2 % 3650) * interval '1 day' - (s.h3 % 86400) * interval '1 second' AS created_at
    FROM (SELECT x AS seq, ${H(1, 'x')} AS h1, ${H(2, 'x')} AS h2, ${H(3, 'x')} AS h3, ${H(4, 'x')} AS h4, ${H(5, 'x')} AS h5
            FROM generate_series($2::bigint, $3::bigint) AS x) s
    JOIN bench.family f ON f.i = floor(power((s.h1 % 1000000) / 1000000.0, 1.6) * ${FAMILY_NAMES.length})::int
    JOIN bench.given g ON g.i = (s.h2 % ${GIVEN_NAMES.length})::int
    JOIN bench.combo k ON k.f = f.i AND k.g = g.i
    JOIN bench.area a ON a.i = (s.h4 % ${AREAS.length})::int`;

/**
 * The phones of rows (customer_id, seq, pos) given by `source`: pos 0 and 2 mobiles (090/080/070),
 * 1 home, 3 work and 4 fax on landlines (03, 06, seven 3-digit and six 4-digit area codes),
 * written as people type them: 090-1234-5678, 09012345678, ０９０－１２３４－５６７８,
 * 090 1234 5678, (03)1234-5678, +81 90-1234-5678. The eight subscriber digits are a bijection of
 * seq × 5 + pos, so mobiles and 03/06 numbers never repeat; 3- and 4-digit areas rarely do.
 */
export const phonesSql = (source: string) => `
  SELECT src.customer_id, src.seq, src.pos, n.number, '+81' || substr(n.national, 2) AS e164, n.national,
         CASE WHEN src.pos IN (0, 2) THEN 'mobile' WHEN src.pos = 1 THEN 'home' WHEN src.pos = 3 THEN 'work' ELSE 'fax' END AS kind
    FROM (${source}) src
    CROSS JOIN LATERAL (SELECT ${H(7, 'src.seq * 5 + src.pos')} AS h,
                               20000000 + ((src.seq * 5 + src.pos) * 48271 + 7) % 80000000 AS x8) k
    CROSS JOIN LATERAL (SELECT CASE WHEN src.pos IN (0, 2) THEN (ARRAY['090','090','080','080','070'])[1 + (k.h % 5)::int]
                                    WHEN k.h % 10 < 4 THEN '03' WHEN k.h % 10 < 6 THEN '06'
                                    WHEN k.h % 10 < 9 THEN (ARRAY['045','052','092','075','078','022','082'])[1 + ((k.h / 10) % 7)::int]
                                    ELSE (ARRAY['0422','0466','0476','0263','0898','0995'])[1 + ((k.h / 10) % 6)::int] END AS area) a
    CROSS JOIN LATERAL (SELECT CASE WHEN src.pos IN (0, 2) OR length(a.area) = 2 THEN k.x8::text
                                    WHEN length(a.area) = 3 THEN (2000000 + k.x8 % 8000000)::text
                                    ELSE (200000 + k.x8 % 800000)::text END AS sub) b
    CROSS JOIN LATERAL (SELECT left(b.sub, length(b.sub) - 4) AS mid, right(b.sub, 4) AS last) m
    CROSS JOIN LATERAL (SELECT a.area || m.mid || m.last AS national,
                               CASE (k.h / 100) % 10
                                 WHEN 4 THEN a.area || m.mid || m.last
                                 WHEN 5 THEN a.area || m.mid || m.last
                                 WHEN 6 THEN translate(a.area || '-' || m.mid || '-' || m.last, '0123456789-', '０１２３４５６７８９－')
                                 WHEN 7 THEN a.area || ' ' || m.mid || ' ' || m.last
                                 WHEN 8 THEN CASE WHEN src.pos IN (0, 2) THEN a.area || '-' || m.mid || '-' || m.last
                                                  ELSE '(' || a.area || ')' || m.mid || '-' || m.last END
                                 WHEN 9 THEN '+81 ' || substr(a.area, 2) || '-' || m.mid || '-' || m.last
                                 ELSE a.area || '-' || m.mid || '-' || m.last END AS number) n`;

/** 1 to 5 phones (cycling with seq: 3 on average over any five customers). */
const phoneCount = (seq: string) => `generate_series(0, (${seq} * 3 % 5)::int)`;

export type SeedReport = {
  customers: number;
  phones: number;
  seconds: { total: number; names: number; load: number; indexes: number; vacuumAnalyze: number };
  customersPerSecond: number;
  method: string;
};

export async function seedCustomers(ownerUrl: string, tenantId: string, count: number): Promise<SeedReport> {
  const client = new pg.Client({ connectionString: ownerUrl, application_name: 'bench-seed' });
  await client.connect();
  try {
    const t0 = performance.now();
    await client.query(
      `SET maintenance_work_mem = '1GB'; SET work_mem = '256MB'; SET max_parallel_maintenance_workers = 2`,
    );
    await createNameTables(client);
    const tNames = performance.now();

    const indexes = await dropIndexes(client, TABLES);

    let phones = 0;
    for (let first = 1; first <= count; first += BATCH) {
      const last = Math.min(count, first + BATCH - 1);
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
      const columns =
        'tenant_id, seq, name, name_kana, family_name, given_name, family_name_kana, given_name_kana, name_search, emails, postal_code, prefecture, city, address1, birth_date, gender, dm_opt_in, mail_opt_in, created_at';
      await client.query(
        `INSERT INTO customers (${columns}, updated_at) SELECT ${columns}, created_at FROM (${customersSql('$1')}) x`,
        [tenantId, first, last],
      );
      const source = `SELECT c.id AS customer_id, c.seq, p.pos FROM customers c CROSS JOIN LATERAL ${phoneCount('c.seq')} AS p(pos)
                       WHERE c.tenant_id = $1 AND c.seq BETWEEN $2 AND $3`;
      const r = await client.query(
        `INSERT INTO customer_phones (tenant_id, customer_id, position, number, e164, national, kind)
         SELECT $1, customer_id, pos, number, e164, national, kind FROM (${phonesSql(source)}) x`,
        [tenantId, first, last],
      );
      phones += r.rowCount ?? 0;
      await client.query('COMMIT');
      log(
        `seed: ${last.toLocaleString('en')} customers, ${phones.toLocaleString('en')} phones (${round((performance.now() - t0) / 1000, 1)} s)`,
      );
    }
    await client.query(
      `INSERT INTO customer_counters AS k (tenant_id, last_seq) VALUES ($1, $2)
       ON CONFLICT (tenant_id) DO UPDATE SET last_seq = greatest(k.last_seq, EXCLUDED.last_seq)`,
      [tenantId, count],
    );
    const tLoad = performance.now();
    for (const ix of indexes) {
      const t = performance.now();
      await client.query(ix.def);
      log(`seed: ${ix.name} built in ${round((performance.now() - t) / 1000, 1)} s`);
    }
    const tIndexes = performance.now();
    await client.query(`VACUUM (ANALYZE) ${TABLES.join(', ')}`);
    const tEnd = performance.now();
    const s = (ms: number) => round(ms / 1000, 1);
    return {
      customers: count,
      phones,
      seconds: {
        total: s(tEnd - t0),
        names: s(tNames - t0),
        load: s(tLoad - tNames),
        indexes: s(tIndexes - tLoad),
        vacuumAnalyze: s(tEnd - tIndexes),
      },
      customersPerSecond: Math.round(count / ((tEnd - t0) / 1000)),
      method:
        'owner connection, set_config(app.tenant_id); INSERT … SELECT generate_series, 100,000 customers per statement, triggers on (customer_search grams, contact stats); non-unique indexes dropped for the load and rebuilt; VACUUM ANALYZE',
    };
  } finally {
    await client.end();
  }
}

export type CsvSource = {
  name: string;
  kana: string;
  phones: string[];
  email: string | null;
  postal: string;
  prefecture: string;
  city: string;
  address1: string;
  birth: string;
  gender: string;
};

/** `rows` customers from the generator at numbers from `firstSeq`, not inserted: the CSV's rows. */
export async function generatedRows(ownerUrl: string, firstSeq: number, rows: number): Promise<CsvSource[]> {
  const client = new pg.Client({ connectionString: ownerUrl, application_name: 'bench-csv' });
  await client.connect();
  try {
    const tenant = '00000000-0000-0000-0000-000000000000';
    const last = firstSeq + rows - 1;
    const source = `SELECT NULL::uuid AS customer_id, s.seq, p.pos FROM generate_series($2::bigint, $3::bigint) s(seq)
                     CROSS JOIN LATERAL ${phoneCount('s.seq')} AS p(pos) WHERE p.pos < 3 AND $1::uuid IS NOT NULL`;
    const { rows: people } = await client.query<Omit<CsvSource, 'phones'> & { seq: number }>(
      `SELECT c.seq::int AS seq, c.name, c.name_kana AS kana, c.emails[1] AS email, c.postal_code AS postal, c.prefecture,
              c.city, c.address1, to_char(c.birth_date, 'YYYY/FMMM/FMDD') AS birth,
              CASE c.gender WHEN 'female' THEN '女性' ELSE '男性' END AS gender
         FROM (${customersSql('$1')}) c ORDER BY c.seq`,
      [tenant, firstSeq, last],
    );
    const { rows: phones } = await client.query<{ seq: number; number: string }>(
      `SELECT p.seq::int AS seq, p.number FROM (${phonesSql(source)}) p ORDER BY p.seq, p.pos`,
      [tenant, firstSeq, last],
    );
    const bySeq = new Map<number, string[]>();
    for (const p of phones) {
      const list = bySeq.get(p.seq) ?? [];
      list.push(p.number);
      bySeq.set(p.seq, list);
    }
    const out = people.map(({ seq, ...person }) => ({ ...person, phones: bySeq.get(seq) ?? [] }));
    return out;
  } finally {
    await client.end();
  }
}
