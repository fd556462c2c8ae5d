import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Group, Modal, PasswordInput, Select, Stack, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { ROLES } from '../../api/types';
import { FormAlert } from '../../components/FormAlert';
import { FnButton } from '../../components/fkeys';
import { RoleSelect } from '../../components/forms/RoleSelect';
import { LOCALES } from '../../i18n';
import { applyApiErrors } from '../../lib/forms';
import { notifySuccess } from '../../lib/notify';
import { createUser, usersKey } from './usersApi';

const FIELDS = ['email', 'name', 'role', 'password', 'locale'] as const;

export function CreateUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<unknown>(null);
  const schema = useMemo(
    () =>
      z.object({
        email: z.string().trim().email(t('validation.email')),
        name: z.string().trim().min(1, t('validation.required')).max(100),
        role: z.enum(ROLES),
        password: z.string().min(8, t('validation.passwordMin')).max(200),
        locale: z.enum(['ja', 'en']),
      }),
    [t],
  );
  type Values = z.infer<typeof schema>;
  const { register, control, handleSubmit, setError, reset, formState } = useForm<Values>({
    resolver: zodResolver(schema),
    defaultValues: { email: '', name: '', role: 'operator', password: '', locale: 'ja' },
  });
  const { errors, isSubmitting } = formState;

  const close = () => {
    reset();
    setProblem(null);
    onClose();
  };

  const onSubmit = async (values: Values) => {
    setProblem(null);
    try {
      await createUser(values);
      await queryClient.invalidateQueries({ queryKey: usersKey });
      notifySuccess(t('users.created'));
      close();
    } catch (error) {
      if (!applyApiErrors(error, setError, FIELDS)) setProblem(error);
    }
  };

  return (
    <Modal opened={opened} onClose={close} title={t('users.createTitle')}>
      <form onSubmit={handleSubmit(onSubmit)} noValidate>
        <Stack gap="xs">
          <FormAlert error={problem} />
          <TextInput
            label={t('users.email')}
            type="email"
            autoComplete="off"
            data-autofocus
            withAsterisk
            error={errors.email?.message}
            data-testid="user-form-email"
            {...register('email')}
          />
          <TextInput
            label={t('users.name')}
            withAsterisk
            error={errors.name?.message}
            data-testid="user-form-name"
            {...register('name')}
          />
          <Group grow gap="xs">
            <Controller
              control={control}
              name="role"
              render={({ field }) => (
                <RoleSelect
                  label={t('users.role')}
                  withAsterisk
                  value={field.value}
                  onChange={(value) => value && field.onChange(value)}
                  onBlur={field.onBlur}
                  error={errors.role?.message}
                  data-testid="user-form-role"
                />
              )}
            />
            <Controller
              control={control}
              name="locale"
              render={({ field }) => (
                <Select
                  label={t('users.locale')}
                  data={LOCALES.map((locale) => ({ value: locale, label: t(`locales.${locale}`) }))}
                  value={field.value}
                  onChange={(value) => value && field.onChange(value)}
                  error={errors.locale?.message}
                  data-testid="user-form-locale"
                />
              )}
            />
          </Group>
          <PasswordInput
            label={t('users.password')}
            description={t('users.passwordHelp')}
            autoComplete="new-password"
            withAsterisk
            error={errors.password?.message}
            data-testid="user-form-password"
            {...register('password')}
          />
          <Group justify="flex-end" gap={6} mt={4}>
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <FnButton fkey="F1" type="submit" loading={isSubmitting} testid="user-form-submit">
              {t('common.save')}
            </FnButton>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
