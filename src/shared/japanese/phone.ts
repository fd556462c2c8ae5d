// Phone numbers as people type them in Japan (DESIGN.md §6): ０３－１２３４－５６７８, 03 1234 5678,
// +81 3-1234-5678, 81312345678, 312345678 … all name one number. It is kept as typed, plus its
// E.164 form and its national digits, and found by either or by its trailing digits.
import { type PhoneNumber, parsePhoneNumberFromString } from 'libphonenumber-js/max';

export type NormalizedPhone = {
  /** '+81312345678' */
  e164: string;
  /** The digits as dialled at home: '0312345678' in Japan ('2125551234' for a US number). */
  national: string;
  /** What the number is, as far as the numbering plan tells. */
  type: 'mobile' | 'fixed' | 'other';
};

const PHONE_CHARS = /^[+\d\s\-‐‑–—―−ー().]*$/;

/** The ASCII digits of a string after NFKC (full-width digits count): '０３－１２' → '0312'. */
export function phoneDigits(input: string): string {
  return input.normalize('NFKC').replace(/\D/g, '');
}

function accept(p: PhoneNumber | undefined): NormalizedPhone | null {
  if (!p?.isValid()) return null;
  const type = p.getType();
  return {
    e164: p.number,
    // Japan's trunk prefix is 0 for every number; formatting (the slow part) only for abroad.
    national: p.country === 'JP' ? `0${p.nationalNumber}` : p.formatNational().replace(/\D/g, ''),
    type: type === 'MOBILE' ? 'mobile' : type === 'FIXED_LINE' || type === 'FIXED_LINE_OR_MOBILE' ? 'fixed' : 'other',
  };
}

/**
 * A number in any usual format, read as Japanese unless it says otherwise (+, or 81 without a
 * leading 0), or null when it is not a valid number: letters, too short or long, an unused range.
 */
export function normalizePhone(input: string): NormalizedPhone | null {
  const text = input.normalize('NFKC').trim();
  if (text === '' || text.length > 40 || !PHONE_CHARS.test(text)) return null;
  const digits = text.replace(/\D/g, '');
  if (digits.length < 5 || digits.length > 15) return null;
  if (text.startsWith('+')) return accept(parsePhoneNumberFromString(`+${digits}`));
  // International call prefixes dialled from Japan: 010 (and carrier codes as 00XX… are not numbers).
  if (digits.startsWith('010')) {
    const abroad = accept(parsePhoneNumberFromString(`+${digits.slice(3)}`));
    if (abroad) return abroad;
  }
  // libphonenumber reads 81… as the country code and a missing trunk 0 as national.
  return accept(parsePhoneNumberFromString(digits, 'JP'));
}

/** The national digits reversed: the key of the trailing-digits index ('…5678' → prefix '8765'). */
export function reversedDigits(national: string): string {
  return Array.from(national).reverse().join('');
}
