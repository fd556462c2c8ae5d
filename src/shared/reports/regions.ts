// The eight regions (地方) of Japan as sales reports group the 47 prefectures, in JIS order.
import { PREFECTURES, type Prefecture } from '../japanese/address.js';

export const REGIONS = ['北海道', '東北', '関東', '中部', '近畿', '中国', '四国', '九州・沖縄'] as const;
export type Region = (typeof REGIONS)[number];

// The index in PREFECTURES (JIS X 0401 order) where each region starts.
const STARTS: [number, Region][] = [
  [0, '北海道'],
  [1, '東北'],
  [7, '関東'],
  [14, '中部'],
  [23, '近畿'],
  [30, '中国'],
  [35, '四国'],
  [39, '九州・沖縄'],
];

const BY_PREFECTURE = new Map<string, Region>();
PREFECTURES.forEach((p, i) => {
  let region: Region = '北海道';
  for (const [start, r] of STARTS) if (i >= start) region = r;
  BY_PREFECTURE.set(p, region);
});

/** The region of a prefecture as stored (東京都, 大阪府 …); null for anything else. */
export function regionOf(prefecture: string | null | undefined): Region | null {
  return prefecture ? (BY_PREFECTURE.get(prefecture) ?? null) : null;
}

/** Sort key of a prefecture: its JIS number (1–47); unknown and missing ones last. */
export function prefectureOrder(prefecture: string | null | undefined): number {
  const i = prefecture ? PREFECTURES.indexOf(prefecture as Prefecture) : -1;
  return i < 0 ? 99 : i + 1;
}
