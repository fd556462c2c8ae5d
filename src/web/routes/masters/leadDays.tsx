import { Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { CATALOGUE_PATHS, type LeadDays, type ShippingOrigin } from '../../api/catalogue';
import { api } from '../../api/client';
import type { MasterConfig } from '../../components/master/types';
import { carrierOptions, num, prefectureOptions, text, textOrNull } from './common';

/** リードタイム: days from an origin to a prefecture by a carrier (the お届け予定日). */
export function useLeadDaysConfig(): MasterConfig<LeadDays> {
  const { t } = useTranslation();
  const origins = useQuery({
    queryKey: ['master', 'shipping-origins', 'all'],
    queryFn: ({ signal }) => api.get<{ items: ShippingOrigin[] }>(CATALOGUE_PATHS.origins, { limit: 500 }, signal),
    staleTime: 60_000,
  });
  return useMemo(() => {
    const originOptions = (origins.data?.items ?? []).map((o) => ({ value: o.id, label: `${o.code} ${o.name}` }));
    const originName = new Map(originOptions.map((o) => [o.value, o.label]));
    return {
      id: 'delivery-lead-days',
      title: t('masters.leadDays.title'),
      lead: t('masters.leadDays.lead'),
      path: CATALOGUE_PATHS.leadDays,
      idOf: (l) => l.id,
      nameOf: (l) => `${t(`masters.carriers.${l.carrier}`)} / ${l.prefecture}`,
      search: false,
      filters: [{ name: 'carrier', label: t('masters.common.carrier'), options: carrierOptions(t) }],
      csv: { exportPath: `${CATALOGUE_PATHS.leadDays}/export`, importPath: `${CATALOGUE_PATHS.leadDays}/import` },
      columns: [
        {
          key: 'carrier',
          label: t('masters.common.carrier'),
          width: 140,
          render: (l) => t(`masters.carriers.${l.carrier}`),
        },
        {
          key: 'origin',
          label: t('masters.leadDays.origin'),
          width: 200,
          render: (l) =>
            l.originId ? (
              (originName.get(l.originId) ?? '')
            ) : (
              <Text span size="xs" c="dimmed">
                {t('masters.common.any')}
              </Text>
            ),
        },
        { key: 'prefecture', label: t('masters.common.prefecture'), width: 120, render: (l) => l.prefecture },
        {
          key: 'days',
          label: t('masters.leadDays.days'),
          align: 'right',
          render: (l) => t('masters.leadDays.daysValue', { count: l.days }),
        },
      ],
      fields: [
        {
          kind: 'select',
          name: 'carrier',
          label: t('masters.common.carrier'),
          required: true,
          options: carrierOptions(t),
        },
        {
          kind: 'select',
          name: 'originId',
          label: t('masters.leadDays.origin'),
          options: originOptions,
          clearable: true,
          description: t('masters.common.emptyIsAny'),
        },
        {
          kind: 'select',
          name: 'prefecture',
          label: t('masters.common.prefecture'),
          required: true,
          options: prefectureOptions(),
        },
        { kind: 'int', name: 'days', label: t('masters.leadDays.days'), required: true, min: 0, max: 14 },
      ],
      toValues: (l) => ({
        carrier: l?.carrier ?? 'yamato',
        originId: l?.originId ?? '',
        prefecture: l?.prefecture ?? '',
        days: l?.days ?? 1,
      }),
      toBody: (v) => ({
        carrier: v.carrier,
        originId: textOrNull(v.originId),
        prefecture: text(v.prefecture),
        days: num(v.days),
      }),
    };
  }, [t, origins.data]);
}
