import { Badge, Group } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { CATALOGUE_PATHS, type Campaign } from '../../api/catalogue';
import { rememberLabel } from '../../components/master/FieldInput';
import type { MasterConfig } from '../../components/master/types';
import { activeColumn, num, numOrNull, orEmpty, text, textOrNull, yen } from './common';
import { productRef } from './products';

const rowsOf = (v: unknown) => (Array.isArray(v) ? (v as Record<string, unknown>[]) : []);

/**
 * キャンペーン管理: a period, conditions (ad medium, rank, first order, amount) and effects (free
 * shipping, a discount, campaign prices, presents bundled when a product is bought).
 */
export function useCampaignsConfig(): MasterConfig<Campaign> {
  const { t } = useTranslation();
  return useMemo(
    () => ({
      id: 'campaigns',
      title: t('masters.campaigns.title'),
      path: CATALOGUE_PATHS.campaigns,
      idOf: (c) => c.id,
      nameOf: (c) => `${c.code} ${c.name}`,
      search: 'server',
      version: (c) => c.version,
      size: 'xl',
      csv: { exportPath: `${CATALOGUE_PATHS.campaigns}/export`, importPath: `${CATALOGUE_PATHS.campaigns}/import` },
      columns: [
        { key: 'code', label: t('masters.common.code'), width: 110, mono: true, render: (c) => c.code },
        { key: 'name', label: t('masters.common.name'), render: (c) => c.name },
        {
          key: 'period',
          label: t('masters.campaigns.period'),
          width: 190,
          render: (c) => `${c.startsOn} 〜 ${c.endsOn}`,
        },
        {
          key: 'effects',
          label: t('masters.campaigns.effects'),
          render: (c) => (
            <Group gap={4}>
              {c.automatic ? <Badge color="indigo">{t('masters.campaigns.automatic')}</Badge> : null}
              {c.freeShipping ? <Badge color="teal">{t('masters.campaigns.freeShipping')}</Badge> : null}
              {c.discountAmount > 0 ? (
                <Badge color="orange">{t('masters.campaigns.discountBadge', { amount: yen(c.discountAmount) })}</Badge>
              ) : null}
              {c.prices.length > 0 ? (
                <Badge color="grape">{t('masters.campaigns.pricesBadge', { count: c.prices.length })}</Badge>
              ) : null}
              {c.presents.length > 0 ? (
                <Badge color="pink">{t('masters.campaigns.presentsBadge', { count: c.presents.length })}</Badge>
              ) : null}
              {c.firstOrderOnly ? <Badge color="gray">{t('masters.campaigns.firstOrderOnly')}</Badge> : null}
            </Group>
          ),
        },
        activeColumn<Campaign>(t),
      ],
      fields: [
        { kind: 'text', name: 'code', label: t('masters.common.code'), required: true, span: 3, maxLength: 20 },
        { kind: 'text', name: 'name', label: t('masters.common.name'), required: true, span: 5, maxLength: 100 },
        { kind: 'date', name: 'startsOn', label: t('masters.campaigns.startsOn'), required: true, span: 2 },
        { kind: 'date', name: 'endsOn', label: t('masters.campaigns.endsOn'), required: true, span: 2 },
        {
          kind: 'ref',
          name: 'adMediumId',
          label: t('masters.campaigns.adMedium'),
          span: 3,
          ref: { path: CATALOGUE_PATHS.adMedia, label: (m) => `${String(m.code)} ${String(m.name)}` },
        },
        {
          kind: 'ref',
          name: 'rankId',
          label: t('masters.campaigns.rank'),
          span: 3,
          ref: { path: '/ranks', searchParam: null, label: (r) => String(r.name) },
        },
        { kind: 'yen', name: 'minAmount', label: t('masters.campaigns.minAmount'), span: 3 },
        { kind: 'bool', name: 'firstOrderOnly', label: t('masters.campaigns.firstOrderOnly'), span: 3 },
        { kind: 'yen', name: 'discountAmount', label: t('masters.campaigns.discountAmount'), span: 3 },
        { kind: 'bool', name: 'freeShipping', label: t('masters.campaigns.freeShipping'), span: 3 },
        {
          kind: 'bool',
          name: 'automatic',
          label: t('masters.campaigns.automatic'),
          span: 3,
          description: t('masters.campaigns.automaticHint'),
        },
        { kind: 'bool', name: 'active', label: t('masters.common.active'), span: 3 },
        {
          kind: 'rows',
          name: 'prices',
          label: t('masters.campaigns.prices'),
          addLabel: t('masters.campaigns.addPrice'),
          maxRows: 500,
          fields: [
            { kind: 'ref', name: 'productId', label: t('masters.products.product'), ref: productRef, required: true },
            { kind: 'yen', name: 'unitPrice', label: t('masters.campaigns.unitPrice') },
          ],
        },
        {
          kind: 'rows',
          name: 'presents',
          label: t('masters.campaigns.presents'),
          description: t('masters.campaigns.presentsHint'),
          addLabel: t('masters.campaigns.addPresent'),
          maxRows: 100,
          fields: [
            { kind: 'ref', name: 'triggerProductId', label: t('masters.campaigns.trigger'), ref: productRef },
            {
              kind: 'ref',
              name: 'presentProductId',
              label: t('masters.campaigns.present'),
              ref: { ...productRef, query: { kind: 'present' } },
              required: true,
            },
            { kind: 'int', name: 'quantity', label: t('masters.products.quantity'), min: 1, max: 99 },
          ],
        },
        { kind: 'textarea', name: 'note', label: t('masters.common.note'), maxLength: 1000 },
      ],
      toValues: (c) => {
        for (const p of c?.prices ?? []) rememberLabel(p.productId, `${p.code} ${p.name}`);
        for (const p of c?.presents ?? []) rememberLabel(p.presentProductId, `${p.presentCode} ${p.presentName}`);
        return {
          code: c?.code ?? '',
          name: c?.name ?? '',
          startsOn: c?.startsOn ?? '',
          endsOn: c?.endsOn ?? '',
          automatic: c?.automatic ?? false,
          adMediumId: c?.adMediumId ?? '',
          rankId: c?.rankId ?? '',
          firstOrderOnly: c?.firstOrderOnly ?? false,
          minAmount: orEmpty(c?.minAmount),
          freeShipping: c?.freeShipping ?? false,
          discountAmount: c?.discountAmount ?? 0,
          active: c?.active ?? true,
          note: c?.note ?? '',
          prices: (c?.prices ?? []).map((p) => ({ productId: p.productId, unitPrice: p.unitPrice })),
          presents: (c?.presents ?? []).map((p) => ({
            triggerProductId: p.triggerProductId ?? '',
            presentProductId: p.presentProductId,
            quantity: p.quantity,
          })),
        };
      },
      toBody: (v) => ({
        code: text(v.code),
        name: text(v.name),
        startsOn: text(v.startsOn),
        endsOn: text(v.endsOn),
        automatic: Boolean(v.automatic),
        adMediumId: textOrNull(v.adMediumId),
        rankId: textOrNull(v.rankId),
        firstOrderOnly: Boolean(v.firstOrderOnly),
        minAmount: numOrNull(v.minAmount),
        freeShipping: Boolean(v.freeShipping),
        discountAmount: num(v.discountAmount),
        active: Boolean(v.active),
        note: textOrNull(v.note),
        prices: rowsOf(v.prices)
          .filter((p) => text(p.productId))
          .map((p) => ({ productId: text(p.productId), unitPrice: num(p.unitPrice) })),
        presents: rowsOf(v.presents)
          .filter((p) => text(p.presentProductId))
          .map((p) => ({
            triggerProductId: textOrNull(p.triggerProductId),
            presentProductId: text(p.presentProductId),
            quantity: num(p.quantity, 1),
          })),
      }),
    }),
    [t],
  );
}
