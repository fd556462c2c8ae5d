import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KANJI_VARIANTS } from './kanji-variants.js';
import { normalizeName, queryGrams, storedGrams } from './name.js';

const HIRAGANA = Array.from(
  'あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをんがぎぐげござじずぜぞだぢづでどばびぶべぼぱぴぷぺぽ',
);
const KANJI = Array.from('山田太郎花子佐藤鈴木高橋渡辺伊藤中村小林加藤吉田林森');
// Half-width katakana spellings of some hiragana (voiced ones as two code points, as typed).
const HALF_WIDTH: [string, string][] = [
  ['あ', 'ｱ'],
  ['か', 'ｶ'],
  ['が', 'ｶﾞ'],
  ['さ', 'ｻ'],
  ['た', 'ﾀ'],
  ['だ', 'ﾀﾞ'],
  ['な', 'ﾅ'],
  ['は', 'ﾊ'],
  ['ぱ', 'ﾊﾟ'],
  ['ま', 'ﾏ'],
  ['や', 'ﾔ'],
  ['ら', 'ﾗ'],
  ['わ', 'ﾜ'],
  ['ん', 'ﾝ'],
];

const toKatakana = (s: string) => s.replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60));
const toFullWidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
const hiraganaString = fc.array(fc.constantFrom(...HIRAGANA), { minLength: 1, maxLength: 12 }).map((a) => a.join(''));
const nameString = fc
  .array(fc.constantFrom(...HIRAGANA, ...KANJI, ...'ABCxyz019 　'), { maxLength: 16 })
  .map((a) => a.join(''));

describe('normalizeName', () => {
  it.each([
    ['髙橋 太郎', '高橋太郎'],
    ['山﨑', '山崎'],
    ['山嵜', '山崎'],
    ['齋藤', '斎藤'],
    ['齊藤', '斎藤'],
    ['渡邊', '渡辺'],
    ['渡邉', '渡辺'],
    ['澤田', '沢田'],
    ['長濱', '長浜'],
    ['櫻井', '桜井'],
    ['廣瀬', '広瀬'],
    ['國分', '国分'],
    ['德永', '徳永'],
    ['惠子', '恵子'],
    ['𠮷田', '吉田'],
    ['ﾔﾏﾀﾞ ﾀﾛｳ', 'やまだたろう'],
    ['ヤマダ　タロウ', 'やまだたろう'],
    ['ｶﾞｯｺｳ', 'がつこう'],
    ['キョウコ', 'きようこ'],
    ['ユーコ', 'ゆうこ'],
    ['ケーコ', 'けいこ'],
    ['オーノ', 'おうの'],
    ['おおの', 'おうの'],
    ['佐々木', '佐佐木'],
    ['いすゞ', 'いすず'],
    ['か゛', 'が'],
    ['ＹＡＭＡＤＡ Taro', 'yamadataro'],
    ['ジャン＝ピエール・ルー', 'じやんぴえいるるう'],
    ['Jean-Pierre', 'jeanpierre'],
    ['  ', ''],
  ])('%s → %s', (input, expected) => {
    expect(normalizeName(input)).toBe(expected);
  });

  it('folds only to forms that are not variants themselves, and NFKC leaves every variant alone', () => {
    for (const [from, to] of KANJI_VARIANTS) {
      expect(KANJI_VARIANTS.has(to), `${from} → ${to}`).toBe(false);
      expect(from.normalize('NFKC'), from).toBe(from);
    }
  });

  it('is idempotent on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 24 }), (s) => {
        const once = normalizeName(s);
        expect(normalizeName(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(nameString, (s) => {
        const once = normalizeName(s);
        expect(normalizeName(once)).toBe(once);
      }),
    );
  });

  it('does not see hiragana/katakana, width, spaces or case', () => {
    fc.assert(
      fc.property(hiraganaString, (s) => {
        expect(normalizeName(toKatakana(s))).toBe(normalizeName(s));
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...HALF_WIDTH), { minLength: 1, maxLength: 10 }), (pairs) => {
        const hira = pairs.map(([h]) => h).join('');
        const half = pairs.map(([, k]) => k).join('');
        expect(normalizeName(half)).toBe(normalizeName(hira));
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'abcXYZ0189.'), maxLength: 12 }), (s) => {
        expect(normalizeName(toFullWidth(s))).toBe(normalizeName(s));
        expect(normalizeName(s.toUpperCase())).toBe(normalizeName(s.toLowerCase()));
      }),
    );
    fc.assert(
      fc.property(
        nameString,
        fc.array(fc.nat(), { maxLength: 4 }),
        fc.constantFrom(' ', '　', '\t'),
        (s, at, space) => {
          const chars = Array.from(s);
          for (const i of at) chars.splice(i % (chars.length + 1), 0, space);
          expect(normalizeName(chars.join(''))).toBe(normalizeName(s));
        },
      ),
    );
  });

  it('does not see variant kanji', () => {
    const variants = [...KANJI_VARIANTS.keys()];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...variants, ...KANJI), { minLength: 1, maxLength: 6 }), (chars) => {
        const everyday = chars.map((c) => KANJI_VARIANTS.get(c) ?? c).join('');
        expect(normalizeName(chars.join(''))).toBe(normalizeName(everyday));
      }),
    );
  });

  it('leaves no space, katakana or upper-case latin', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), nameString, (a, b) => {
        const out = normalizeName(a + b);
        expect(out).not.toMatch(/[\s\u30a1-\u30f6A-Z]/);
      }),
    );
  });
});

describe('grams', () => {
  it('a one-character query is its own gram; longer ones are their bigrams', () => {
    expect(queryGrams('林')).toEqual(['林']);
    expect(queryGrams('太郎')).toEqual(['太郎']);
    expect(queryGrams('やまだや')).toEqual(['やま', 'まだ', 'だや']);
    expect(queryGrams('')).toEqual([]);
  });

  it("every substring's query grams are among the stored grams of the whole", () => {
    fc.assert(
      fc.property(nameString, fc.nat(), fc.nat(), (s, a, b) => {
        const whole = normalizeName(s);
        const chars = Array.from(whole);
        const from = chars.length ? a % chars.length : 0;
        const part = chars.slice(from, from + 1 + (b % 5)).join('');
        const stored = new Set(storedGrams(whole));
        for (const g of queryGrams(part)) expect(stored.has(g), `${g} of ${part} in ${whole}`).toBe(true);
      }),
    );
  });
});
