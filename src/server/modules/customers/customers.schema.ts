// The customer as the API shows it (CONTRACTS.md "Customers") and as the database holds it.
import { z } from 'zod';

export const PHONE_KINDS = ['home', 'mobile', 'work', 'fax', 'other'] as const;
export const GENDERS = ['female', 'male', 'other', 'unknown'] as const;
export type PhoneKind = (typeof PHONE_KINDS)[number];
export type Gender = (typeof GENDERS)[number];

const text = (max: number) => z.string().trim().max(max);
const optionalText = (max: number) => text(max).nullish();

export const phoneInputSchema = z.strictObject({
  number: z.string().trim().min(1).max(40),
  kind: z.enum(PHONE_KINDS).optional(),
});

const fields = {
  name: z.string().trim().min(1).max(100),
  nameKana: optionalText(100),
  familyName: optionalText(50),
  givenName: optionalText(50),
  familyNameKana: optionalText(50),
  givenNameKana: optionalText(50),
  phones: z.array(phoneInputSchema).max(10).optional(),
  emails: z.array(z.email().max(254)).max(10).optional(),
  postalCode: optionalText(10),
  prefecture: optionalText(10),
  city: optionalText(100),
  address1: optionalText(200),
  address2: optionalText(200),
  company: optionalText(100),
  department: optionalText(100),
  birthDate: z.iso.date().nullish(),
  gender: z.enum(GENDERS).nullish(),
  dmOptIn: z.boolean().optional(),
  mailOptIn: z.boolean().optional(),
  staffId: z.uuid().nullish(),
  adMedium: optionalText(100),
  tags: z.array(z.string().trim().min(1).max(30)).max(20).optional(),
  note: optionalText(4000),
  alert: optionalText(500),
};

/** POST /customers. Unknown fields are refused rather than dropped (a typo would lose data). */
export const createCustomerSchema = z.strictObject(fields);
/** PATCH /customers/{id}: any of the fields; null clears an optional one; phones/emails/tags replace the list. */
export const updateCustomerSchema = z.strictObject(fields).partial();
export type CustomerInput = z.infer<typeof updateCustomerSchema>;

export const phoneSchema = z.object({
  number: z.string(),
  e164: z.string(),
  national: z.string(),
  kind: z.enum(PHONE_KINDS),
});

export const customerSchema = z.object({
  id: z.uuid(),
  code: z.string(),
  name: z.string(),
  nameKana: z.string().nullable(),
  familyName: z.string().nullable(),
  givenName: z.string().nullable(),
  familyNameKana: z.string().nullable(),
  givenNameKana: z.string().nullable(),
  phones: z.array(phoneSchema),
  emails: z.array(z.string()),
  postalCode: z.string().nullable(),
  prefecture: z.string().nullable(),
  city: z.string().nullable(),
  address1: z.string().nullable(),
  address2: z.string().nullable(),
  company: z.string().nullable(),
  department: z.string().nullable(),
  birthDate: z.string().nullable(),
  gender: z.enum(GENDERS).nullable(),
  dmOptIn: z.boolean(),
  mailOptIn: z.boolean(),
  staffId: z.string().nullable(),
  adMedium: z.string().nullable(),
  tags: z.array(z.string()),
  note: z.string().nullable(),
  alert: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Customer = z.infer<typeof customerSchema>;

export const customerPageSchema = z.object({ items: z.array(customerSchema), nextCursor: z.string().nullable() });

export type CustomerRow = {
  id: string;
  seq: number;
  code: string;
  name: string;
  name_kana: string | null;
  family_name: string | null;
  given_name: string | null;
  family_name_kana: string | null;
  given_name_kana: string | null;
  phones: { number: string; e164: string; national: string; kind: PhoneKind }[];
  emails: string[];
  postal_code: string | null;
  prefecture: string | null;
  city: string | null;
  address1: string | null;
  address2: string | null;
  company: string | null;
  department: string | null;
  birth_date: string | null;
  gender: Gender | null;
  dm_opt_in: boolean;
  mail_opt_in: boolean;
  staff_id: string | null;
  ad_medium: string | null;
  tags: string[];
  note: string | null;
  alert: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
};

/** The columns of CustomerRow, for `FROM customers c`: phones come along in position order. */
export const CUSTOMER_COLUMNS = `c.id, c.seq, c.code, c.name, c.name_kana, c.family_name, c.given_name, c.family_name_kana,
  c.given_name_kana, c.emails, c.postal_code, c.prefecture, c.city, c.address1, c.address2, c.company, c.department,
  c.birth_date, c.gender, c.dm_opt_in, c.mail_opt_in, c.staff_id, c.ad_medium, c.tags, c.note, c.alert, c.version,
  c.created_at, c.updated_at,
  coalesce((SELECT json_agg(json_build_object('number', p.number, 'e164', p.e164, 'national', p.national, 'kind', p.kind)
                            ORDER BY p.position)
              FROM customer_phones p WHERE p.tenant_id = c.tenant_id AND p.customer_id = c.id), '[]'::json) AS phones`;

export function toCustomer(r: CustomerRow): Customer {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    nameKana: r.name_kana,
    familyName: r.family_name,
    givenName: r.given_name,
    familyNameKana: r.family_name_kana,
    givenNameKana: r.given_name_kana,
    phones: r.phones.map((p) => ({ number: p.number, e164: p.e164, national: p.national, kind: p.kind })),
    emails: r.emails,
    postalCode: r.postal_code,
    prefecture: r.prefecture,
    city: r.city,
    address1: r.address1,
    address2: r.address2,
    company: r.company,
    department: r.department,
    birthDate: r.birth_date,
    gender: r.gender,
    dmOptIn: r.dm_opt_in,
    mailOptIn: r.mail_opt_in,
    staffId: r.staff_id,
    adMedium: r.ad_medium,
    tags: r.tags,
    note: r.note,
    alert: r.alert,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** The code the database gives a customer number (the generated column `code`). */
export function codeOf(seq: number): string {
  return `C${String(seq).padStart(6, '0')}`;
}
