import { Button, Group, Paper, SimpleGrid, Stack, Title } from '@mantine/core';
import { IconDeviceFloppy } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { FormAlert } from '../../components/FormAlert';
import { type FieldErrors, FieldGrid } from '../../components/master/FieldInput';
import { placeErrors } from '../../components/master/MasterEditModal';
import type { FieldDef, FormValues } from '../../components/master/types';
import { notifySuccess } from '../../lib/notify';
import { carrierOptions, num, text, textOrNull } from '../masters/common';

/** The order desk's part of GET/PATCH /settings (tenants.settings). */
export interface OrderSettings {
  tax: { priceMode: 'included' | 'excluded'; rounding: 'floor' | 'round' | 'ceil' };
  orders: { preparationDays: number; defaultCarrier: string };
  invoice: { registrationNumber: string | null; issuerName: string; issuerAddress: string; issuerPhone: string };
  subscriptions: { leadDays: number };
}

const GROUPS = ['tax', 'orders', 'invoice', 'subscriptions'] as const;

function toValues(s: Partial<OrderSettings>): FormValues {
  return {
    'tax.priceMode': s.tax?.priceMode ?? 'included',
    'tax.rounding': s.tax?.rounding ?? 'floor',
    'orders.preparationDays': s.orders?.preparationDays ?? 1,
    'orders.defaultCarrier': s.orders?.defaultCarrier ?? 'yamato',
    'invoice.registrationNumber': s.invoice?.registrationNumber ?? '',
    'invoice.issuerName': s.invoice?.issuerName ?? '',
    'invoice.issuerAddress': s.invoice?.issuerAddress ?? '',
    'invoice.issuerPhone': s.invoice?.issuerPhone ?? '',
    'subscriptions.leadDays': s.subscriptions?.leadDays ?? 7,
  };
}

/**
 * 消費税・受注・インボイス・定期 settings: price mode and rounding, preparation days, default
 * carrier, the qualified-invoice issuer and the subscription lead days; saved on their own.
 */
export function OrderSettingsForm({ settings }: { settings: Partial<OrderSettings> }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const initial = useMemo(() => toValues(settings), [settings]);
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  useEffect(() => setValues(initial), [initial]);

  const sections: { title: string; fields: FieldDef[] }[] = [
    {
      title: t('orderSettings.tax'),
      fields: [
        {
          kind: 'select',
          name: 'tax.priceMode',
          label: t('orderSettings.priceMode'),
          options: [
            { value: 'included', label: t('orderSettings.priceIncluded') },
            { value: 'excluded', label: t('orderSettings.priceExcluded') },
          ],
        },
        {
          kind: 'select',
          name: 'tax.rounding',
          label: t('orderSettings.rounding'),
          options: [
            { value: 'floor', label: t('orderSettings.roundingFloor') },
            { value: 'round', label: t('orderSettings.roundingRound') },
            { value: 'ceil', label: t('orderSettings.roundingCeil') },
          ],
        },
      ],
    },
    {
      title: t('orderSettings.orders'),
      fields: [
        { kind: 'int', name: 'orders.preparationDays', label: t('orderSettings.preparationDays'), min: 0, max: 30 },
        {
          kind: 'select',
          name: 'orders.defaultCarrier',
          label: t('orderSettings.defaultCarrier'),
          options: carrierOptions(t),
        },
        { kind: 'int', name: 'subscriptions.leadDays', label: t('orderSettings.leadDays'), min: 0, max: 60, span: 12 },
      ],
    },
    {
      title: t('orderSettings.invoice'),
      fields: [
        {
          kind: 'text',
          name: 'invoice.registrationNumber',
          label: t('orderSettings.registrationNumber'),
          description: t('orderSettings.registrationHint'),
          maxLength: 14,
        },
        { kind: 'text', name: 'invoice.issuerName', label: t('orderSettings.issuerName'), maxLength: 100 },
        {
          kind: 'text',
          name: 'invoice.issuerAddress',
          label: t('orderSettings.issuerAddress'),
          maxLength: 200,
          span: 8,
        },
        { kind: 'text', name: 'invoice.issuerPhone', label: t('orderSettings.issuerPhone'), maxLength: 40, span: 4 },
      ],
    },
  ];

  const save = async () => {
    setSaving(true);
    setErrors({});
    setProblem(null);
    const v = values;
    try {
      await api.patch('/settings', {
        tax: { priceMode: v['tax.priceMode'], rounding: v['tax.rounding'] },
        orders: { preparationDays: num(v['orders.preparationDays']), defaultCarrier: v['orders.defaultCarrier'] },
        invoice: {
          registrationNumber: textOrNull(v['invoice.registrationNumber']),
          issuerName: text(v['invoice.issuerName']),
          issuerAddress: text(v['invoice.issuerAddress']),
          issuerPhone: text(v['invoice.issuerPhone']),
        },
        subscriptions: { leadDays: num(v['subscriptions.leadDays']) },
      });
      await queryClient.invalidateQueries({ queryKey: ['settings'] });
      notifySuccess(t('settings.saved'));
    } catch (error) {
      // Server paths are "invoice.registrationNumber": the field names here are the same.
      const { placed, rest } = placeErrors(error, GROUPS);
      setErrors(placed);
      if (rest) setProblem(error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
      data-testid="order-settings"
    >
      <Stack gap="sm" mt="sm">
        <FormAlert error={problem} />
        <SimpleGrid cols={{ base: 1, md: 3 }} spacing="sm">
          {sections.map((section) => (
            <Paper withBorder p="sm" key={section.title}>
              <Title order={2} mb={4}>
                {section.title}
              </Title>
              <FieldGrid
                fields={section.fields}
                values={values}
                setValue={(name, value) => setValues((current) => ({ ...current, [name]: value }))}
                errors={errors}
                testid="order-settings"
                isNew={false}
              />
            </Paper>
          ))}
        </SimpleGrid>
        <Group justify="flex-end">
          <Button
            type="submit"
            loading={saving}
            leftSection={<IconDeviceFloppy size={14} />}
            data-testid="order-settings-save"
          >
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
