// Japanese address parts: the 47 prefectures (shipping rates and reports key on them, so the
// name must be exact) and postal codes (郵便番号).

export const PREFECTURES = [
  '北海道',
  '青森県',
  '岩手県',
  '宮城県',
  '秋田県',
  '山形県',
  '福島県',
  '茨城県',
  '栃木県',
  '群馬県',
  '埼玉県',
  '千葉県',
  '東京都',
  '神奈川県',
  '新潟県',
  '富山県',
  '石川県',
  '福井県',
  '山梨県',
  '長野県',
  '岐阜県',
  '静岡県',
  '愛知県',
  '三重県',
  '滋賀県',
  '京都府',
  '大阪府',
  '兵庫県',
  '奈良県',
  '和歌山県',
  '鳥取県',
  '島根県',
  '岡山県',
  '広島県',
  '山口県',
  '徳島県',
  '香川県',
  '愛媛県',
  '高知県',
  '福岡県',
  '佐賀県',
  '長崎県',
  '熊本県',
  '大分県',
  '宮崎県',
  '鹿児島県',
  '沖縄県',
] as const;
export type Prefecture = (typeof PREFECTURES)[number];

const BY_NAME = new Map<string, Prefecture>();
for (const p of PREFECTURES) {
  BY_NAME.set(p, p);
  // Written without 都/府/県 (東京, 大阪, 佐賀); 北海道 stays whole.
  if (p !== '北海道') BY_NAME.set(p.slice(0, -1), p);
}

/** The prefecture's official name from what was typed ('東京' → '東京都'), or null. */
export function canonicalPrefecture(input: string): Prefecture | null {
  return BY_NAME.get(input.normalize('NFKC').replace(/\s/g, '')) ?? null;
}

/**
 * A postal code as '100-0001' from '1000001', '100-0001', '〒１００－０００１' …, or null when it
 * is not seven digits.
 */
export function normalizePostalCode(input: string): string | null {
  const text = input
    .normalize('NFKC')
    .replace(/^〒/, '')
    .replace(/[\s\-‐‑–—―−ー]/g, '');
  return /^\d{7}$/.test(text) ? `${text.slice(0, 3)}-${text.slice(3)}` : null;
}
