import { zodResolver } from '@hookform/resolvers/zod';
import { Alert, Group, Paper, SimpleGrid, Stack, Text, Textarea } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { isApiError } from '../../api/client';
import { type Karte, karteQuery, putKarte } from '../../api/customers';
import { FormAlert } from '../../components/FormAlert';
import { FnButton } from '../../components/fkeys';
import { QueryState } from '../../components/QueryState';
import { formatDateTime } from '../../lib/datetime';
import { applyApiErrors } from '../../lib/forms';
import { notifySuccess } from '../../lib/notify';

const FIELDS = ['conditions', 'allergies', 'medication', 'notes'] as const;
const schema = z.object({
  conditions: z.string().trim().max(2000),
  allergies: z.string().trim().max(2000),
  medication: z.string().trim().max(2000),
  notes: z.string().trim().max(4000),
});
type Values = z.infer<typeof schema>;

function KarteForm({ karte }: { karte: Karte }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<unknown>(null);
  const values = useMemo(
    () => ({
      conditions: karte.conditions ?? '',
      allergies: karte.allergies ?? '',
      medication: karte.medication ?? '',
      notes: karte.notes ?? '',
    }),
    [karte],
  );
  const { register, handleSubmit, setError, formState } = useForm<Values>({ resolver: zodResolver(schema), values });

  const onSubmit = async (v: Values) => {
    setProblem(null);
    try {
      const saved = await putKarte(
        karte.customerId,
        {
          conditions: v.conditions || null,
          allergies: v.allergies || null,
          medication: v.medication || null,
          notes: v.notes || null,
        },
        karte.version > 0 ? `"${karte.version}"` : undefined,
      );
      queryClient.setQueryData(karteQuery(karte.customerId).queryKey, saved);
      notifySuccess(t('karte.saved'));
    } catch (error) {
      if (isApiError(error) && error.status === 412) setProblem(error);
      else if (!applyApiErrors(error, setError, FIELDS)) setProblem(error);
    }
  };

  const area = (name: (typeof FIELDS)[number], rows = 3) => (
    <Textarea
      label={t(`karte.${name}`)}
      autosize
      minRows={rows}
      maxRows={10}
      error={formState.errors[name]?.message}
      data-testid={`karte-${name}`}
      {...register(name)}
    />
  );

  return (
    <form onSubmit={handleSubmit(onSubmit)} noValidate data-testid="karte-form">
      <Stack gap="xs">
        <FormAlert error={problem} />
        <SimpleGrid cols={{ base: 1, md: 3 }} spacing="xs">
          {area('conditions')}
          {area('allergies')}
          {area('medication')}
        </SimpleGrid>
        {area('notes', 4)}
        <Group justify="space-between">
          <Text size="xs" c="dimmed" data-testid="karte-updated">
            {karte.updatedAt
              ? t('karte.updated', { at: formatDateTime(karte.updatedAt), by: karte.updatedBy ?? '' })
              : t('karte.never')}
          </Text>
          <FnButton fkey="F1" type="submit" loading={formState.isSubmitting} testid="karte-submit">
            {t('common.save')}
          </FnButton>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * カルテ (要配慮個人情報): shown only to users with karte access; fetched when the tab opens
 * (each read is audited on the server) and never kept in the cache after.
 */
export function KarteTab({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const karte = useQuery(karteQuery(customerId));
  return (
    <Paper withBorder p="xs" style={{ borderColor: 'var(--mantine-color-grape-5)', borderWidth: 2 }}>
      <Alert
        color="grape"
        variant="light"
        p="xs"
        mb="xs"
        icon={<IconLock size={16} />}
        title={t('karte.sensitive')}
        data-testid="karte-sensitive-banner"
      >
        {t('karte.sensitiveLead')}
      </Alert>
      {karte.data ? (
        <KarteForm karte={karte.data} />
      ) : (
        <QueryState error={karte.error} onRetry={() => void karte.refetch()} />
      )}
    </Paper>
  );
}
