// 送付先: a customer's delivery addresses besides the home address.
import { z } from 'zod';
import { canonicalPrefecture, normalizePostalCode } from '../../../shared/japanese/address.js';
import { normalizePhone } from '../../../shared/japanese/phone.js';
import type { Database, TenantTx } from '../../db/database.js';
import { audit } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors.js';
import type { Ctx } from './customers.service.js';
import { validationFailed } from './customers.service.js';
import type { FieldIssue } from './customers.validate.js';

const optionalText = (max: number) => z.string().trim().max(max).nullish();

const addressFields = {
  label: optionalText(50),
  name: z.string().trim().min(1).max(100),
  nameKana: optionalText(100),
  postalCode: optionalText(10),
  prefecture: optionalText(10),
  city: optionalText(100),
  address1: optionalText(200),
  address2: optionalText(200),
  company: optionalText(100),
  department: optionalText(100),
  phone: optionalText(40),
  note: optionalText(1000),
};
export const createAddressSchema = z.strictObject(addressFields);
export const updateAddressSchema = z.strictObject(addressFields).partial();
type AddressInput = z.infer<typeof updateAddressSchema>;

export const addressSchema = z.object({
  id: z.uuid(),
  customerId: z.uuid(),
  label: z.string().nullable(),
  name: z.string(),
  nameKana: z.string().nullable(),
  postalCode: z.string().nullable(),
  prefecture: z.string().nullable(),
  city: z.string().nullable(),
  address1: z.string().nullable(),
  address2: z.string().nullable(),
  company: z.string().nullable(),
  department: z.string().nullable(),
  phone: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
type Address = z.infer<typeof addressSchema>;

// API field → column; the column names of the SQL below come from here only.
const COLUMNS = {
  label: 'label',
  name: 'name',
  nameKana: 'name_kana',
  postalCode: 'postal_code',
  prefecture: 'prefecture',
  city: 'city',
  address1: 'address1',
  address2: 'address2',
  company: 'company',
  department: 'department',
  phone: 'phone',
  note: 'note',
} as const satisfies Record<keyof AddressInput, string>;

type AddressRow = { id: string; customer_id: string; created_at: Date; updated_at: Date } & Record<
  (typeof COLUMNS)[keyof typeof COLUMNS],
  string | null
>;
const SELECT = `SELECT id, customer_id, ${Object.values(COLUMNS).join(', ')}, created_at, updated_at FROM customer_addresses`;

function toAddress(r: AddressRow): Address {
  return {
    id: r.id,
    customerId: r.customer_id,
    label: r.label,
    name: r.name ?? '',
    nameKana: r.name_kana,
    postalCode: r.postal_code,
    prefecture: r.prefecture,
    city: r.city,
    address1: r.address1,
    address2: r.address2,
    company: r.company,
    department: r.department,
    phone: r.phone,
    note: r.note,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** Column values of the given fields; postal code, prefecture and phone checked as for customers. */
function columnsOf(input: AddressInput): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  const issues: FieldIssue[] = [];
  for (const [field, column] of Object.entries(COLUMNS) as [keyof AddressInput, string][]) {
    const v = input[field];
    if (v !== undefined) out[column] = v === null || v.trim() === '' ? null : v.trim();
  }
  if (out.postal_code) {
    out.postal_code = normalizePostalCode(out.postal_code);
    if (!out.postal_code)
      issues.push({ path: 'postalCode', code: 'invalid_postal_code', key: 'customers.invalid_postal_code' });
  }
  if (out.prefecture) {
    out.prefecture = canonicalPrefecture(out.prefecture);
    if (!out.prefecture)
      issues.push({ path: 'prefecture', code: 'invalid_prefecture', key: 'customers.invalid_prefecture' });
  }
  if ('phone' in out) {
    const n = out.phone ? normalizePhone(out.phone) : null;
    if (out.phone && !n) issues.push({ path: 'phone', code: 'invalid_phone', key: 'customers.invalid_phone' });
    out.phone_e164 = n?.e164 ?? null;
  }
  if (issues.length > 0) throw validationFailed(issues);
  return out;
}

async function customerExists(tx: TenantTx, customerId: string): Promise<void> {
  const rows = await tx.query('SELECT 1 FROM customers WHERE tenant_id = $1 AND id = $2', [tx.tenantId, customerId]);
  if (rows.length === 0) throw AppError.notFound('object.customer');
}

export async function listAddresses(db: Database, ctx: Pick<Ctx, 'tenantId'>, customerId: string) {
  return db.withTenant(ctx.tenantId, async (tx) => {
    await customerExists(tx, customerId);
    const rows = await tx.query<AddressRow>(
      `${SELECT} WHERE tenant_id = $1 AND customer_id = $2 ORDER BY created_at, id LIMIT 500`,
      [tx.tenantId, customerId],
    );
    return { items: rows.map(toAddress) };
  });
}

export async function createAddress(
  db: Database,
  ctx: Ctx,
  customerId: string,
  input: AddressInput & { name: string },
) {
  const columns = columnsOf(input);
  return db.withTenant(ctx.tenantId, async (tx) => {
    await customerExists(tx, customerId);
    const names = Object.keys(columns);
    const [row] = await tx.query<AddressRow>(
      `INSERT INTO customer_addresses (tenant_id, customer_id, ${names.join(', ')})
       VALUES ($1, $2, ${names.map((_, i) => `$${i + 3}`).join(', ')})
       RETURNING id, customer_id, ${Object.values(COLUMNS).join(', ')}, created_at, updated_at`,
      [tx.tenantId, customerId, ...Object.values(columns)],
    );
    if (!row) throw new Error('insert customer_addresses returned nothing');
    await audit(tx, ctx.actor, {
      action: 'customer.address.create',
      objectType: 'customer',
      objectId: customerId,
      detail: { addressId: row.id },
    });
    return toAddress(row);
  });
}

export async function updateAddress(db: Database, ctx: Ctx, customerId: string, id: string, input: AddressInput) {
  const columns = columnsOf(input);
  return db.withTenant(ctx.tenantId, async (tx) => {
    const names = Object.keys(columns);
    const sets = [...names.map((c, i) => `${c} = $${i + 4}`), 'updated_at = now()'];
    const [row] = await tx.query<AddressRow>(
      `UPDATE customer_addresses SET ${sets.join(', ')} WHERE tenant_id = $1 AND customer_id = $2 AND id = $3
       RETURNING id, customer_id, ${Object.values(COLUMNS).join(', ')}, created_at, updated_at`,
      [tx.tenantId, customerId, id, ...Object.values(columns)],
    );
    if (!row) throw AppError.notFound('object.customer_address');
    await audit(tx, ctx.actor, {
      action: 'customer.address.update',
      objectType: 'customer',
      objectId: customerId,
      detail: { addressId: id, fields: Object.keys(input) },
    });
    return toAddress(row);
  });
}

export async function deleteAddress(db: Database, ctx: Ctx, customerId: string, id: string): Promise<void> {
  await db.withTenant(ctx.tenantId, async (tx) => {
    const rows = await tx.query(
      'DELETE FROM customer_addresses WHERE tenant_id = $1 AND customer_id = $2 AND id = $3 RETURNING id',
      [tx.tenantId, customerId, id],
    );
    if (rows.length === 0) throw AppError.notFound('object.customer_address');
    await audit(tx, ctx.actor, {
      action: 'customer.address.delete',
      objectType: 'customer',
      objectId: customerId,
      detail: { addressId: id },
    });
  });
}
