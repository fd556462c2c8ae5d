import { Badge } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { CATALOGUE_PATHS, REASON_KINDS, type Reason } from '../../api/catalogue';
import type { MasterConfig } from '../../components/master/types';
import { activeColumn, num, text } from './common';

/** 解約・返品理由マスタ (cancel, return, subscription cancel). */
export function useReasonsConfig(): MasterConfig<Reason> {
  const { t } = useTranslation();
  return useMemo(() => {
    const kindOptions = REASON_KINDS.map((k) => ({ value: k, label: t(`masters.reasonKinds.${k}`) }));
    return {
      id: 'reasons',
      title: t('masters.reasons.title'),
      path: CATALOGUE_PATHS.reasons,
      idOf: (r) => r.id,
      nameOf: (r) => r.name,
      search: 'server',
      filters: [{ name: 'kind', label: t('masters.reasons.kind'), options: kindOptions }],
      csv: { exportPath: `${CATALOGUE_PATHS.reasons}/export`, importPath: `${CATALOGUE_PATHS.reasons}/import` },
      columns: [
        {
          key: 'kind',
          label: t('masters.reasons.kind'),
          width: 110,
          render: (r) => <Badge>{t(`masters.reasonKinds.${r.kind}`)}</Badge>,
        },
        { key: 'code', label: t('masters.common.code'), width: 100, mono: true, render: (r) => r.code },
        { key: 'name', label: t('masters.common.name'), render: (r) => r.name },
        {
          key: 'sortOrder',
          label: t('masters.common.sortOrder'),
          width: 80,
          align: 'right',
          render: (r) => r.sortOrder,
        },
        activeColumn<Reason>(t),
      ],
      fields: [
        {
          kind: 'select',
          name: 'kind',
          label: t('masters.reasons.kind'),
          required: true,
          span: 4,
          options: kindOptions,
        },
        { kind: 'text', name: 'code', label: t('masters.common.code'), required: true, span: 4, maxLength: 20 },
        { kind: 'int', name: 'sortOrder', label: t('masters.common.sortOrder'), span: 4 },
        { kind: 'text', name: 'name', label: t('masters.common.name'), required: true, span: 8, maxLength: 100 },
        { kind: 'bool', name: 'active', label: t('masters.common.active'), span: 4 },
      ],
      toValues: (r) => ({
        kind: r?.kind ?? 'cancel',
        code: r?.code ?? '',
        name: r?.name ?? '',
        sortOrder: r?.sortOrder ?? 0,
        active: r?.active ?? true,
      }),
      toBody: (v) => ({
        kind: v.kind,
        code: text(v.code),
        name: text(v.name),
        sortOrder: num(v.sortOrder),
        active: Boolean(v.active),
      }),
    };
  }, [t]);
}
