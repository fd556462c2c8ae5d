import { Badge } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { CATALOGUE_PATHS, PAYMENT_KINDS, type PaymentMethod } from '../../api/catalogue';
import type { MasterConfig } from '../../components/master/types';
import { activeColumn, num, numOrNull, orEmpty, text, yen } from './common';

/** 支払方法マスタ: 代引き with its fee table by amount, bank transfer, card, 後払い, コンビニ払い. */
export function usePaymentMethodsConfig(): MasterConfig<PaymentMethod> {
  const { t } = useTranslation();
  return useMemo(() => {
    const kindOptions = PAYMENT_KINDS.map((k) => ({ value: k, label: t(`masters.paymentKinds.${k}`) }));
    return {
      id: 'payment-methods',
      title: t('masters.paymentMethods.title'),
      path: CATALOGUE_PATHS.paymentMethods,
      idOf: (m) => m.id,
      nameOf: (m) => m.name,
      search: 'server',
      version: (m) => m.version,
      csv: {
        exportPath: `${CATALOGUE_PATHS.paymentMethods}/export`,
        importPath: `${CATALOGUE_PATHS.paymentMethods}/import`,
      },
      columns: [
        { key: 'code', label: t('masters.common.code'), width: 100, mono: true, render: (m) => m.code },
        { key: 'name', label: t('masters.common.name'), render: (m) => m.name },
        {
          key: 'kind',
          label: t('masters.paymentMethods.kind'),
          width: 120,
          render: (m) => <Badge>{t(`masters.paymentKinds.${m.kind}`)}</Badge>,
        },
        { key: 'fee', label: t('masters.paymentMethods.fee'), width: 90, align: 'right', render: (m) => yen(m.fee) },
        {
          key: 'brackets',
          label: t('masters.paymentMethods.brackets'),
          render: (m) =>
            m.brackets
              .map((b) =>
                b.upTo === null
                  ? t('masters.paymentMethods.bracketRest', { fee: yen(b.fee) })
                  : t('masters.paymentMethods.bracketUpTo', { upTo: yen(b.upTo), fee: yen(b.fee) }),
              )
              .join(' / '),
        },
        {
          key: 'dueDays',
          label: t('masters.paymentMethods.dueDays'),
          width: 80,
          align: 'right',
          render: (m) => (m.dueDays === null ? '' : t('masters.leadDays.daysValue', { count: m.dueDays })),
        },
        activeColumn<PaymentMethod>(t),
      ],
      fields: [
        { kind: 'text', name: 'code', label: t('masters.common.code'), required: true, span: 4, maxLength: 20 },
        { kind: 'text', name: 'name', label: t('masters.common.name'), required: true, span: 8, maxLength: 50 },
        {
          kind: 'select',
          name: 'kind',
          label: t('masters.paymentMethods.kind'),
          required: true,
          span: 4,
          options: kindOptions,
        },
        {
          kind: 'yen',
          name: 'fee',
          label: t('masters.paymentMethods.fee'),
          span: 4,
          description: t('masters.paymentMethods.feeHint'),
        },
        {
          kind: 'int',
          name: 'dueDays',
          label: t('masters.paymentMethods.dueDays'),
          span: 4,
          max: 365,
          description: t('masters.paymentMethods.dueDaysHint'),
        },
        { kind: 'int', name: 'sortOrder', label: t('masters.common.sortOrder'), span: 4 },
        { kind: 'bool', name: 'active', label: t('masters.common.active'), span: 4 },
        {
          kind: 'rows',
          name: 'brackets',
          label: t('masters.paymentMethods.brackets'),
          description: t('masters.paymentMethods.bracketsHint'),
          addLabel: t('masters.paymentMethods.addBracket'),
          maxRows: 50,
          fields: [
            { kind: 'yen', name: 'upTo', label: t('masters.paymentMethods.upTo') },
            { kind: 'yen', name: 'fee', label: t('masters.paymentMethods.fee') },
          ],
        },
      ],
      toValues: (m) => ({
        code: m?.code ?? '',
        name: m?.name ?? '',
        kind: m?.kind ?? 'cod',
        fee: m?.fee ?? 0,
        dueDays: orEmpty(m?.dueDays),
        sortOrder: m?.sortOrder ?? 0,
        active: m?.active ?? true,
        brackets: (m?.brackets ?? []).map((b) => ({ upTo: orEmpty(b.upTo), fee: b.fee })),
      }),
      toBody: (v) => ({
        code: text(v.code),
        name: text(v.name),
        kind: v.kind,
        fee: num(v.fee),
        dueDays: numOrNull(v.dueDays),
        sortOrder: num(v.sortOrder),
        active: Boolean(v.active),
        brackets: (Array.isArray(v.brackets) ? (v.brackets as Record<string, unknown>[]) : []).map((b) => ({
          upTo: numOrNull(b.upTo),
          fee: num(b.fee),
        })),
      }),
    };
  }, [t]);
}
