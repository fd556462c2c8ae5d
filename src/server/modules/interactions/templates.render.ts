// Placeholders of reply/talk templates: {{顧客名}} or its English alias {{customer.name}}, spaces
// inside the braces allowed. A placeholder this list does not know stays as written and is
// reported; a known one without a value becomes empty and is reported too.

export type PlaceholderKey =
  | 'customer.name'
  | 'customer.nameKana'
  | 'customer.familyName'
  | 'customer.code'
  | 'customer.company'
  | 'customer.department'
  | 'customer.staffName'
  | 'staff.name'
  | 'tenant.name'
  | 'date'
  | 'time';

/** Every placeholder: its key (the English form), its Japanese names and what it holds. */
export const PLACEHOLDERS: { key: PlaceholderKey; ja: string[]; aliases: string[]; description: string }[] = [
  { key: 'customer.name', ja: ['顧客名', 'お客様名'], aliases: [], description: '顧客の氏名' },
  { key: 'customer.nameKana', ja: ['顧客名カナ', 'フリガナ'], aliases: [], description: '顧客の氏名のフリガナ' },
  { key: 'customer.familyName', ja: ['顧客姓', '姓'], aliases: [], description: '顧客の姓 (未登録なら氏名の最初の語)' },
  { key: 'customer.code', ja: ['顧客コード'], aliases: [], description: '顧客コード' },
  { key: 'customer.company', ja: ['会社名'], aliases: [], description: '顧客の会社名' },
  { key: 'customer.department', ja: ['部署名'], aliases: [], description: '顧客の部署名' },
  { key: 'customer.staffName', ja: ['顧客担当者名'], aliases: [], description: '顧客の担当者 (社内) の氏名' },
  {
    key: 'staff.name',
    ja: ['担当者名', 'オペレーター名'],
    aliases: ['operator.name', 'user.name'],
    description: 'テンプレートを使う人 (サインイン中のユーザー。API トークンでは空)',
  },
  { key: 'tenant.name', ja: ['組織名', '自社名'], aliases: ['company.name'], description: '自組織の名前' },
  { key: 'date', ja: ['日付', '今日'], aliases: ['today'], description: '今日の日付 (例: 2025年1月2日)' },
  { key: 'time', ja: ['時刻'], aliases: ['now'], description: '現在の時刻 (例: 14:05)' },
];

const BY_NAME = new Map<string, PlaceholderKey>();
for (const p of PLACEHOLDERS) {
  BY_NAME.set(p.key.toLowerCase(), p.key);
  for (const name of [...p.ja, ...p.aliases]) BY_NAME.set(name.toLowerCase(), p.key);
}

/** The key a placeholder's name stands for (NFKC, case-insensitive), or null. */
export function placeholderKey(name: string): PlaceholderKey | null {
  return BY_NAME.get(name.normalize('NFKC').trim().toLowerCase()) ?? null;
}

export type RenderValues = Partial<Record<PlaceholderKey, string | null | undefined>>;
export type Rendered = { text: string; unknown: string[]; empty: string[] };

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

/** Fills the placeholders of `text`; `unknown` and `empty` list the names as written, once each. */
export function renderText(text: string, values: RenderValues): Rendered {
  const unknown = new Set<string>();
  const empty = new Set<string>();
  const out = text.replace(PLACEHOLDER, (whole, raw: string) => {
    const name = raw.trim();
    const key = name ? placeholderKey(name) : null;
    if (!key) {
      unknown.add(name);
      return whole;
    }
    const value = values[key];
    if (value === null || value === undefined || value === '') {
      empty.add(name);
      return '';
    }
    return value;
  });
  return { text: out, unknown: [...unknown], empty: [...empty] };
}

const DATE = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
});
const TIME = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** 日付 and 時刻 at `now` in Asia/Tokyo: 2025年1月2日, 14:05. */
export function clockValues(now: Date): Pick<RenderValues, 'date' | 'time'> {
  return { date: DATE.format(now), time: TIME.format(now) };
}

/** The family name as registered, else the name's first word (山田 太郎 → 山田). */
export function familyNameOf(name: string, familyName: string | null): string | null {
  if (familyName) return familyName;
  const words = name.trim().split(/[\s\u3000]+/);
  return words.length > 1 ? (words[0] ?? null) : null;
}
