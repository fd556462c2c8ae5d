// SQL of the customers module. Every statement filters by tenant_id as well as running under RLS.
import type { TenantTx } from '../../db/database.js';
import { CUSTOMER_COLUMNS, type CustomerRow } from './customers.schema.js';
import type { SearchPlan } from './customers.search.js';
import type { CustomerValues, PhoneValue } from './customers.validate.js';

/** A customer ready to insert: every column, the id and number already given. */
export type CustomerRecord = Required<Omit<CustomerValues, 'phones'>> & {
  id: string;
  seq: number;
  name_search: string;
  phones: PhoneValue[];
};

// Column name and SQL type, in the order of the INSERT (jsonb_to_recordset reads them by name).
const RECORD_COLUMNS: [keyof CustomerRecord, string][] = [
  ['id', 'uuid'],
  ['seq', 'bigint'],
  ['name', 'text'],
  ['name_kana', 'text'],
  ['family_name', 'text'],
  ['given_name', 'text'],
  ['family_name_kana', 'text'],
  ['given_name_kana', 'text'],
  ['name_search', 'text'],
  ['emails', 'text[]'],
  ['postal_code', 'text'],
  ['prefecture', 'text'],
  ['city', 'text'],
  ['address1', 'text'],
  ['address2', 'text'],
  ['company', 'text'],
  ['department', 'text'],
  ['birth_date', 'date'],
  ['gender', 'text'],
  ['dm_opt_in', 'boolean'],
  ['mail_opt_in', 'boolean'],
  ['staff_id', 'uuid'],
  ['ad_medium', 'text'],
  ['tags', 'text[]'],
  ['note', 'text'],
  ['alert', 'text'],
];
const INSERT_CUSTOMERS = `
  INSERT INTO customers (tenant_id, ${RECORD_COLUMNS.map(([c]) => c).join(', ')})
  SELECT $1, ${RECORD_COLUMNS.map(([c]) => `r.${c}`).join(', ')}
    FROM jsonb_to_recordset($2::jsonb) AS r(${RECORD_COLUMNS.map(([c, t]) => `${c} ${t}`).join(', ')})`;
const INSERT_PHONES = `
  INSERT INTO customer_phones (tenant_id, customer_id, position, number, e164, national, kind)
  SELECT $1, r.customer_id, r.position, r.number, r.e164, r.national, r.kind
    FROM jsonb_to_recordset($2::jsonb) AS r(customer_id uuid, position smallint, number text, e164 text, national text, kind text)`;

function phoneRows(customerId: string, phones: PhoneValue[]) {
  return phones.map((p, position) => ({
    customer_id: customerId,
    position,
    number: p.number,
    e164: p.e164,
    national: p.national,
    kind: p.kind,
  }));
}

/**
 * Takes `count` customer numbers of the tenant and answers the first. The counter row stays
 * locked until the transaction ends: concurrent creators wait, numbers never repeat.
 */
export async function takeNumbers(tx: TenantTx, count: number): Promise<number> {
  const [row] = await tx.query<{ last_seq: number }>(
    `INSERT INTO customer_counters AS k (tenant_id, last_seq) VALUES ($1, $2)
     ON CONFLICT (tenant_id) DO UPDATE SET last_seq = k.last_seq + EXCLUDED.last_seq
     RETURNING last_seq`,
    [tx.tenantId, count],
  );
  if (!row) throw new Error('customer_counters returned nothing');
  return Number(row.last_seq) - count + 1;
}

/** Inserts customers and their phones: one statement for each table, whatever the number of rows. */
export async function insertCustomers(tx: TenantTx, records: CustomerRecord[]): Promise<void> {
  if (records.length === 0) return;
  // The records as they are: jsonb_to_recordset reads the columns it names (phones is ignored).
  await tx.query(INSERT_CUSTOMERS, [tx.tenantId, JSON.stringify(records)]);
  const phones = records.flatMap((r) => phoneRows(r.id, r.phones));
  if (phones.length > 0) await tx.query(INSERT_PHONES, [tx.tenantId, JSON.stringify(phones)]);
}

export async function replacePhones(tx: TenantTx, customerId: string, phones: PhoneValue[]): Promise<void> {
  await tx.query('DELETE FROM customer_phones WHERE tenant_id = $1 AND customer_id = $2', [tx.tenantId, customerId]);
  if (phones.length > 0) {
    await tx.query(INSERT_PHONES, [tx.tenantId, JSON.stringify(phoneRows(customerId, phones))]);
  }
}

export async function findCustomer(tx: TenantTx, id: string): Promise<CustomerRow | null> {
  const [row] = await tx.query<CustomerRow>(
    `SELECT ${CUSTOMER_COLUMNS} FROM customers c WHERE c.tenant_id = $1 AND c.id = $2`,
    [tx.tenantId, id],
  );
  return row ?? null;
}

export type LockedCustomer = {
  version: number;
  name: string;
  name_kana: string | null;
  family_name_kana: string | null;
  given_name_kana: string | null;
};

/** The fields an update builds on, the row locked until the transaction ends. */
export async function lockCustomer(tx: TenantTx, id: string): Promise<LockedCustomer | null> {
  const [row] = await tx.query<LockedCustomer>(
    `SELECT version, name, name_kana, family_name_kana, given_name_kana FROM customers
      WHERE tenant_id = $1 AND id = $2 FOR UPDATE`,
    [tx.tenantId, id],
  );
  return row ?? null;
}

// The columns an update may set; names come from this list only, never from the request.
const UPDATABLE = new Set<string>(RECORD_COLUMNS.map(([c]) => c).filter((c) => c !== 'id' && c !== 'seq'));

/** Sets the given columns, bumps the version. */
export async function updateColumns(tx: TenantTx, id: string, columns: Record<string, unknown>): Promise<void> {
  const entries = Object.entries(columns).filter(([c]) => UPDATABLE.has(c));
  const sets = entries.map(([c], i) => `${c} = $${i + 3}`);
  await tx.query(
    `UPDATE customers SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')}
      WHERE tenant_id = $1 AND id = $2`,
    [tx.tenantId, id, ...entries.map(([, v]) => v)],
  );
}

export async function staffExists(tx: TenantTx, userId: string): Promise<boolean> {
  const rows = await tx.query('SELECT 1 FROM users WHERE tenant_id = $1 AND id = $2', [tx.tenantId, userId]);
  return rows.length > 0;
}

/** The customers holding exactly this number (the screen pop): one statement, index probes only. */
export async function customersByPhone(tx: TenantTx, e164: string, limit: number): Promise<CustomerRow[]> {
  return tx.query<CustomerRow>(
    `SELECT ${CUSTOMER_COLUMNS} FROM customers c
      WHERE c.tenant_id = $1
        AND c.id IN (SELECT p.customer_id FROM customer_phones p WHERE p.tenant_id = $1 AND p.e164 = $2)
      ORDER BY c.seq LIMIT $3`,
    [tx.tenantId, e164, limit],
  );
}

/** The next digit string after every string starting with `prefix` (digits only): '8765' → '8766'. */
function prefixEnd(prefix: string): string {
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/** One keyset page of a search, in customer-number order; `limit + 1` rows to tell if more follow. */
export async function searchCustomers(
  tx: TenantTx,
  plan: SearchPlan,
  afterSeq: number | null,
  limit: number,
): Promise<CustomerRow[]> {
  const params: unknown[] = [tx.tenantId, afterSeq, limit + 1];
  const p = (value: unknown) => `$${params.push(value)}`;
  // Name and e-mail matches come from the search functions (see 0002_customers.sql: their
  // operators could not use an index under RLS), already paged; the rest filter customers here.
  let matches: string | null = null;
  let where = 'true';
  switch (plan.kind) {
    case 'none':
      return [];
    case 'all':
      break;
    case 'code':
      where = `c.seq = ${p(plan.seq)}`;
      break;
    case 'email':
      matches = `customer_ids_by_email(${p(plan.email)}, $2)`;
      break;
    case 'name':
      matches = `customer_ids_by_name(${p(plan.grams)}::text[], ${p(plan.text)}, $2, $3)`;
      break;
    case 'phone': {
      const ids: string[] = [];
      if (plan.e164) {
        ids.push(`SELECT p.customer_id FROM customer_phones p WHERE p.tenant_id = $1 AND p.e164 = ${p(plan.e164)}`);
      }
      if (plan.trailing) {
        ids.push(`SELECT p.customer_id FROM customer_phones p WHERE p.tenant_id = $1
                   AND p.reversed_digits ~>=~ ${p(plan.trailing)} AND p.reversed_digits ~<~ ${p(prefixEnd(plan.trailing))}`);
      }
      if (plan.seq !== null) ids.push(`SELECT k.id FROM customers k WHERE k.tenant_id = $1 AND k.seq = ${p(plan.seq)}`);
      if (ids.length === 0) return [];
      where = `c.id IN (${ids.join(' UNION ')})`;
      break;
    }
  }
  if (matches) {
    return tx.query<CustomerRow>(
      `SELECT ${CUSTOMER_COLUMNS} FROM ${matches} AS m JOIN customers c ON c.tenant_id = $1 AND c.id = m.customer_id
        ORDER BY m.seq LIMIT $3`,
      params,
    );
  }
  return tx.query<CustomerRow>(
    `SELECT ${CUSTOMER_COLUMNS} FROM customers c
      WHERE c.tenant_id = $1 AND ($2::bigint IS NULL OR c.seq > $2) AND ${where}
      ORDER BY c.seq LIMIT $3`,
    params,
  );
}
