import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalPrefecture, normalizePostalCode } from './address.js';
import { normalizePhone, phoneDigits, reversedDigits } from './phone.js';

const TOKYO = { e164: '+81312345678', national: '0312345678', type: 'fixed' };

describe('normalizePhone', () => {
  it.each([
    '０３－１２３４－５６７８',
    '03 1234 5678',
    '+81 3-1234-5678',
    '+81 (0)3 1234 5678',
    '0312345678',
    '81312345678',
    '312345678',
    '(03)1234-5678',
    '０３（１２３４）５６７８',
    '010 81 3 1234 5678',
    ' 03-1234-5678 ',
  ])('%s is the Tokyo number', (input) => {
    expect(normalizePhone(input)).toEqual(TOKYO);
  });

  it('knows mobiles, toll-free numbers and numbers abroad', () => {
    expect(normalizePhone('090-1234-5678')).toEqual({ e164: '+819012345678', national: '09012345678', type: 'mobile' });
    expect(normalizePhone('0120-123-456')).toMatchObject({
      e164: '+81120123456',
      national: '0120123456',
      type: 'other',
    });
    expect(normalizePhone('0952-26-8311')).toMatchObject({ e164: '+81952268311', type: 'fixed' });
    expect(normalizePhone('+1 212 555 1234')).toMatchObject({ e164: '+12125551234', national: '2125551234' });
  });

  it.each(['', 'abc', '12345', '03-1234', '03-1234-5678 内線12', '0312345678901234567', '+0 12', 'tel:0312345678'])(
    '%j is not a number',
    (input) => {
      expect(normalizePhone(input)).toBeNull();
    },
  );

  it('reads every usual way of writing a valid Japanese number as the same number', () => {
    const digit = fc.constantFrom(...'0123456789');
    // Ranges that are valid whatever the subscriber digits: mobiles 080, Osaka 06, Saga 0952, free dial 0120.
    const national = fc.oneof(
      fc.array(digit, { minLength: 8, maxLength: 8 }).map((d) => `080${d.join('')}`),
      fc.array(digit, { minLength: 8, maxLength: 8 }).map((d) => `06${d.join('')}`),
      fc.array(digit, { minLength: 6, maxLength: 6 }).map((d) => `0952${d.join('')}`),
      fc.array(digit, { minLength: 6, maxLength: 6 }).map((d) => `0120${d.join('')}`),
    );
    const fullWidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    fc.assert(
      fc.property(national, fc.nat(), fc.constantFrom('-', ' ', '－', '‐', ''), (n, cut, sep) => {
        const base = normalizePhone(n);
        expect(base, n).not.toBeNull();
        expect(base?.national).toBe(n);
        expect(base?.e164).toBe(`+81${n.slice(1)}`);
        const at = 2 + (cut % (n.length - 3));
        const spaced = `${n.slice(0, at)}${sep}${n.slice(at)}`;
        for (const written of [
          spaced,
          fullWidth(spaced),
          `+81 ${n.slice(1)}`,
          `81${n.slice(1)}`,
          n.slice(1),
          `+81-${spaced.slice(1)}`,
        ]) {
          expect(normalizePhone(written), written).toEqual(base);
        }
        // E.164 and national forms read back as themselves.
        expect(normalizePhone(base?.e164 ?? '')).toEqual(base);
        expect(normalizePhone(base?.national ?? '')).toEqual(base);
      }),
      { numRuns: 300 },
    );
  });
});

describe('digits', () => {
  it('extracts ASCII digits from any width', () => {
    expect(phoneDigits('０３－１２３４－５６７８')).toBe('0312345678');
    expect(phoneDigits('+81 (3) 1234')).toBe('8131234');
    expect(reversedDigits('0312345678')).toBe('8765432130');
  });

  it('a number ends with its last digits exactly when its reversed digits start with theirs', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 12 }),
        fc.nat(),
        (n, k) => {
          const tail = n.slice(n.length - 1 - (k % n.length));
          expect(reversedDigits(n).startsWith(reversedDigits(tail))).toBe(true);
        },
      ),
    );
  });
});

describe('addresses', () => {
  it('postal codes in any width, with or without hyphen and 〒', () => {
    for (const s of ['1000001', '100-0001', '〒１００－０００１', '１００ ０００１'])
      expect(normalizePostalCode(s)).toBe('100-0001');
    for (const s of ['100001', '100-00011', 'abc-defg', '']) expect(normalizePostalCode(s)).toBeNull();
  });

  it('prefectures by official name or without 都/府/県', () => {
    expect(canonicalPrefecture('東京')).toBe('東京都');
    expect(canonicalPrefecture('大阪府')).toBe('大阪府');
    expect(canonicalPrefecture('佐賀')).toBe('佐賀県');
    expect(canonicalPrefecture('北海道')).toBe('北海道');
    expect(canonicalPrefecture('北海')).toBeNull();
    expect(canonicalPrefecture('東京市')).toBeNull();
  });
});
