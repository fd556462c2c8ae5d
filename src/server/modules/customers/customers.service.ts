import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { tokyoDate } from '../../../shared/calendar.js';
import { normalizePhone } from '../../../shared/japanese/phone.js';
import type { Database, TenantTx } from '../../db/database.js';
import { type Actor, audit } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors.js';
import { etagOf, ifMatchAccepts } from '../../platform/http/etag.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import {
  type CustomerRecord,
  customersByPhone,
  findCustomer,
  insertCustomers,
  lockCustomer,
  replacePhones,
  searchCustomers,
  staffExists,
  takeNumbers,
  updateColumns,
} from './customers.queries.js';
import { type Customer, type CustomerInput, type CustomerRow, toCustomer } from './customers.schema.js';
import { planSearch } from './customers.search.js';
import { type CustomerValues, type FieldIssue, nameSearchOf, prepareCustomer } from './customers.validate.js';

export type Ctx = { tenantId: string; actor: Actor; now: Date };
type Read = { customer: Customer; etag: string };

const LOOKUP_LIMIT = 100;

export function validationFailed(issues: FieldIssue[]): AppError {
  return new AppError(
    400,
    'validation',
    'error.detail.validation',
    { count: issues.length },
    issues,
    'error.title.validation',
  );
}

/** The field checks of POST and PATCH beyond the JSON shape; throws a 400 naming every bad field. */
function prepared(input: CustomerInput, now: Date): CustomerValues {
  const { values, issues } = prepareCustomer(input, tokyoDate(now));
  if (issues.length > 0) throw validationFailed(issues);
  return values;
}

async function checkStaff(tx: TenantTx, staffId: string | null | undefined): Promise<void> {
  if (staffId && !(await staffExists(tx, staffId))) {
    throw validationFailed([{ path: 'staffId', code: 'not_found', key: 'customers.staff_not_found' }]);
  }
}

/**
 * A complete record from the values of a create: absent fields take their defaults. One object
 * literal, no spreads: this runs once per row of a 100,000-row import, and V8 builds a literal
 * of known shape a hundred times faster than a spread followed by two dozen properties.
 */
export function newRecord(values: CustomerValues & { name: string }, id: string, seq: number): CustomerRecord {
  const names = {
    name: values.name,
    name_kana: values.name_kana ?? null,
    family_name_kana: values.family_name_kana ?? null,
    given_name_kana: values.given_name_kana ?? null,
  };
  return {
    id,
    seq,
    name: names.name,
    name_kana: names.name_kana,
    family_name: values.family_name ?? null,
    given_name: values.given_name ?? null,
    family_name_kana: names.family_name_kana,
    given_name_kana: names.given_name_kana,
    name_search: nameSearchOf(names),
    phones: values.phones ?? [],
    emails: values.emails ?? [],
    postal_code: values.postal_code ?? null,
    prefecture: values.prefecture ?? null,
    city: values.city ?? null,
    address1: values.address1 ?? null,
    address2: values.address2 ?? null,
    company: values.company ?? null,
    department: values.department ?? null,
    birth_date: values.birth_date ?? null,
    gender: values.gender ?? null,
    dm_opt_in: values.dm_opt_in ?? false,
    mail_opt_in: values.mail_opt_in ?? false,
    staff_id: values.staff_id ?? null,
    ad_medium: values.ad_medium ?? null,
    tags: values.tags ?? [],
    note: values.note ?? null,
    alert: values.alert ?? null,
  };
}

async function mustFind(tx: TenantTx, id: string): Promise<CustomerRow> {
  const row = await findCustomer(tx, id);
  if (!row) throw AppError.notFound('object.customer');
  return row;
}

const read = (row: CustomerRow): Read => ({ customer: toCustomer(row), etag: etag(row.version) });
const etag = etagOf;

export async function createCustomer(db: Database, ctx: Ctx, input: CustomerInput & { name: string }): Promise<Read> {
  const values = prepared(input, ctx.now);
  return db.withTenant(ctx.tenantId, async (tx) => {
    await checkStaff(tx, values.staff_id);
    const id = randomUUID();
    const seq = await takeNumbers(tx, 1);
    await insertCustomers(tx, [newRecord({ ...values, name: input.name.trim() }, id, seq)]);
    await audit(tx, ctx.actor, { action: 'customer.create', objectType: 'customer', objectId: id });
    return read(await mustFind(tx, id));
  });
}

export async function getCustomer(db: Database, ctx: Pick<Ctx, 'tenantId'>, id: string): Promise<Read> {
  return db.withTenant(ctx.tenantId, async (tx) => read(await mustFind(tx, id)));
}

export async function updateCustomer(
  db: Database,
  ctx: Ctx,
  id: string,
  patch: CustomerInput,
  ifMatch: string | undefined,
): Promise<Read> {
  const values = prepared(patch, ctx.now);
  return db.withTenant(ctx.tenantId, async (tx) => {
    const current = await lockCustomer(tx, id);
    if (!current) throw AppError.notFound('object.customer');
    if (ifMatch !== undefined && !ifMatchAccepts(ifMatch, current.version)) throw AppError.stale();
    const { phones, ...columns } = values;
    const changed = Object.keys(values);
    if (changed.length === 0) return read(await mustFind(tx, id));
    await checkStaff(tx, values.staff_id);
    const names = {
      name: values.name ?? current.name,
      name_kana: values.name_kana !== undefined ? values.name_kana : current.name_kana,
      family_name_kana: values.family_name_kana !== undefined ? values.family_name_kana : current.family_name_kana,
      given_name_kana: values.given_name_kana !== undefined ? values.given_name_kana : current.given_name_kana,
    };
    await updateColumns(tx, id, { ...columns, name_search: nameSearchOf(names) });
    if (phones) await replacePhones(tx, id, phones);
    await audit(tx, ctx.actor, {
      action: 'customer.update',
      objectType: 'customer',
      objectId: id,
      detail: { fields: changed },
    });
    return read(await mustFind(tx, id));
  });
}

const cursorShape = z.tuple([z.number().int().positive()]);

export async function listCustomers(
  db: Database,
  ctx: Pick<Ctx, 'tenantId'>,
  q: { q?: string; limit: number; cursor?: string },
): Promise<{ items: Customer[]; nextCursor: string | null }> {
  const after = decodeCursor(q.cursor, cursorShape);
  const plan = planSearch(q.q);
  return db.withTenant(ctx.tenantId, async (tx) => {
    const rows = await searchCustomers(tx, plan, after?.[0] ?? null, q.limit);
    return page(rows, q.limit, toCustomer, (r) => [Number(r.seq)]);
  });
}

/** The customers holding exactly this number, written in any format (the screen pop). */
export async function lookupByPhone(
  db: Database,
  ctx: Pick<Ctx, 'tenantId'>,
  phone: string,
): Promise<{ items: Customer[] }> {
  const n = normalizePhone(phone);
  if (!n) return { items: [] };
  const rows = await db.withTenant(ctx.tenantId, (tx) => customersByPhone(tx, n.e164, LOOKUP_LIMIT));
  return { items: rows.map(toCustomer) };
}
