import { zodResolver } from '@hookform/resolvers/zod';
import { Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useFieldArray, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { meQueryKey } from '../../api/auth';
import { api } from '../../api/client';
import type { TenantSettings } from '../../api/types';
import { FormAlert } from '../../components/FormAlert';
import { FnButton } from '../../components/fkeys';
import { PageHeader } from '../../components/PageHeader';
import { QueryState } from '../../components/QueryState';
import { applyApiErrors } from '../../lib/forms';
import { notifySuccess } from '../../lib/notify';
import { ClosingDaysEditor } from './ClosingDaysEditor';
import { NationalHolidays } from './NationalHolidays';
import { type OrderSettings, OrderSettingsForm } from './OrderSettingsForm';

const settingsKey = ['settings'] as const;

function makeSchema(required: string) {
  return z.object({
    name: z.string().trim().min(1, required).max(200),
    closingDays: z.array(z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), note: z.string().trim().max(100) })),
  });
}
export type SettingsValues = z.infer<ReturnType<typeof makeSchema>>;

function toValues(settings: TenantSettings): SettingsValues {
  return {
    name: settings.name,
    closingDays: settings.closingDays.map((day) => ({ date: day.date, note: day.note ?? '' })),
  };
}

function SettingsForm({ settings }: { settings: TenantSettings }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<unknown>(null);
  const schema = useMemo(() => makeSchema(t('validation.required')), [t]);
  const form = useForm<SettingsValues>({ resolver: zodResolver(schema), values: toValues(settings) });
  const { register, handleSubmit, setError, formState, control } = form;
  const closingDays = useFieldArray({ control, name: 'closingDays' });

  const onSubmit = async (values: SettingsValues) => {
    setProblem(null);
    try {
      const saved = await api.patch<TenantSettings>('/settings', values);
      queryClient.setQueryData(settingsKey, saved);
      await queryClient.invalidateQueries({ queryKey: meQueryKey });
      await queryClient.invalidateQueries({ queryKey: ['calendar'] });
      notifySuccess(t('settings.saved'));
    } catch (error) {
      if (!applyApiErrors(error, setError, ['name', 'closingDays'])) setProblem(error);
    }
  };

  return (
    <form onSubmit={handleSubmit(onSubmit)} noValidate>
      <PageHeader title={t('settings.title')}>
        {formState.isDirty ? (
          <Text size="xs" c="orange.8" data-testid="settings-unsaved">
            {t('settings.unsaved')}
          </Text>
        ) : null}
        <FnButton fkey="F1" type="submit" loading={formState.isSubmitting} testid="settings-save">
          {t('common.save')}
        </FnButton>
      </PageHeader>
      <Stack gap="sm">
        <FormAlert error={problem} />
        <Paper withBorder p="sm">
          <TextInput
            label={t('settings.tenantName')}
            maw={420}
            withAsterisk
            error={formState.errors.name?.message}
            data-testid="settings-name"
            {...register('name')}
          />
        </Paper>
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
          <Paper withBorder p="sm">
            <Title order={2} mb={4}>
              {t('settings.closingDays')}
            </Title>
            <Text size="xs" c="dimmed" mb={6}>
              {t('settings.closingLead')}
            </Text>
            <ClosingDaysEditor fields={closingDays} register={register} errors={formState.errors.closingDays} />
          </Paper>
          <NationalHolidays />
        </SimpleGrid>
      </Stack>
    </form>
  );
}

export function SettingsPage() {
  const { t } = useTranslation();
  const settings = useQuery({
    queryKey: settingsKey,
    queryFn: ({ signal }) => api.get<TenantSettings>('/settings', undefined, signal),
  });
  if (!settings.data) {
    return (
      <>
        <PageHeader title={t('settings.title')} />
        <QueryState error={settings.error} onRetry={() => void settings.refetch()} />
      </>
    );
  }
  return (
    <>
      <SettingsForm settings={settings.data} />
      <OrderSettingsForm settings={settings.data as Partial<OrderSettings>} />
    </>
  );
}
