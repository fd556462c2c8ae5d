import type { TFunction } from 'i18next';
import { z } from 'zod';
import { ApiError, isApiError } from '../../api/client';
import { type Customer, type CustomerInput, GENDERS, PHONE_KINDS } from '../../api/customers';
import { parseDateInput } from '../../lib/dates';

/** Every field of the customer form, in the paper form's order (seed 004 顧客詳細). */
export const CUSTOMER_FIELDS = [
  'phones',
  'familyName',
  'givenName',
  'familyNameKana',
  'givenNameKana',
  'postalCode',
  'prefecture',
  'city',
  'address1',
  'address2',
  'company',
  'department',
  'birthDate',
  'gender',
  'dmOptIn',
  'mailOptIn',
  'emails',
  'staffId',
  'adMedium',
  'tags',
  'alert',
  'note',
] as const;

export function customerSchema(t: TFunction) {
  return z.object({
    phones: z.array(z.object({ number: z.string().trim().max(40), kind: z.enum(PHONE_KINDS) })),
    familyName: z.string().trim().min(1, t('validation.required')).max(50),
    givenName: z.string().trim().max(50),
    familyNameKana: z.string().trim().max(50),
    givenNameKana: z.string().trim().max(50),
    postalCode: z.string().trim().max(10),
    prefecture: z.string().max(10),
    city: z.string().trim().max(100),
    address1: z.string().trim().max(200),
    address2: z.string().trim().max(200),
    company: z.string().trim().max(100),
    department: z.string().trim().max(100),
    birthDate: z
      .string()
      .trim()
      .refine((v) => v === '' || parseDateInput(v) !== null, t('customerForm.birthInvalid')),
    gender: z.union([z.enum(GENDERS), z.literal('')]),
    dmOptIn: z.boolean(),
    mailOptIn: z.boolean(),
    emails: z.array(z.email(t('validation.email')).max(254)).max(10),
    staffId: z.string(),
    adMedium: z.string().trim().max(100),
    tags: z.array(z.string().trim().min(1).max(30)).max(20),
    alert: z.string().trim().max(500),
    note: z.string().trim().max(4000),
  });
}
export type CustomerValues = z.infer<ReturnType<typeof customerSchema>>;

/** 070/080/090 (and 060) numbers are mobiles; anything else is taken as a home line. */
export function guessPhoneKind(number: string): 'home' | 'mobile' {
  const digits = number.normalize('NFKC').replace(/\D/g, '').replace(/^81/, '0');
  return /^0[6789]0/.test(digits) ? 'mobile' : 'home';
}

export function emptyCustomer(phone = ''): CustomerValues {
  return {
    phones: [{ number: phone, kind: guessPhoneKind(phone) }],
    familyName: '',
    givenName: '',
    familyNameKana: '',
    givenNameKana: '',
    postalCode: '',
    prefecture: '',
    city: '',
    address1: '',
    address2: '',
    company: '',
    department: '',
    birthDate: '',
    gender: '',
    dmOptIn: false,
    mailOptIn: false,
    emails: [],
    staffId: '',
    adMedium: '',
    tags: [],
    alert: '',
    note: '',
  };
}

/** "佐賀 太郎" → ["佐賀", "太郎"] when the parts were never stored apart. */
function split(whole: string | null, family: string | null, given: string | null): [string, string] {
  if (family !== null || given !== null) return [family ?? '', given ?? ''];
  const text = (whole ?? '').trim();
  const at = text.search(/[\s\u3000]/);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1).trim()];
}

export function customerToValues(c: Customer): CustomerValues {
  const [familyName, givenName] = split(c.name, c.familyName, c.givenName);
  const [familyNameKana, givenNameKana] = split(c.nameKana, c.familyNameKana, c.givenNameKana);
  return {
    phones: c.phones.length > 0 ? c.phones.map((p) => ({ number: p.number, kind: p.kind })) : emptyCustomer().phones,
    familyName,
    givenName,
    familyNameKana,
    givenNameKana,
    postalCode: c.postalCode ?? '',
    prefecture: c.prefecture ?? '',
    city: c.city ?? '',
    address1: c.address1 ?? '',
    address2: c.address2 ?? '',
    company: c.company ?? '',
    department: c.department ?? '',
    birthDate: c.birthDate ?? '',
    gender: c.gender ?? '',
    dmOptIn: c.dmOptIn,
    mailOptIn: c.mailOptIn,
    emails: c.emails,
    staffId: c.staffId ?? '',
    adMedium: c.adMedium ?? '',
    tags: c.tags,
    alert: c.alert ?? '',
    note: c.note ?? '',
  };
}

const orNull = (value: string) => (value.trim() === '' ? null : value.trim());
const joined = (a: string, b: string) => [a.trim(), b.trim()].filter(Boolean).join(' ');

/** The body of POST /customers or PATCH /customers/{id}: empty fields become null (cleared). */
export function valuesToInput(v: CustomerValues): CustomerInput & Record<string, unknown> {
  return {
    name: joined(v.familyName, v.givenName),
    familyName: orNull(v.familyName),
    givenName: orNull(v.givenName),
    nameKana: orNull(joined(v.familyNameKana, v.givenNameKana)),
    familyNameKana: orNull(v.familyNameKana),
    givenNameKana: orNull(v.givenNameKana),
    phones: v.phones.filter((p) => p.number.trim() !== '').map((p) => ({ number: p.number.trim(), kind: p.kind })),
    emails: v.emails,
    postalCode: orNull(v.postalCode),
    prefecture: orNull(v.prefecture),
    city: orNull(v.city),
    address1: orNull(v.address1),
    address2: orNull(v.address2),
    company: orNull(v.company),
    department: orNull(v.department),
    birthDate: v.birthDate.trim() === '' ? null : parseDateInput(v.birthDate),
    gender: v.gender === '' ? null : v.gender,
    dmOptIn: v.dmOptIn,
    mailOptIn: v.mailOptIn,
    staffId: orNull(v.staffId),
    adMedium: orNull(v.adMedium),
    tags: v.tags,
    alert: orNull(v.alert),
    note: orNull(v.note),
  };
}

/**
 * The phones sent are the non-empty rows: a server error on phones.N must go to the N-th
 * non-empty row of the form. Names and kana go to the family-name fields.
 */
export function remapCustomerErrors(error: unknown, values: CustomerValues): unknown {
  if (!isApiError(error) || error.errors.length === 0) return error;
  const rows = values.phones.flatMap((p, i) => (p.number.trim() === '' ? [] : [i]));
  const errors = error.errors.map((e) => {
    let path = e.path.replace(/^\/?body[./]/, '').replace(/\//g, '.');
    path = path.replace(/^name$/, 'familyName').replace(/^(nameKana|familyNameKana)$/, 'familyNameKana');
    path = path.replace(/^phones\.(\d+)/, (_m, n: string) => `phones.${rows[Number(n)] ?? n}`);
    path = path.replace(/^(phones\.\d+)$/, '$1.number');
    path = path.replace(/^emails\.\d+$/, 'emails');
    return { ...e, path };
  });
  return new ApiError({
    status: error.status,
    code: error.code,
    title: error.title,
    detail: error.detail,
    requestId: error.requestId,
    errors,
  });
}
