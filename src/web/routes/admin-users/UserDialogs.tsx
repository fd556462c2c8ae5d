import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../api/types';
import { ConfirmModal } from '../../components/ConfirmModal';
import { notifyError, notifySuccess } from '../../lib/notify';
import { KarteGrantModal } from './KarteGrantModal';
import { ResetPasswordModal } from './ResetPasswordModal';
import { RoleModal } from './RoleModal';
import type { UserAction } from './UserRowMenu';
import { useUserMutations } from './usersApi';

/** One set of dialogs for the whole list; returns the element and the row action handler. */
export function useUserDialogs() {
  const { t } = useTranslation();
  const [open, setOpen] = useState<{ action: 'role' | 'reset' | 'deactivate' | 'karte'; user: User } | null>(null);
  const { update, unlock } = useUserMutations();
  const close = () => setOpen(null);

  const onAction = (action: UserAction, user: User) => {
    if (action === 'reactivate') {
      update.mutate(
        { id: user.id, active: true },
        { onSuccess: () => notifySuccess(t('users.reactivated')), onError: notifyError },
      );
    } else if (action === 'unlock') {
      unlock.mutate(user.id, { onSuccess: () => notifySuccess(t('users.unlocked')), onError: notifyError });
    } else {
      setOpen({ action, user });
    }
  };

  const target = open?.user ?? null;
  const dialogs = (
    <>
      <RoleModal user={open?.action === 'role' ? target : null} onClose={close} />
      <ResetPasswordModal user={open?.action === 'reset' ? target : null} onClose={close} />
      <KarteGrantModal user={open?.action === 'karte' ? target : null} onClose={close} />
      <ConfirmModal
        opened={open?.action === 'deactivate'}
        title={t('users.deactivate')}
        message={t('users.deactivateConfirm', { name: target?.name ?? '' })}
        confirmLabel={t('users.deactivate')}
        onClose={close}
        onConfirm={async () => {
          if (!target) return;
          await update.mutateAsync({ id: target.id, active: false });
          notifySuccess(t('users.deactivated'));
        }}
      />
    </>
  );
  return { dialogs, onAction };
}
