import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Group, Modal, NativeSelect, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { type Case, casesKey, escalate, groupsQuery, useStaffDirectory } from '../../api/cases';
import { type Interaction, interactionsKey } from '../../api/interactions';
import { notificationsKey } from '../../api/notifications';
import { FormAlert } from '../../components/FormAlert';
import { FnButton } from '../../components/fkeys';
import { applyApiErrors, renameErrorPaths } from '../../lib/forms';
import { notifySuccess } from '../../lib/notify';
import { fromTokyoInput, toTokyoInput } from '../../lib/tokyo';

const FIELDS = ['assigneeId', 'groupId', 'due', 'title', 'note'] as const;

/** An hour from now, on the next quarter hour: a sensible first due time. */
function defaultDue(now = Date.now()): string {
  const quarter = 15 * 60_000;
  return toTokyoInput(new Date(Math.ceil((now + 60 * 60_000) / quarter) * quarter));
}

interface Props {
  interaction: Interaction | null;
  onClose: () => void;
  onDone?: (opened: Case) => void;
}

/** F4 エスカレーション: the interaction becomes a case for a person or group, with a due time and a note. */
export function EscalateModal({ interaction, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { staff } = useStaffDirectory();
  const groups = useQuery(groupsQuery);
  const [problem, setProblem] = useState<unknown>(null);
  const schema = useMemo(
    () =>
      z
        .object({
          assigneeId: z.string(),
          groupId: z.string(),
          due: z.string().refine((v) => fromTokyoInput(v) !== null, t('escalate.dueInvalid')),
          title: z.string().trim().max(200),
          note: z.string().trim().max(4000),
        })
        .refine((v) => v.assigneeId !== '' || v.groupId !== '', {
          message: t('escalate.needOne'),
          path: ['assigneeId'],
        }),
    [t],
  );
  type Values = z.infer<typeof schema>;
  const { register, handleSubmit, setError, reset, formState } = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { assigneeId: '', groupId: '', due: defaultDue(), title: '', note: '' },
  });

  useEffect(() => {
    if (interaction) {
      reset({ assigneeId: '', groupId: '', due: defaultDue(), title: '', note: '' });
      setProblem(null);
    }
  }, [interaction, reset]);

  const onSubmit = async (values: Values) => {
    if (!interaction) return;
    setProblem(null);
    try {
      const opened = await escalate(interaction.id, {
        assigneeId: values.assigneeId || null,
        groupId: values.groupId || null,
        dueAt: fromTokyoInput(values.due) ?? '',
        ...(values.title ? { title: values.title } : {}),
        note: values.note,
      });
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: interactionsKey }),
        queryClient.invalidateQueries({ queryKey: casesKey }),
        queryClient.invalidateQueries({ queryKey: notificationsKey }),
      ]);
      notifySuccess(t('escalate.done', { number: opened.number }));
      onClose();
      onDone?.(opened);
    } catch (error) {
      if (!applyApiErrors(renameErrorPaths(error, { dueAt: 'due' }), setError, FIELDS)) setProblem(error);
    }
  };

  const subject = interaction ? interaction.subject || interaction.body.split('\n')[0] || interaction.kindName : '';
  return (
    <Modal opened={interaction !== null} onClose={onClose} title={`F4 ${t('escalate.title')}`} size="lg">
      <form onSubmit={handleSubmit(onSubmit)} noValidate data-testid="escalate-modal">
        <Stack gap="xs">
          <Text size="xs" c="dimmed">
            {t('escalate.lead', { subject })}
          </Text>
          <FormAlert error={problem} />
          <Group grow gap="xs" align="flex-start">
            <NativeSelect
              label={t('escalate.assignee')}
              data-autofocus
              data={[{ value: '', label: t('escalate.none') }, ...staff.map((s) => ({ value: s.id, label: s.name }))]}
              error={formState.errors.assigneeId?.message}
              data-testid="escalate-assignee"
              {...register('assigneeId')}
            />
            <NativeSelect
              label={t('escalate.group')}
              data={[
                { value: '', label: t('escalate.none') },
                ...(groups.data?.items ?? []).map((g) => ({ value: g.id, label: g.name })),
              ]}
              error={formState.errors.groupId?.message}
              data-testid="escalate-group"
              {...register('groupId')}
            />
          </Group>
          <TextInput
            type="datetime-local"
            label={t('escalate.due')}
            withAsterisk
            w={220}
            error={formState.errors.due?.message}
            data-testid="escalate-due"
            {...register('due')}
          />
          <TextInput
            label={t('escalate.caseTitle')}
            placeholder={subject}
            description={t('escalate.titleHint')}
            error={formState.errors.title?.message}
            data-testid="escalate-title"
            {...register('title')}
          />
          <Textarea
            label={t('escalate.note')}
            autosize
            minRows={3}
            maxRows={8}
            error={formState.errors.note?.message}
            data-testid="escalate-note"
            {...register('note')}
          />
          <Group justify="flex-end" gap={6}>
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <FnButton fkey="F1" type="submit" color="red" loading={formState.isSubmitting} testid="escalate-submit">
              {t('escalate.submit')}
            </FnButton>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
