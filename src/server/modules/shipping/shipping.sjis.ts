// Shift_JIS (CP932) arithmetic for the carriers' files: their field lengths are bytes, a full-width
// character being two and an ASCII or half-width katakana one; a character CP932 lacks (an emoji,
// some rare kanji) cannot be sent at all.
import iconv from 'iconv-lite';

const cache = new Map<string, number>();

/** The CP932 bytes of one character, 0 when CP932 has no such character. */
function charBytes(ch: string): number {
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x80) return 1;
  if (code >= 0xff61 && code <= 0xff9f) return 1;
  let n = cache.get(ch);
  if (n === undefined) {
    const encoded = iconv.encode(ch, 'cp932');
    n = iconv.decode(encoded, 'cp932') === ch ? encoded.length : 0;
    if (cache.size < 20_000) cache.set(ch, n);
  }
  return n;
}

export function sjisBytes(s: string): number {
  let n = 0;
  for (const ch of s) n += charBytes(ch) || 1;
  return n;
}

/** The characters of s that CP932 cannot encode (distinct, in order). */
export function unencodable(s: string): string[] {
  const bad: string[] = [];
  for (const ch of s) if (charBytes(ch) === 0 && !bad.includes(ch)) bad.push(ch);
  return bad;
}

/** The longest prefix of s that fits in max bytes, never splitting a character. */
export function cutSjis(s: string, max: number): string {
  let out = '';
  let n = 0;
  for (const ch of s) {
    const b = charBytes(ch) || 1;
    if (n + b > max) break;
    out += ch;
    n += b;
  }
  return out;
}

/** s cut into at most `parts` pieces of max bytes each; null when it does not fit. */
export function flowSjis(s: string, max: number, parts: number): string[] | null {
  const out: string[] = [];
  let rest = s;
  while (rest.length > 0) {
    if (out.length === parts) return null;
    const piece = cutSjis(rest, max);
    if (piece.length === 0) return null;
    out.push(piece);
    rest = rest.slice(piece.length);
  }
  while (out.length < parts) out.push('');
  return out;
}

const HALF_KANA = new Map<string, string>();
for (let c = 0xff61; c <= 0xff9f; c++) {
  const half = String.fromCharCode(c);
  const full = half.normalize('NFKC');
  if (full !== half && !HALF_KANA.has(full)) HALF_KANA.set(full, half);
}

/**
 * Katakana or hiragana as half-width katakana (B2's カナ fields), with ﾞ and ﾟ for voiced sounds;
 * null when the text has anything else than kana, ASCII and spaces.
 */
export function toHalfKana(input: string): string | null {
  let out = '';
  for (const raw of input.normalize('NFKC')) {
    const code = raw.codePointAt(0) ?? 0;
    // Hiragana → katakana (same order, 0x60 apart).
    const ch = code >= 0x3041 && code <= 0x3096 ? String.fromCharCode(code + 0x60) : raw;
    if (ch === '　') {
      out += ' ';
      continue;
    }
    if ((ch.codePointAt(0) ?? 0) < 0x80) {
      out += ch;
      continue;
    }
    const direct = HALF_KANA.get(ch);
    if (direct) {
      out += direct;
      continue;
    }
    const [base, mark] = [...ch.normalize('NFD')];
    const half = base ? HALF_KANA.get(base) : undefined;
    if (half && mark === '\u3099') out += `${half}ﾞ`;
    else if (half && mark === '\u309a') out += `${half}ﾟ`;
    else if (ch === 'ヴ') out += 'ｳﾞ';
    else return null;
  }
  return out;
}

/** One CSV line (CRLF) with quoting only where needed; line breaks inside a value become spaces. */
export function csvLine(cells: readonly string[]): string {
  return `${cells
    .map((c) => {
      const v = c.replace(/[\r\n]+/g, ' ');
      return /[",]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
    })
    .join(',')}\r\n`;
}
