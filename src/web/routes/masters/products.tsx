import { Badge, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CATALOGUE_PATHS,
  PRODUCT_KINDS,
  type Product,
  type ProductCategory,
  type ProductLink,
} from '../../api/catalogue';
import { api } from '../../api/client';
import { rememberLabel } from '../../components/master/FieldInput';
import type { MasterConfig, RefSource } from '../../components/master/types';
import { activeColumn, num, numOrNull, orEmpty, text, textOrNull, yen } from './common';

export const productRef: RefSource = {
  path: CATALOGUE_PATHS.products,
  label: (p) => `${String(p.code)} ${String(p.name)}`,
};

const KIND_COLORS = { normal: 'gray', subscription: 'indigo', present: 'pink', set: 'teal' } as const;

function linkValues(link: ProductLink) {
  rememberLabel(link.productId, `${link.code} ${link.name}`);
  return { productId: link.productId, quantity: link.quantity };
}

const links = (rows: unknown) =>
  (Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [])
    .filter((r) => text(r.productId))
    .map((r) => ({ productId: text(r.productId), quantity: num(r.quantity, 1) }));

/** 商品マスタ: code, name, kind (通常/定期/プレゼント/セット), tax rate, prices, cost, period, stock, set contents. */
export function useProductsConfig(): MasterConfig<Product> {
  const { t } = useTranslation();
  const categories = useQuery({
    queryKey: ['master', 'product-categories', 'all'],
    queryFn: ({ signal }) => api.get<{ items: ProductCategory[] }>(CATALOGUE_PATHS.categories, { limit: 500 }, signal),
    staleTime: 60_000,
  });
  return useMemo(() => {
    const categoryName = new Map((categories.data?.items ?? []).map((c) => [c.id, c.name]));
    const kindOptions = PRODUCT_KINDS.map((k) => ({ value: k, label: t(`masters.productKinds.${k}`) }));
    const linkFields = [
      {
        kind: 'ref' as const,
        name: 'productId',
        label: t('masters.products.product'),
        ref: productRef,
        required: true,
      },
      { kind: 'int' as const, name: 'quantity', label: t('masters.products.quantity'), min: 1, max: 999 },
    ];
    return {
      id: 'products',
      title: t('masters.products.title'),
      path: CATALOGUE_PATHS.products,
      idOf: (p) => p.id,
      nameOf: (p) => `${p.code} ${p.name}`,
      search: 'server',
      searchPlaceholder: t('masters.products.searchPlaceholder'),
      filters: [{ name: 'kind', label: t('masters.products.kind'), options: kindOptions }],
      version: (p) => p.version,
      loadOne: false,
      size: 'xl',
      csv: {
        exportPath: `${CATALOGUE_PATHS.products}/export`,
        importPath: `${CATALOGUE_PATHS.products}/import`,
      },
      columns: [
        { key: 'code', label: t('masters.common.code'), width: 110, mono: true, render: (p) => p.code },
        {
          key: 'name',
          label: t('masters.common.name'),
          render: (p) => (
            <>
              {p.name}
              {p.nameKana ? (
                <Text span size="xs" c="dimmed" ml={4}>
                  {p.nameKana}
                </Text>
              ) : null}
            </>
          ),
        },
        {
          key: 'category',
          label: t('masters.products.category'),
          width: 120,
          render: (p) => (p.categoryId ? (categoryName.get(p.categoryId) ?? '') : ''),
        },
        {
          key: 'kind',
          label: t('masters.products.kind'),
          width: 90,
          render: (p) => <Badge color={KIND_COLORS[p.kind]}>{t(`masters.productKinds.${p.kind}`)}</Badge>,
        },
        {
          key: 'taxRate',
          label: t('masters.products.taxRate'),
          width: 60,
          align: 'right',
          render: (p) => `${p.taxRate}%`,
        },
        {
          key: 'unitPrice',
          label: t('masters.products.unitPrice'),
          width: 90,
          align: 'right',
          render: (p) => yen(p.unitPrice),
        },
        {
          key: 'unitCost',
          label: t('masters.products.unitCost'),
          width: 80,
          align: 'right',
          render: (p) => yen(p.unitCost),
        },
        {
          key: 'stock',
          label: t('masters.products.stock'),
          width: 70,
          align: 'right',
          render: (p) =>
            p.stock === null ? (
              <Text span size="xs" c="dimmed">
                —
              </Text>
            ) : (
              <Text span size="xs" c={p.stock <= 0 ? 'red.8' : undefined} fw={p.stock <= 0 ? 700 : undefined}>
                {p.stock.toLocaleString('ja-JP')}
              </Text>
            ),
        },
        {
          key: 'period',
          label: t('masters.products.period'),
          width: 170,
          render: (p) =>
            p.salesFrom || p.salesUntil
              ? `${p.salesFrom ?? ''} 〜 ${p.salesUntil ?? ''}`
              : t('masters.products.always'),
        },
        activeColumn<Product>(t),
      ],
      fields: [
        { kind: 'text', name: 'code', label: t('masters.common.code'), required: true, span: 3, maxLength: 30 },
        { kind: 'text', name: 'name', label: t('masters.common.name'), required: true, span: 5, maxLength: 100 },
        { kind: 'text', name: 'nameKana', label: t('masters.products.nameKana'), span: 4, maxLength: 100 },
        {
          kind: 'ref',
          name: 'categoryId',
          label: t('masters.products.category'),
          span: 4,
          ref: { path: CATALOGUE_PATHS.categories, searchParam: null, label: (c) => String(c.name) },
        },
        {
          kind: 'select',
          name: 'kind',
          label: t('masters.products.kind'),
          required: true,
          span: 4,
          options: kindOptions,
        },
        {
          kind: 'select',
          name: 'taxRate',
          label: t('masters.products.taxRate'),
          required: true,
          span: 4,
          options: [
            { value: '10', label: t('masters.products.tax10') },
            { value: '8', label: t('masters.products.tax8') },
          ],
        },
        { kind: 'yen', name: 'unitPrice', label: t('masters.products.unitPrice'), required: true, span: 4 },
        {
          kind: 'yen',
          name: 'firstPrice',
          label: t('masters.products.firstPrice'),
          span: 4,
          visible: (v) => v.kind === 'subscription',
        },
        {
          kind: 'yen',
          name: 'unitCost',
          label: t('masters.products.unitCost'),
          span: 4,
          description: t('masters.products.unitCostHint'),
        },
        { kind: 'date', name: 'salesFrom', label: t('masters.products.salesFrom'), span: 4 },
        { kind: 'date', name: 'salesUntil', label: t('masters.products.salesUntil'), span: 4 },
        {
          kind: 'int',
          name: 'stock',
          label: t('masters.products.stock'),
          span: 4,
          min: -1_000_000,
          description: t('masters.products.stockHint'),
        },
        { kind: 'bool', name: 'active', label: t('masters.common.active'), span: 4 },
        { kind: 'textarea', name: 'note', label: t('masters.common.note'), maxLength: 1000 },
        {
          kind: 'rows',
          name: 'components',
          label: t('masters.products.components'),
          description: t('masters.products.componentsHint'),
          addLabel: t('masters.products.addComponent'),
          fields: linkFields,
          maxRows: 100,
          visible: (v) => v.kind === 'set',
        },
        {
          kind: 'rows',
          name: 'companions',
          label: t('masters.products.companions'),
          description: t('masters.products.companionsHint'),
          addLabel: t('masters.products.addCompanion'),
          fields: linkFields,
          maxRows: 100,
        },
      ],
      toValues: (p) => ({
        code: p?.code ?? '',
        name: p?.name ?? '',
        nameKana: p?.nameKana ?? '',
        categoryId: p?.categoryId ?? '',
        kind: p?.kind ?? 'normal',
        taxRate: String(p?.taxRate ?? 10),
        unitPrice: orEmpty(p?.unitPrice),
        firstPrice: orEmpty(p?.firstPrice),
        unitCost: p?.unitCost ?? 0,
        salesFrom: p?.salesFrom ?? '',
        salesUntil: p?.salesUntil ?? '',
        stock: orEmpty(p?.stock),
        active: p?.active ?? true,
        note: p?.note ?? '',
        components: (p?.components ?? []).map(linkValues),
        companions: (p?.companions ?? []).map(linkValues),
      }),
      toBody: (v) => ({
        code: text(v.code),
        name: text(v.name),
        nameKana: textOrNull(v.nameKana),
        categoryId: textOrNull(v.categoryId),
        kind: v.kind,
        taxRate: Number(v.taxRate),
        unitPrice: numOrNull(v.unitPrice),
        firstPrice: v.kind === 'subscription' ? numOrNull(v.firstPrice) : null,
        unitCost: num(v.unitCost),
        salesFrom: textOrNull(v.salesFrom),
        salesUntil: textOrNull(v.salesUntil),
        stock: numOrNull(v.stock),
        active: Boolean(v.active),
        note: textOrNull(v.note),
        components: v.kind === 'set' ? links(v.components) : [],
        companions: links(v.companions),
      }),
    };
  }, [t, categories.data]);
}
