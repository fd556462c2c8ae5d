// The checks a customer passes beyond its JSON shape (phones, postal code, prefecture, dates),
// shared by POST, PATCH and each row of a CSV import so that all three refuse the same things.
import type { z } from 'zod';
import { canonicalPrefecture, normalizePostalCode } from '../../../shared/japanese/address.js';
import { normalizeName } from '../../../shared/japanese/name.js';
import { normalizePhone } from '../../../shared/japanese/phone.js';
import { issueMessage } from '../../platform/http/problems.js';
import type { MessageKey, MessageParams } from '../../platform/i18n/messages.js';
import type { CustomerInput, Gender, PhoneKind } from './customers.schema.js';

export type FieldIssue = { path: string; code: string; key: MessageKey; params?: MessageParams };
export type PhoneValue = { number: string; e164: string; national: string; kind: PhoneKind };

/** Column values for the fields that were given; a field left out is absent here too. */
export type CustomerValues = {
  name?: string;
  name_kana?: string | null;
  family_name?: string | null;
  given_name?: string | null;
  family_name_kana?: string | null;
  given_name_kana?: string | null;
  phones?: PhoneValue[];
  emails?: string[];
  postal_code?: string | null;
  prefecture?: string | null;
  city?: string | null;
  address1?: string | null;
  address2?: string | null;
  company?: string | null;
  department?: string | null;
  birth_date?: string | null;
  gender?: Gender | null;
  dm_opt_in?: boolean;
  mail_opt_in?: boolean;
  staff_id?: string | null;
  ad_medium?: string | null;
  tags?: string[];
  note?: string | null;
  alert?: string | null;
};

/** Free-text fields and their columns: stored as typed, an empty string is no value. */
const TEXT_COLUMNS = {
  nameKana: 'name_kana',
  familyName: 'family_name',
  givenName: 'given_name',
  familyNameKana: 'family_name_kana',
  givenNameKana: 'given_name_kana',
  city: 'city',
  address1: 'address1',
  address2: 'address2',
  company: 'company',
  department: 'department',
  adMedium: 'ad_medium',
  note: 'note',
  alert: 'alert',
} as const satisfies Partial<Record<keyof CustomerInput, keyof CustomerValues>>;

const FIRST_BIRTH_DATE = '1900-01-01';

function blankToNull(v: string | null | undefined): string | null {
  return v === undefined || v === null || v.trim() === '' ? null : v.trim();
}

function kindOf(type: 'mobile' | 'fixed' | 'other'): PhoneKind {
  return type === 'mobile' ? 'mobile' : type === 'fixed' ? 'home' : 'other';
}

/**
 * Checks and converts a create or patch input (already of the right JSON shape) into column
 * values. `today` (Asia/Tokyo) bounds birth dates.
 */
export function prepareCustomer(input: CustomerInput, today: string): { values: CustomerValues; issues: FieldIssue[] } {
  const values: CustomerValues = {};
  const issues: FieldIssue[] = [];
  if (input.name !== undefined) values.name = input.name.trim();
  for (const [field, column] of Object.entries(TEXT_COLUMNS) as [
    keyof typeof TEXT_COLUMNS,
    (typeof TEXT_COLUMNS)[keyof typeof TEXT_COLUMNS],
  ][]) {
    if (input[field] !== undefined) values[column] = blankToNull(input[field]);
  }
  if (input.phones !== undefined) {
    const seen = new Set<string>();
    values.phones = [];
    input.phones.forEach((p, i) => {
      const n = normalizePhone(p.number);
      if (!n) {
        issues.push({ path: `phones.${i}.number`, code: 'invalid_phone', key: 'customers.invalid_phone' });
        return;
      }
      if (seen.has(n.e164)) return;
      seen.add(n.e164);
      values.phones?.push({
        number: p.number.trim(),
        e164: n.e164,
        national: n.national,
        kind: p.kind ?? kindOf(n.type),
      });
    });
  }
  if (input.emails !== undefined) {
    const seen = new Set<string>();
    values.emails = input.emails
      .map((e) => e.trim())
      .filter((e) => !seen.has(e.toLowerCase()) && seen.add(e.toLowerCase()));
  }
  if (input.postalCode !== undefined) {
    const given = blankToNull(input.postalCode);
    values.postal_code = given === null ? null : normalizePostalCode(given);
    if (given !== null && values.postal_code === null) {
      issues.push({ path: 'postalCode', code: 'invalid_postal_code', key: 'customers.invalid_postal_code' });
    }
  }
  if (input.prefecture !== undefined) {
    const given = blankToNull(input.prefecture);
    values.prefecture = given === null ? null : canonicalPrefecture(given);
    if (given !== null && values.prefecture === null) {
      issues.push({ path: 'prefecture', code: 'invalid_prefecture', key: 'customers.invalid_prefecture' });
    }
  }
  if (input.birthDate !== undefined) {
    values.birth_date = input.birthDate;
    if (input.birthDate && (input.birthDate < FIRST_BIRTH_DATE || input.birthDate > today)) {
      issues.push({
        path: 'birthDate',
        code: 'invalid_birth_date',
        key: 'customers.invalid_birth_date',
        params: { today },
      });
    }
  }
  if (input.gender !== undefined) values.gender = input.gender;
  if (input.dmOptIn !== undefined) values.dm_opt_in = input.dmOptIn;
  if (input.mailOptIn !== undefined) values.mail_opt_in = input.mailOptIn;
  if (input.staffId !== undefined) values.staff_id = input.staffId;
  if (input.tags !== undefined) values.tags = [...new Set(input.tags.map((t) => t.trim()))];
  return { values, issues };
}

/** The searched form of a customer's names: name and readings, each folded, space-separated. */
export function nameSearchOf(v: {
  name: string;
  name_kana: string | null;
  family_name_kana: string | null;
  given_name_kana: string | null;
}): string {
  const parts = [v.name, v.name_kana ?? '', `${v.family_name_kana ?? ''}${v.given_name_kana ?? ''}`].map(normalizeName);
  return [...new Set(parts.filter((p) => p !== ''))].join(' ');
}

/** zod's issues as field issues with the same message keys the HTTP layer uses. */
export function zodIssues(error: z.ZodError, input: unknown): FieldIssue[] {
  return error.issues.map((issue) => {
    let given: unknown = input;
    for (const k of issue.path)
      given = given !== null && typeof given === 'object' ? (given as Record<PropertyKey, unknown>)[k] : undefined;
    const { path, code, ...params } = issue;
    const { key, params: keyParams } = issueMessage(
      { instancePath: `/${path.join('/')}`, keyword: code, params },
      given,
    );
    return { path: path.join('.'), code, key, params: keyParams };
  });
}
