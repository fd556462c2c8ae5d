const ERAS: Record<string, number> = {
  m: 1867,
  明治: 1867,
  t: 1911,
  大正: 1911,
  s: 1925,
  昭和: 1925,
  h: 1988,
  平成: 1988,
  r: 2018,
  令和: 2018,
};

function valid(y: number, m: number, d: number): string | null {
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * A date as operators type it → YYYY-MM-DD, or null: 1950-04-01, 1950/4/1, 1950.4.1,
 * 19500401, 1950年4月1日, full-width digits, and Japanese eras (S25.4.1, 昭和25年4月1日, H元.1.8).
 */
export function parseDateInput(input: string): string | null {
  const text = input.normalize('NFKC').trim().replace(/\s+/g, '');
  if (!text) return null;
  let m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text);
  if (m) return valid(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (m) return valid(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(明治|大正|昭和|平成|令和|[mtshrMTSHR])(\d{1,2}|元)[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text);
  if (m) {
    const base = ERAS[(m[1] ?? '').toLowerCase()];
    if (base === undefined) return null;
    const year = m[2] === '元' ? 1 : Number(m[2]);
    return valid(base + year, Number(m[3]), Number(m[4]));
  }
  return null;
}
