// FAQ search and suggestions on Japanese-folded text. Every form compared is normalizeName() of
// src/shared/japanese (width, kana, small kana, long vowels, variant kanji, case, spaces folded),
// the same normalisation as customer names: ﾊﾟｽﾜｰﾄﾞ finds パスワード, ぱすわーど too.
import { normalizeName, queryGrams } from '../../../shared/japanese/name.js';

/** Separators between words of a query or of an operator's text (normalizeName drops spaces itself). */
const SEPARATORS = /[\s\u3000、。，．,.!?！？「」『』【】()（）[\]［］・:：;；/／]+/u;

/** The stored search forms of an article. */
export function searchForms(a: { title: string; body: string; keywords: string[] }) {
  return {
    title: normalizeName(a.title),
    body: normalizeName(a.body),
    keywords: [...new Set(a.keywords.map(normalizeName).filter((k) => k.length > 0))],
  };
}

/** The folded words of a search box (at most 10, duplicates dropped). */
export function queryTerms(q: string | undefined): string[] {
  if (!q) return [];
  const terms = q
    .split(SEPARATORS)
    .map(normalizeName)
    .filter((t) => t.length > 0);
  return [...new Set(terms)].slice(0, 10);
}

/**
 * What the monitor's suggestion looks for in what the operator types: the whole text folded (an
 * article keyword found anywhere in it counts most: Japanese has no spaces between words), its
 * words of two or more characters, and its two-character grams (for titles worded a little
 * differently: パスワードを忘れた ~ パスワードを忘れた場合).
 */
export function suggestInput(text: string) {
  const whole = normalizeName(text.slice(0, 2000));
  const words = queryTerms(text).filter((t) => Array.from(t).length >= 2);
  const grams = Array.from(whole).length >= 2 ? queryGrams(whole) : [];
  return { whole, words, grams };
}

// --- SQL (a = faq_articles). $terms / $whole / $words / $grams are the caller's placeholders. ---

const keywordHas = (t: string) => `EXISTS (SELECT 1 FROM unnest(a.keywords_search) AS k WHERE strpos(k, ${t}) > 0)`;

/** Every term occurs in the title, a keyword or the body. */
export const matchesAll = (terms: string) =>
  `NOT EXISTS (SELECT 1 FROM unnest(${terms}::text[]) AS t
     WHERE NOT (strpos(a.title_search, t) > 0 OR strpos(a.body_search, t) > 0 OR ${keywordHas('t')}))`;

/** Per term: title 3, a keyword equal to it 4 (containing it 2), body 1. */
export const searchScore = (terms: string) =>
  `(SELECT coalesce(sum(
      (CASE WHEN strpos(a.title_search, t) > 0 THEN 3 ELSE 0 END)
    + (CASE WHEN t = ANY(a.keywords_search) THEN 4 WHEN ${keywordHas('t')} THEN 2 ELSE 0 END)
    + (CASE WHEN strpos(a.body_search, t) > 0 THEN 1 ELSE 0 END)), 0)::int
     FROM unnest(${terms}::text[]) AS t)`;

/**
 * How well an article answers what the operator typed: 3 per keyword (two or more characters)
 * found in the text, 3 when the title is in the text or the text in the title, per word of the
 * text 2 in the title and 1 in the body, plus 2 × the share of the title's two-character grams
 * found in the text.
 */
export const suggestScore = (whole: string, words: string, grams: string) =>
  `(3 * (SELECT count(*) FROM unnest(a.keywords_search) AS k WHERE char_length(k) >= 2 AND strpos(${whole}, k) > 0)
   + (CASE WHEN char_length(a.title_search) >= 2 AND char_length(${whole}) >= 2
            AND (strpos(${whole}, a.title_search) > 0 OR strpos(a.title_search, ${whole}) > 0) THEN 3 ELSE 0 END)
   + (SELECT coalesce(sum((CASE WHEN strpos(a.title_search, w) > 0 THEN 2 ELSE 0 END)
                        + (CASE WHEN strpos(a.body_search, w) > 0 THEN 1 ELSE 0 END)), 0)
        FROM unnest(${words}::text[]) AS w)
   + 2.0 * (SELECT count(DISTINCT substr(a.title_search, i, 2))
              FROM generate_series(1, char_length(a.title_search) - 1) AS i
             WHERE substr(a.title_search, i, 2) = ANY(${grams}::text[]))
         / greatest(1, char_length(a.title_search) - 1))`;
