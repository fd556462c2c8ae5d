import { Badge } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { CATALOGUE_PATHS, type ShippingOrigin } from '../../api/catalogue';
import type { MasterConfig } from '../../components/master/types';
import { activeColumn, carrierOptions, prefectureOptions, text, textOrNull } from './common';

/** 発送元地区: a warehouse with the shipper printed on the label; one is the default. */
export function useOriginsConfig(): MasterConfig<ShippingOrigin> {
  const { t } = useTranslation();
  return useMemo(
    () => ({
      id: 'shipping-origins',
      title: t('masters.origins.title'),
      path: CATALOGUE_PATHS.origins,
      idOf: (o) => o.id,
      nameOf: (o) => o.name,
      search: 'server',
      version: (o) => o.version,
      csv: { exportPath: `${CATALOGUE_PATHS.origins}/export`, importPath: `${CATALOGUE_PATHS.origins}/import` },
      columns: [
        { key: 'code', label: t('masters.common.code'), width: 90, mono: true, render: (o) => o.code },
        {
          key: 'name',
          label: t('masters.common.name'),
          render: (o) => (
            <>
              {o.name}
              {o.isDefault ? (
                <Badge ml={6} color="indigo">
                  {t('masters.origins.default')}
                </Badge>
              ) : null}
            </>
          ),
        },
        { key: 'shipper', label: t('masters.origins.shipperName'), render: (o) => o.shipperName },
        {
          key: 'address',
          label: t('masters.origins.address'),
          render: (o) => `〒${o.postalCode} ${o.prefecture}${o.city}${o.address1}`,
        },
        { key: 'phone', label: t('masters.origins.phone'), width: 120, render: (o) => o.phone },
        {
          key: 'carrier',
          label: t('masters.origins.defaultCarrier'),
          width: 110,
          render: (o) => t(`masters.carriers.${o.defaultCarrier}`),
        },
        activeColumn<ShippingOrigin>(t),
      ],
      fields: [
        { kind: 'text', name: 'code', label: t('masters.common.code'), required: true, span: 3, maxLength: 20 },
        { kind: 'text', name: 'name', label: t('masters.common.name'), required: true, span: 9, maxLength: 100 },
        { kind: 'text', name: 'shipperName', label: t('masters.origins.shipperName'), required: true, maxLength: 100 },
        { kind: 'text', name: 'shipperKana', label: t('masters.origins.shipperKana'), maxLength: 100 },
        {
          kind: 'text',
          name: 'postalCode',
          label: t('masters.origins.postalCode'),
          required: true,
          span: 3,
          maxLength: 8,
        },
        {
          kind: 'select',
          name: 'prefecture',
          label: t('masters.origins.prefecture'),
          required: true,
          span: 3,
          options: prefectureOptions(),
        },
        { kind: 'text', name: 'city', label: t('masters.origins.city'), span: 6, maxLength: 100 },
        { kind: 'text', name: 'address1', label: t('masters.origins.address1'), maxLength: 200 },
        { kind: 'text', name: 'address2', label: t('masters.origins.address2'), maxLength: 200 },
        { kind: 'text', name: 'phone', label: t('masters.origins.phone'), required: true, span: 4, maxLength: 40 },
        {
          kind: 'select',
          name: 'defaultCarrier',
          label: t('masters.origins.defaultCarrier'),
          span: 4,
          options: carrierOptions(t),
        },
        { kind: 'bool', name: 'isDefault', label: t('masters.origins.isDefault'), span: 2 },
        { kind: 'bool', name: 'active', label: t('masters.common.active'), span: 2 },
      ],
      toValues: (o) => ({
        code: o?.code ?? '',
        name: o?.name ?? '',
        shipperName: o?.shipperName ?? '',
        shipperKana: o?.shipperKana ?? '',
        postalCode: o?.postalCode ?? '',
        prefecture: o?.prefecture ?? '',
        city: o?.city ?? '',
        address1: o?.address1 ?? '',
        address2: o?.address2 ?? '',
        phone: o?.phone ?? '',
        defaultCarrier: o?.defaultCarrier ?? 'yamato',
        isDefault: o?.isDefault ?? false,
        active: o?.active ?? true,
      }),
      toBody: (v) => ({
        code: text(v.code),
        name: text(v.name),
        shipperName: text(v.shipperName),
        shipperKana: textOrNull(v.shipperKana),
        postalCode: text(v.postalCode),
        prefecture: text(v.prefecture),
        city: text(v.city),
        address1: text(v.address1),
        address2: textOrNull(v.address2),
        phone: text(v.phone),
        defaultCarrier: v.defaultCarrier,
        isDefault: Boolean(v.isDefault),
        active: Boolean(v.active),
      }),
    }),
    [t],
  );
}
