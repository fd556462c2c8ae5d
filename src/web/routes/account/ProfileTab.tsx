import { zodResolver } from '@hookform/resolvers/zod';
import { Input, Stack, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { meQueryKey, useMe } from '../../api/auth';
import { api } from '../../api/client';
import type { Me } from '../../api/types';
import { FormAlert } from '../../components/FormAlert';
import { FnButton } from '../../components/fkeys';
import { LanguageSwitch } from '../../components/LanguageSwitch';
import { applyApiErrors } from '../../lib/forms';
import { notifySuccess } from '../../lib/notify';

export function ProfileTab() {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<unknown>(null);
  const schema = useMemo(() => z.object({ name: z.string().trim().min(1, t('validation.required')).max(100) }), [t]);
  type Values = z.infer<typeof schema>;
  const { register, handleSubmit, setError, formState } = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { name: me.name },
  });

  const onSubmit = async (values: Values) => {
    setProblem(null);
    try {
      const answer = await api.patch<{ user: Partial<Me> }>('/auth/me', { name: values.name });
      queryClient.setQueryData(meQueryKey, { ...me, ...answer.user });
      notifySuccess(t('account.profileSaved'));
    } catch (error) {
      if (!applyApiErrors(error, setError, ['name'])) setProblem(error);
    }
  };

  return (
    <form onSubmit={handleSubmit(onSubmit)} noValidate>
      <Stack gap="xs" maw={360}>
        <FormAlert error={problem} />
        <Input.Wrapper label={t('account.email')}>
          <Text size="sm" data-testid="profile-email">
            {me.email}
          </Text>
        </Input.Wrapper>
        <Input.Wrapper label={t('account.role')}>
          <Text size="sm">{t(`roles.${me.role}`)}</Text>
        </Input.Wrapper>
        <TextInput
          label={t('account.name')}
          error={formState.errors.name?.message}
          data-testid="profile-name"
          {...register('name')}
        />
        <Input.Wrapper label={t('account.language')}>
          <div>
            <LanguageSwitch testid="profile-locale" />
          </div>
        </Input.Wrapper>
        <div>
          <FnButton fkey="F1" type="submit" loading={formState.isSubmitting} testid="profile-save">
            {t('common.save')}
          </FnButton>
        </div>
      </Stack>
    </form>
  );
}
