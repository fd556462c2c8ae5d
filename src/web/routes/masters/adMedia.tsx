import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { type AdMedium, CATALOGUE_PATHS } from '../../api/catalogue';
import type { MasterConfig } from '../../components/master/types';
import { activeColumn, num, text, yen } from './common';

/** 広告マスタ: code, name, medium and the cost per month (CPO and ROAS in the reports). */
export function useAdMediaConfig(): MasterConfig<AdMedium> {
  const { t } = useTranslation();
  return useMemo(
    () => ({
      id: 'ad-media',
      title: t('masters.adMedia.title'),
      path: CATALOGUE_PATHS.adMedia,
      idOf: (m) => m.id,
      nameOf: (m) => m.name,
      search: 'server',
      version: (m) => m.version,
      csv: { exportPath: `${CATALOGUE_PATHS.adMedia}/export`, importPath: `${CATALOGUE_PATHS.adMedia}/import` },
      columns: [
        { key: 'code', label: t('masters.common.code'), width: 110, mono: true, render: (m) => m.code },
        { key: 'name', label: t('masters.common.name'), render: (m) => m.name },
        { key: 'medium', label: t('masters.adMedia.medium'), width: 120, render: (m) => m.medium },
        {
          key: 'monthlyCost',
          label: t('masters.adMedia.monthlyCost'),
          width: 110,
          align: 'right',
          render: (m) => yen(m.monthlyCost),
        },
        {
          key: 'costs',
          label: t('masters.adMedia.costs'),
          width: 90,
          align: 'right',
          render: (m) => t('masters.adMedia.monthsCount', { count: m.costs.length }),
        },
        activeColumn<AdMedium>(t),
      ],
      fields: [
        { kind: 'text', name: 'code', label: t('masters.common.code'), required: true, span: 3, maxLength: 20 },
        { kind: 'text', name: 'name', label: t('masters.common.name'), required: true, span: 5, maxLength: 100 },
        {
          kind: 'text',
          name: 'medium',
          label: t('masters.adMedia.medium'),
          span: 4,
          maxLength: 50,
          placeholder: t('masters.adMedia.mediumPlaceholder'),
        },
        {
          kind: 'yen',
          name: 'monthlyCost',
          label: t('masters.adMedia.monthlyCost'),
          span: 4,
          description: t('masters.adMedia.monthlyCostHint'),
        },
        { kind: 'bool', name: 'active', label: t('masters.common.active'), span: 4 },
        {
          kind: 'rows',
          name: 'costs',
          label: t('masters.adMedia.costs'),
          addLabel: t('masters.adMedia.addMonth'),
          maxRows: 600,
          fields: [
            { kind: 'text', name: 'month', label: t('masters.adMedia.month'), placeholder: 'YYYY-MM', maxLength: 7 },
            { kind: 'yen', name: 'cost', label: t('masters.adMedia.cost') },
          ],
        },
      ],
      toValues: (m) => ({
        code: m?.code ?? '',
        name: m?.name ?? '',
        medium: m?.medium ?? '',
        monthlyCost: m?.monthlyCost ?? 0,
        active: m?.active ?? true,
        costs: m?.costs ?? [],
      }),
      toBody: (v) => ({
        code: text(v.code),
        name: text(v.name),
        medium: text(v.medium),
        monthlyCost: num(v.monthlyCost),
        active: Boolean(v.active),
        costs: (Array.isArray(v.costs) ? (v.costs as Record<string, unknown>[]) : [])
          .filter((c) => text(c.month))
          .map((c) => ({ month: text(c.month), cost: num(c.cost) })),
      }),
    }),
    [t],
  );
}
