import { Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/client';
import { FormAlert } from './FormAlert';
import { FnButton } from './fkeys';

interface Props {
  opened: boolean;
  title: string;
  message: string;
  confirmLabel: string;
  color?: string;
  testid: string;
  onClose: () => void;
  /** Throws an ApiError on failure; field errors on "password" show under the field. */
  onSubmit: (password: string) => Promise<void>;
}

/** Asks for the user's password again before a sensitive change. */
export function PasswordPromptModal({ opened, title, message, confirmLabel, color, testid, onClose, onSubmit }: Props) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const close = () => {
    setPassword('');
    setFieldError(null);
    setProblem(null);
    onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!password) {
      setFieldError(t('validation.required'));
      return;
    }
    setBusy(true);
    setProblem(null);
    setFieldError(null);
    try {
      await onSubmit(password);
      close();
    } catch (error) {
      const onField = isApiError(error) ? error.errors.find((e) => e.path.endsWith('password')) : undefined;
      if (onField) setFieldError(onField.message);
      else setProblem(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={close} title={title}>
      <form onSubmit={submit} noValidate>
        <Stack gap="xs">
          <Text size="sm">{message}</Text>
          <FormAlert error={problem} />
          <PasswordInput
            label={t('password.current')}
            autoComplete="current-password"
            data-autofocus
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
            error={fieldError}
            data-testid={`${testid}-password`}
          />
          <Group justify="flex-end" gap={6}>
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <FnButton fkey="F1" type="submit" color={color} loading={busy} testid={`${testid}-submit`}>
              {confirmLabel}
            </FnButton>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
