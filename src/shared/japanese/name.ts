// The search form of a Japanese name (DESIGN.md §6): what the user typed is stored as typed; this
// form is kept beside it and every query is folded the same way, so that 髙橋 finds 高橋,
// ｻﾄｳ finds さとう and "ユーコ" finds "ユウコ".
import { KANJI_VARIANTS } from './kanji-variants.js';

const KATAKANA_TO_HIRAGANA = 0x60;
const SMALL_TO_LARGE: Record<string, string> = {
  ぁ: 'あ',
  ぃ: 'い',
  ぅ: 'う',
  ぇ: 'え',
  ぉ: 'お',
  っ: 'つ',
  ゃ: 'や',
  ゅ: 'ゆ',
  ょ: 'よ',
  ゎ: 'わ',
  ゕ: 'か',
  ゖ: 'け',
};
// Katakana with no hiragana twin (ヷヸヹヺ): the plain kana, the voicing dropped.
const KATAKANA_ONLY: Record<string, string> = { ヷ: 'わ', ヸ: 'ゐ', ヹ: 'ゑ', ヺ: 'を' };

const ROWS: Record<'a' | 'i' | 'u' | 'e' | 'o', string> = {
  a: 'あかさたなはまやらわがざだばぱ',
  i: 'いきしちにひみりぎじぢびぴゐ',
  u: 'うくすつぬふむゆるぐずづぶぷゔ',
  e: 'えけせてねへめれげぜでべぺゑ',
  o: 'おこそとのほもよろをごぞどぼぽ',
};
const VOWEL = new Map<string, keyof typeof ROWS>(
  (Object.entries(ROWS) as [keyof typeof ROWS, string][]).flatMap(([v, chars]) =>
    Array.from(chars).map((c) => [c, v] as const),
  ),
);
// The sound a long vowel mark (or a lengthening え/お) stands for after each row: えい and おう
// are how long e and o are usually spelt in names (けいこ, ようこ, さとう).
const LONG: Record<keyof typeof ROWS, string> = { a: 'あ', i: 'い', u: 'う', e: 'い', o: 'う' };

const DASHES = new Set(Array.from('-‐‑‒–—―−ｰ'));
// Spaces, middle dots, and punctuation that people type or leave out at will inside names.
const DROPPED = new Set(Array.from('\u00b7\u30fb.,\'’"“”=＝〃()[]{}'));
// Every white-space character (what /\s/ matches), as a set: a look-up per character is the
// hot path of an import of 100,000 rows.
for (let code = 0; code <= 0xffff; code++) {
  const c = String.fromCharCode(code);
  if (/\s/.test(c)) DROPPED.add(c);
}

function isHiragana(c: string): boolean {
  return c >= '\u3041' && c <= '\u3096';
}

/** Folds one code point after NFKC: variants, case, katakana to hiragana, small kana. */
function foldChar(c: string): string {
  const variant = KANJI_VARIANTS.get(c);
  if (variant) return variant;
  const code = c.codePointAt(0) ?? 0;
  if ((code >= 0x30a1 && code <= 0x30f6) || code === 0x30fd || code === 0x30fe) {
    const hira = String.fromCodePoint(code - KATAKANA_TO_HIRAGANA);
    return SMALL_TO_LARGE[hira] ?? hira;
  }
  const only = KATAKANA_ONLY[c];
  if (only) return only;
  return SMALL_TO_LARGE[c] ?? c.toLowerCase();
}

function voiced(c: string): string {
  const composed = `${c}\u3099`.normalize('NFC');
  return Array.from(composed).length === 1 ? composed : c;
}

/**
 * The search form of a name or a kana reading: NFKC (full-width latin and digits, half-width
 * kana), katakana → hiragana, small kana → large, common variant kanji → everyday form, 々 and
 * ゝゞ spelt out, long vowels (ー, or え/お lengthening the e/o row) written as い/う, spaces and
 * name punctuation removed, latin lower-case. Idempotent.
 */
export function normalizeName(input: string): string {
  // One pass is enough for what people type; odd inputs (a combining mark behind a dropped
  // character) can compose anew, so the pass repeats until nothing changes.
  let current = foldOnce(input);
  if (SETTLED.test(current)) return current;
  for (let i = 0; i < 3; i++) {
    const next = foldOnce(current);
    if (next === current) break;
    current = next;
  }
  return current;
}

/** A character as spelt after the one before it: iteration marks, long vowels. */
function spell(c: string, prev: string): string {
  if (c === '々') return prev && !isHiragana(prev) ? prev : '';
  if (c === 'ゝ') return isHiragana(prev) ? prev : '';
  if (c === 'ゞ') return isHiragana(prev) ? voiced(prev) : '';
  const row = VOWEL.get(prev);
  if (c === 'ー' || DASHES.has(c)) return row ? LONG[row] : '';
  if ((row === 'e' && c === 'え') || (row === 'o' && c === 'お')) return LONG[row];
  return c;
}

// Text of these characters only (what names are made of) cannot change in a second pass.
const SETTLED = /^[\u0021-\u007e\u3041-\u3096\u4e00-\u9fff]*$/;

function foldOnce(input: string): string {
  // The spacing voicing marks: NFKC turns ゛ into a space and a combining mark that then
  // cannot compose with the kana before it.
  const nfkc = input
    .replace(/\u309b/g, '\u3099')
    .replace(/\u309c/g, '\u309a')
    .normalize('NFKC');
  let out = '';
  let prev = '';
  for (const raw of nfkc) {
    // Lower-casing can make more than one code point (İ → i̇).
    const char = foldChar(raw);
    for (const folded of char.length === 1 ? char : Array.from(char.normalize('NFKC'))) {
      const c = spell(folded, prev);
      if (c === '' || DROPPED.has(c) || DASHES.has(c)) continue;
      out += c;
      prev = c;
    }
  }
  return out.normalize('NFKC');
}

/**
 * The index keys of a query against a name's search form: its one character, or its distinct
 * two-character substrings. A stored name whose grams (SQL `search_grams`) contain all of them
 * is a candidate; the substring check confirms it.
 */
export function queryGrams(normalized: string): string[] {
  const chars = Array.from(normalized);
  if (chars.length <= 1) return chars;
  const grams = new Set<string>();
  for (let i = 0; i < chars.length - 1; i++) grams.add(`${chars[i]}${chars[i + 1]}`);
  return [...grams];
}

/** The unigrams and bigrams of a search form, as the SQL function `search_grams` makes them. */
export function storedGrams(normalized: string): string[] {
  const chars = Array.from(normalized);
  return [...new Set([...chars, ...queryGrams(normalized).filter((g) => Array.from(g).length === 2)])];
}
