import { Text } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { CATALOGUE_PATHS, type ShippingFee } from '../../api/catalogue';
import type { MasterConfig } from '../../components/master/types';
import { carrierOptions, num, numOrNull, orEmpty, prefectureOptions, textOrNull, yen } from './common';

/** 送料マスタ: the fee by carrier and destination prefecture, with a free-shipping threshold. */
export function useShippingFeesConfig(): MasterConfig<ShippingFee> {
  const { t } = useTranslation();
  return useMemo(() => {
    const any = (
      <Text span size="xs" c="dimmed">
        {t('masters.common.any')}
      </Text>
    );
    return {
      id: 'shipping-fees',
      title: t('masters.shippingFees.title'),
      lead: t('masters.shippingFees.lead'),
      path: CATALOGUE_PATHS.shippingFees,
      idOf: (f) => f.id,
      nameOf: (f) =>
        `${f.carrier ? t(`masters.carriers.${f.carrier}`) : t('masters.common.any')} / ${f.prefecture ?? t('masters.common.any')}`,
      search: false,
      filters: [{ name: 'carrier', label: t('masters.common.carrier'), options: carrierOptions(t) }],
      csv: {
        exportPath: `${CATALOGUE_PATHS.shippingFees}/export`,
        importPath: `${CATALOGUE_PATHS.shippingFees}/import`,
      },
      columns: [
        {
          key: 'carrier',
          label: t('masters.common.carrier'),
          width: 140,
          render: (f) => (f.carrier ? t(`masters.carriers.${f.carrier}`) : any),
        },
        { key: 'prefecture', label: t('masters.common.prefecture'), width: 120, render: (f) => f.prefecture ?? any },
        { key: 'fee', label: t('masters.shippingFees.fee'), width: 100, align: 'right', render: (f) => yen(f.fee) },
        {
          key: 'free',
          label: t('masters.shippingFees.freeThreshold'),
          align: 'right',
          render: (f) =>
            f.freeThreshold === null ? '' : t('masters.shippingFees.freeFrom', { amount: yen(f.freeThreshold) }),
        },
      ],
      fields: [
        {
          kind: 'select',
          name: 'carrier',
          label: t('masters.common.carrier'),
          options: carrierOptions(t),
          clearable: true,
          description: t('masters.common.emptyIsAny'),
        },
        {
          kind: 'select',
          name: 'prefecture',
          label: t('masters.common.prefecture'),
          options: prefectureOptions(),
          clearable: true,
          description: t('masters.common.emptyIsAny'),
        },
        { kind: 'yen', name: 'fee', label: t('masters.shippingFees.fee'), required: true },
        {
          kind: 'yen',
          name: 'freeThreshold',
          label: t('masters.shippingFees.freeThreshold'),
          description: t('masters.shippingFees.freeThresholdHint'),
        },
      ],
      toValues: (f) => ({
        carrier: f?.carrier ?? '',
        prefecture: f?.prefecture ?? '',
        fee: orEmpty(f?.fee),
        freeThreshold: orEmpty(f?.freeThreshold),
      }),
      toBody: (v) => ({
        carrier: textOrNull(v.carrier),
        prefecture: textOrNull(v.prefecture),
        fee: num(v.fee),
        freeThreshold: numOrNull(v.freeThreshold),
      }),
    };
  }, [t]);
}
