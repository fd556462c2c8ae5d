import { zodResolver } from '@hookform/resolvers/zod';
import { PasswordInput, Stack } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { api } from '../../api/client';
import { applyApiErrors } from '../../lib/forms';
import { notifySuccess } from '../../lib/notify';
import { FormAlert } from '../FormAlert';
import { FnButton } from '../fkeys';

const FIELDS = ['currentPassword', 'newPassword', 'confirm'] as const;

/** Current + new password (twice); F1 submits. Used by the account screen and the forced change. */
export function PasswordChangeForm({ onDone }: { onDone?: () => void | Promise<void> }) {
  const { t } = useTranslation();
  const [problem, setProblem] = useState<unknown>(null);
  const schema = useMemo(
    () =>
      z
        .object({
          currentPassword: z.string().min(1, t('validation.required')),
          newPassword: z.string().min(8, t('validation.passwordMin')).max(200),
          confirm: z.string().min(1, t('validation.required')),
        })
        .refine((v) => v.newPassword === v.confirm, { path: ['confirm'], message: t('password.mismatch') })
        .refine((v) => v.newPassword !== v.currentPassword, {
          path: ['newPassword'],
          message: t('password.sameAsCurrent'),
        }),
    [t],
  );
  type Values = z.infer<typeof schema>;
  const { register, handleSubmit, setError, reset, formState } = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { currentPassword: '', newPassword: '', confirm: '' },
  });
  const { errors, isSubmitting } = formState;

  const onSubmit = async (values: Values) => {
    setProblem(null);
    try {
      await api.post<void>('/auth/password', {
        currentPassword: values.currentPassword,
        newPassword: values.newPassword,
      });
      reset();
      notifySuccess(t('password.changed'));
      await onDone?.();
    } catch (error) {
      if (!applyApiErrors(error, setError, FIELDS)) setProblem(error);
    }
  };

  return (
    <form onSubmit={handleSubmit(onSubmit)} noValidate>
      <Stack gap="xs" maw={360}>
        <FormAlert error={problem} />
        <PasswordInput
          label={t('password.current')}
          autoComplete="current-password"
          autoFocus
          error={errors.currentPassword?.message}
          data-testid="pwchange-current"
          {...register('currentPassword')}
        />
        <PasswordInput
          label={t('password.new')}
          autoComplete="new-password"
          error={errors.newPassword?.message}
          data-testid="pwchange-new"
          {...register('newPassword')}
        />
        <PasswordInput
          label={t('password.confirm')}
          autoComplete="new-password"
          error={errors.confirm?.message}
          data-testid="pwchange-confirm"
          {...register('confirm')}
        />
        <div>
          <FnButton fkey="F1" type="submit" loading={isSubmitting} testid="pwchange-submit">
            {t('password.submit')}
          </FnButton>
        </div>
      </Stack>
    </form>
  );
}
