import { zodResolver } from '@hookform/resolvers/zod';
import { Group, NativeSelect, Paper, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import {
  CASE_STATUSES,
  type Case,
  type CasePatch,
  casesKey,
  groupsQuery,
  updateCase,
  useStaffDirectory,
} from '../../api/cases';
import { isApiError } from '../../api/client';
import { notificationsKey } from '../../api/notifications';
import { FormAlert } from '../../components/FormAlert';
import { FnButton } from '../../components/fkeys';
import { applyApiErrors, renameErrorPaths } from '../../lib/forms';
import { notifySuccess } from '../../lib/notify';
import { fromTokyoInput, toTokyoInput } from '../../lib/tokyo';

const FIELDS = ['status', 'assigneeId', 'groupId', 'due', 'comment'] as const;
const schema = z.object({
  status: z.enum(CASE_STATUSES),
  assigneeId: z.string(),
  groupId: z.string(),
  due: z.string(),
  comment: z.string().trim().max(4000),
});
type Values = z.infer<typeof schema>;

function toValues(c: Case): Values {
  return {
    status: c.status,
    assigneeId: c.assignee?.id ?? '',
    groupId: c.group?.id ?? '',
    due: toTokyoInput(new Date(c.dueAt)),
    comment: '',
  };
}

/** Status, people, due time and a progress note (経過メモ); only what changed is sent; F1 登録. */
export function CaseUpdateForm({ item }: { item: Case }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { staff } = useStaffDirectory();
  const groups = useQuery(groupsQuery);
  const [problem, setProblem] = useState<unknown>(null);
  const values = useMemo(() => toValues(item), [item]);
  const { register, handleSubmit, setError, formState } = useForm<Values>({ resolver: zodResolver(schema), values });

  const onSubmit = async (v: Values) => {
    setProblem(null);
    const patch: CasePatch = {};
    if (v.status !== values.status) patch.status = v.status;
    if (v.assigneeId !== values.assigneeId) patch.assigneeId = v.assigneeId || null;
    if (v.groupId !== values.groupId) patch.groupId = v.groupId || null;
    if (v.due !== values.due) patch.dueAt = fromTokyoInput(v.due) ?? undefined;
    if (v.comment) patch.comment = v.comment;
    if (Object.keys(patch).length === 0) return;
    try {
      const saved = await updateCase(item.id, patch, item.version);
      queryClient.setQueryData([...casesKey, 'one', item.id], saved);
      await queryClient.invalidateQueries({ queryKey: casesKey });
      await queryClient.invalidateQueries({ queryKey: notificationsKey });
      notifySuccess(t('cases.saved'));
    } catch (error) {
      if (isApiError(error) && error.status === 412) setProblem(error);
      else if (!applyApiErrors(renameErrorPaths(error, { dueAt: 'due' }), setError, FIELDS)) setProblem(error);
    }
  };

  const staffOptions = staff.map((s) => ({ value: s.id, label: s.name }));
  if (item.assignee && !staff.some((s) => s.id === item.assignee?.id)) {
    staffOptions.push({ value: item.assignee.id, label: item.assignee.name });
  }

  return (
    <Paper withBorder p="xs">
      <Title order={3} mb={4}>
        {t('cases.update')}
      </Title>
      <form onSubmit={handleSubmit(onSubmit)} noValidate data-testid="case-form">
        <Stack gap={6}>
          <FormAlert error={problem} />
          <Group grow gap="xs" align="flex-start">
            <NativeSelect
              label={t('cases.status')}
              data={CASE_STATUSES.map((s) => ({ value: s, label: t(`cases.statuses.${s}`) }))}
              error={formState.errors.status?.message}
              data-testid="case-form-status"
              {...register('status')}
            />
            <TextInput
              type="datetime-local"
              label={t('cases.due')}
              error={formState.errors.due?.message}
              data-testid="case-form-due"
              {...register('due')}
            />
          </Group>
          <Group grow gap="xs" align="flex-start">
            <NativeSelect
              label={t('cases.assignee')}
              data={[{ value: '', label: t('escalate.none') }, ...staffOptions]}
              error={formState.errors.assigneeId?.message}
              data-testid="case-form-assignee"
              {...register('assigneeId')}
            />
            <NativeSelect
              label={t('cases.group')}
              data={[
                { value: '', label: t('escalate.none') },
                ...(groups.data?.items ?? []).map((g) => ({ value: g.id, label: g.name })),
              ]}
              error={formState.errors.groupId?.message}
              data-testid="case-form-group"
              {...register('groupId')}
            />
          </Group>
          <Textarea
            label={t('cases.comment')}
            description={t('cases.commentHint')}
            autosize
            minRows={3}
            error={formState.errors.comment?.message}
            data-testid="case-form-comment"
            {...register('comment')}
          />
          <Group justify="flex-end">
            <FnButton fkey="F1" type="submit" loading={formState.isSubmitting} testid="case-submit">
              {t('common.save')}
            </FnButton>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
