import { Button, Group, Modal, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormAlert } from './FormAlert';
import { FnButton } from './fkeys';

interface Props {
  opened: boolean;
  title: string;
  message: string;
  confirmLabel: string;
  color?: string;
  onClose: () => void;
  /** May throw; the problem is shown in the dialog and it stays open. */
  onConfirm: () => Promise<void>;
}

/** Yes/no for a consequential action; F1 or Enter confirms, Esc cancels. */
export function ConfirmModal({ opened, title, message, confirmLabel, color = 'red', onClose, onConfirm }: Props) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);

  const close = () => {
    setProblem(null);
    onClose();
  };

  const confirm = async () => {
    setBusy(true);
    setProblem(null);
    try {
      await onConfirm();
      close();
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={close} title={title} size="sm">
      <Text size="sm" mb="sm" data-testid="confirm-message">
        {message}
      </Text>
      <FormAlert error={problem} />
      <Group justify="flex-end" gap={6} mt="xs">
        <Button variant="default" onClick={close} data-testid="confirm-cancel">
          {t('common.cancel')}
        </Button>
        <FnButton fkey="F1" color={color} loading={busy} onClick={confirm} data-autofocus testid="confirm-ok">
          {confirmLabel}
        </FnButton>
      </Group>
    </Modal>
  );
}
