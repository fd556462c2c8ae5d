import { Badge } from '@mantine/core';
import type { TFunction } from 'i18next';
import { PREFECTURES } from '../../../shared/japanese/address';
import { CARRIERS } from '../../api/catalogue';
import type { ColumnDef, Option } from '../../components/master/types';

/** ¥1,234 (integer yen). */
export function yen(value: number | null | undefined): string {
  return value === null || value === undefined ? '' : `¥${value.toLocaleString('ja-JP')}`;
}

export const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : v == null ? '' : String(v).trim());
/** '' → null (an optional text cleared). */
export const textOrNull = (v: unknown): string | null => text(v) || null;
/** A number input's value: '' or null → null. */
export const numOrNull = (v: unknown): number | null => (v === '' || v === null || v === undefined ? null : Number(v));
export const num = (v: unknown, fallback = 0): number => numOrNull(v) ?? fallback;
export const orEmpty = (v: unknown): unknown => (v === null || v === undefined ? '' : v);

export function carrierOptions(t: TFunction): Option[] {
  return CARRIERS.map((c) => ({ value: c, label: t(`masters.carriers.${c}`) }));
}

export function prefectureOptions(): Option[] {
  return PREFECTURES.map((p) => ({ value: p, label: p }));
}

export function activeColumn<T extends { active: boolean }>(t: TFunction): ColumnDef<T> {
  return {
    key: 'active',
    label: t('masters.common.active'),
    width: 70,
    align: 'center',
    render: (item) =>
      item.active ? <Badge color="teal">{t('common.on')}</Badge> : <Badge color="gray">{t('common.off')}</Badge>,
  };
}
