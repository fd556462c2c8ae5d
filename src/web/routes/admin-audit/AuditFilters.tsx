import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Group, Paper, Select, SimpleGrid, TextInput } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useMemo } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { useUserDirectory } from '../../api/userDirectory';
import { FnButton } from '../../components/fkeys';

export interface AuditFilterValues {
  actorId: string;
  objectType: string;
  objectId: string;
  action: string;
  from: string;
  to: string;
}

export const EMPTY_FILTERS: AuditFilterValues = {
  actorId: '',
  objectType: '',
  objectId: '',
  action: '',
  from: '',
  to: '',
};

/** Filter bar; Enter or F3 applies, the parent keeps the applied values. */
export function AuditFilters({
  value,
  onApply,
}: {
  value: AuditFilterValues;
  onApply: (next: AuditFilterValues) => void;
}) {
  const { t } = useTranslation();
  const { users } = useUserDirectory();
  const schema = useMemo(
    () =>
      z
        .object({
          actorId: z.string(),
          objectType: z.string().trim(),
          objectId: z.string().trim(),
          action: z.string().trim(),
          from: z.string(),
          to: z.string(),
        })
        .refine((v) => !v.from || !v.to || v.from <= v.to, { path: ['to'], message: t('validation.dateRange') }),
    [t],
  );
  const { register, control, handleSubmit, reset, formState } = useForm<AuditFilterValues>({
    resolver: zodResolver(schema),
    values: value,
  });

  const userOptions = users.map((user) => ({
    value: user.id,
    label: `${user.name} <${user.email}>`,
  }));

  return (
    <Paper withBorder p="xs" mb="xs">
      <form onSubmit={handleSubmit(onApply)} noValidate>
        <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing={6} verticalSpacing={6}>
          <Controller
            control={control}
            name="actorId"
            render={({ field }) => (
              <Select
                label={t('audit.actor')}
                data={userOptions}
                searchable
                clearable
                allowDeselect
                value={field.value || null}
                onChange={(next) => field.onChange(next ?? '')}
                data-testid="audit-filter-actor"
              />
            )}
          />
          <TextInput label={t('audit.objectType')} data-testid="audit-filter-object-type" {...register('objectType')} />
          <TextInput label={t('audit.objectId')} data-testid="audit-filter-object-id" {...register('objectId')} />
          <TextInput label={t('audit.action')} data-testid="audit-filter-action" {...register('action')} />
          <Controller
            control={control}
            name="from"
            render={({ field }) => (
              <DatePickerInput
                label={t('audit.from')}
                clearable
                value={field.value || null}
                onChange={(next) => field.onChange(next ?? '')}
                data-testid="audit-filter-from"
              />
            )}
          />
          <Controller
            control={control}
            name="to"
            render={({ field }) => (
              <DatePickerInput
                label={t('audit.to')}
                clearable
                value={field.value || null}
                onChange={(next) => field.onChange(next ?? '')}
                error={formState.errors.to?.message}
                data-testid="audit-filter-to"
              />
            )}
          />
        </SimpleGrid>
        <Group gap={6} mt={6}>
          <FnButton fkey="F3" type="submit" testid="audit-search">
            {t('audit.apply')}
          </FnButton>
          <Button
            variant="default"
            onClick={() => {
              reset(EMPTY_FILTERS);
              onApply(EMPTY_FILTERS);
            }}
            data-testid="audit-reset"
          >
            {t('audit.reset')}
          </Button>
        </Group>
      </form>
    </Paper>
  );
}
