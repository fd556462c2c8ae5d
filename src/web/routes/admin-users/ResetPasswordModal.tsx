import { Button, Group, Modal, PasswordInput, Stack } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import type { User } from '../../api/types';
import { FormAlert } from '../../components/FormAlert';
import { FnButton } from '../../components/fkeys';
import { notifySuccess } from '../../lib/notify';
import { useUserMutations } from './usersApi';

function ResetForm({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const { resetPassword } = useUserMutations();
  const error = resetPassword.error;
  const onField = isApiError(error) ? error.errors.find((e) => e.path.endsWith('password')) : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (password.length < 8) {
      setFieldError(t(password ? 'validation.passwordMin' : 'validation.required'));
      return;
    }
    setFieldError(null);
    resetPassword.mutate(
      { id: user.id, password },
      {
        onSuccess: () => {
          notifySuccess(t('users.resetDone'));
          onClose();
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="xs">
        <FormAlert error={onField ? null : error} />
        <PasswordInput
          label={t('users.newPassword')}
          description={t('users.passwordHelp')}
          autoComplete="new-password"
          data-autofocus
          value={password}
          onChange={(event) => setPassword(event.currentTarget.value)}
          error={fieldError ?? onField?.message}
          data-testid="user-reset-password"
        />
        <Group justify="flex-end" gap={6}>
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <FnButton fkey="F1" type="submit" loading={resetPassword.isPending} testid="user-reset-submit">
            {t('common.save')}
          </FnButton>
        </Group>
      </Stack>
    </form>
  );
}

export function ResetPasswordModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={user !== null} onClose={onClose} title={t('users.resetTitle', { name: user?.name ?? '' })} size="sm">
      {user ? <ResetForm user={user} onClose={onClose} /> : null}
    </Modal>
  );
}
