import { Button, Group, Modal, Stack } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role, User } from '../../api/types';
import { FormAlert } from '../../components/FormAlert';
import { FnButton } from '../../components/fkeys';
import { RoleSelect } from '../../components/forms/RoleSelect';
import { notifySuccess } from '../../lib/notify';
import { useUserMutations } from './usersApi';

interface Props {
  user: User | null;
  onClose: () => void;
}

function RoleForm({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation();
  const [role, setRole] = useState<Role>(user.role);
  const { update } = useUserMutations();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate(
      { id: user.id, role },
      {
        onSuccess: () => {
          notifySuccess(t('users.roleChanged'));
          onClose();
        },
      },
    );
  };

  return (
    <form onSubmit={submit}>
      <Stack gap="xs">
        <FormAlert error={update.error} />
        <RoleSelect
          label={t('users.role')}
          value={role}
          onChange={(value) => value && setRole(value as Role)}
          data-autofocus
          data-testid="user-role-select"
        />
        <Group justify="flex-end" gap={6}>
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <FnButton
            fkey="F1"
            type="submit"
            loading={update.isPending}
            disabled={role === user.role}
            testid="user-role-submit"
          >
            {t('common.save')}
          </FnButton>
        </Group>
      </Stack>
    </form>
  );
}

/** Opened with a user; the form inside starts fresh each time. */
export function RoleModal({ user, onClose }: Props) {
  const { t } = useTranslation();
  return (
    <Modal opened={user !== null} onClose={onClose} title={`${t('users.changeRole')}: ${user?.name ?? ''}`} size="sm">
      {user ? <RoleForm user={user} onClose={onClose} /> : null}
    </Modal>
  );
}
