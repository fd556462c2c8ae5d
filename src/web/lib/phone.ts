import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

/** 03-1234-5678 (national format with hyphens) for a Japanese number, +1 212… for one abroad. */
export function formatPhone(e164OrTyped: string | null | undefined): string {
  if (!e164OrTyped) return '';
  const parsed = parsePhoneNumberFromString(e164OrTyped.normalize('NFKC'), 'JP');
  if (!parsed) return e164OrTyped;
  return parsed.country === 'JP' || parsed.countryCallingCode === '81'
    ? parsed.formatNational()
    : parsed.formatInternational();
}
