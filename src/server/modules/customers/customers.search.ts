// What `GET /customers?q=` looks for: the query is classified once, then one indexed statement runs.
import { normalizeName, queryGrams } from '../../../shared/japanese/name.js';
import { normalizePhone, phoneDigits, reversedDigits } from '../../../shared/japanese/phone.js';

export type SearchPlan =
  | { kind: 'all' }
  | { kind: 'none' }
  | { kind: 'email'; email: string }
  | { kind: 'code'; seq: number }
  /** Any of: the number exactly (E.164), its trailing digits (reversed, a prefix), a customer number. */
  | { kind: 'phone'; e164: string | null; trailing: string | null; seq: number | null }
  | { kind: 'name'; text: string; grams: string[] };

const PHONE_LIKE = /^[+\d\s\-‐‑–—―−ー().]+$/;
const CODE = /^c(\d{1,12})$/i;
const MIN_TRAILING_DIGITS = 4;

/**
 * Classifies a query: an e-mail address (has @), a customer code (C000123), something written
 * with phone characters only (a number in any format, its trailing 4+ digits, or a customer
 * number), or else a name or kana substring.
 */
export function planSearch(q: string | undefined): SearchPlan {
  const text = (q ?? '').normalize('NFKC').trim();
  if (text === '') return { kind: 'all' };
  if (/^[^\s@]+@[^\s@]+$/.test(text)) return { kind: 'email', email: text.toLowerCase() };
  const code = CODE.exec(text);
  if (code?.[1]) return { kind: 'code', seq: Number(code[1]) };
  if (PHONE_LIKE.test(text)) {
    const digits = phoneDigits(text);
    const phone = normalizePhone(text);
    const trailing = digits.length >= MIN_TRAILING_DIGITS ? reversedDigits(digits) : null;
    // Bare digits may also be a customer number typed without its C.
    const seq = /^\d{1,12}$/.test(text) ? Number(text) : null;
    if (!phone && !trailing && (seq === null || seq === 0)) return { kind: 'none' };
    return { kind: 'phone', e164: phone?.e164 ?? null, trailing, seq: seq || null };
  }
  const name = normalizeName(text);
  if (name === '') return { kind: 'none' };
  return { kind: 'name', text: name, grams: queryGrams(name) };
}
