import { describe, expect, it } from 'vitest';
import { PREFECTURES } from '../japanese/address.js';
import { prefectureOrder, REGIONS, regionOf } from './regions.js';

describe('regionOf', () => {
  it('puts every prefecture in one of the eight regions, as textbooks list them', () => {
    const count = (r: string) => PREFECTURES.filter((p) => regionOf(p) === r).length;
    expect(REGIONS.map(count)).toEqual([1, 6, 7, 9, 7, 5, 4, 8]);
    expect(regionOf('北海道')).toBe('北海道');
    expect(regionOf('福島県')).toBe('東北');
    expect(regionOf('茨城県')).toBe('関東');
    expect(regionOf('神奈川県')).toBe('関東');
    expect(regionOf('新潟県')).toBe('中部');
    expect(regionOf('愛知県')).toBe('中部');
    expect(regionOf('三重県')).toBe('近畿');
    expect(regionOf('和歌山県')).toBe('近畿');
    expect(regionOf('鳥取県')).toBe('中国');
    expect(regionOf('山口県')).toBe('中国');
    expect(regionOf('徳島県')).toBe('四国');
    expect(regionOf('高知県')).toBe('四国');
    expect(regionOf('福岡県')).toBe('九州・沖縄');
    expect(regionOf('沖縄県')).toBe('九州・沖縄');
  });

  it('answers null for what is not a prefecture as stored', () => {
    expect(regionOf(null)).toBeNull();
    expect(regionOf('')).toBeNull();
    expect(regionOf('東京')).toBeNull();
  });

  it('orders prefectures by their JIS number, unknown last', () => {
    expect(prefectureOrder('北海道')).toBe(1);
    expect(prefectureOrder('東京都')).toBe(13);
    expect(prefectureOrder('沖縄県')).toBe(47);
    expect(prefectureOrder(null)).toBe(99);
  });
});
