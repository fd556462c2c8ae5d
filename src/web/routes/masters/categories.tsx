import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { CATALOGUE_PATHS, type ProductCategory } from '../../api/catalogue';
import type { MasterConfig } from '../../components/master/types';
import { activeColumn, num, text } from './common';

/** 商品分類マスタ. */
export function useCategoriesConfig(): MasterConfig<ProductCategory> {
  const { t } = useTranslation();
  return useMemo(
    () => ({
      id: 'product-categories',
      title: t('masters.categories.title'),
      path: CATALOGUE_PATHS.categories,
      idOf: (c) => c.id,
      nameOf: (c) => c.name,
      search: 'server',
      version: (c) => c.version,
      csv: {
        exportPath: `${CATALOGUE_PATHS.categories}/export`,
        importPath: `${CATALOGUE_PATHS.categories}/import`,
      },
      columns: [
        { key: 'code', label: t('masters.common.code'), width: 120, mono: true, render: (c) => c.code },
        { key: 'name', label: t('masters.common.name'), render: (c) => c.name },
        {
          key: 'sortOrder',
          label: t('masters.common.sortOrder'),
          width: 80,
          align: 'right',
          render: (c) => c.sortOrder,
        },
        activeColumn<ProductCategory>(t),
      ],
      fields: [
        { kind: 'text', name: 'code', label: t('masters.common.code'), required: true, span: 4, maxLength: 20 },
        { kind: 'text', name: 'name', label: t('masters.common.name'), required: true, span: 8, maxLength: 100 },
        { kind: 'int', name: 'sortOrder', label: t('masters.common.sortOrder'), span: 4 },
        { kind: 'bool', name: 'active', label: t('masters.common.active'), span: 4 },
      ],
      toValues: (c) => ({
        code: c?.code ?? '',
        name: c?.name ?? '',
        sortOrder: c?.sortOrder ?? 0,
        active: c?.active ?? true,
      }),
      toBody: (v) => ({
        code: text(v.code),
        name: text(v.name),
        sortOrder: num(v.sortOrder),
        active: Boolean(v.active),
      }),
    }),
    [t],
  );
}
