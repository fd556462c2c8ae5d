import { ActionIcon, Menu } from '@mantine/core';
import {
  IconDots,
  IconHeartbeat,
  IconKey,
  IconLockOpen,
  IconUserCheck,
  IconUserCog,
  IconUserOff,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../api/types';
import { isFuture } from '../../lib/datetime';

export type UserAction = 'role' | 'reset' | 'deactivate' | 'reactivate' | 'unlock' | 'karte';

interface Props {
  user: User;
  isSelf: boolean;
  onAction: (action: UserAction, user: User) => void;
}

/** The row's "…" menu; the page owns the dialogs so a long list stays light. */
export function UserRowMenu({ user, isSelf, onAction }: Props) {
  const { t } = useTranslation();
  return (
    <Menu>
      <Menu.Target>
        <ActionIcon
          color="gray"
          aria-label={`${t('common.actions')}: ${user.name}`}
          data-testid={`user-actions-${user.id}`}
        >
          <IconDots size={16} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item
          leftSection={<IconUserCog size={14} />}
          disabled={isSelf}
          onClick={() => onAction('role', user)}
          data-testid="user-action-role"
        >
          {t('users.changeRole')}
        </Menu.Item>
        <Menu.Item
          leftSection={<IconKey size={14} />}
          onClick={() => onAction('reset', user)}
          data-testid="user-action-reset"
        >
          {t('users.resetPassword')}
        </Menu.Item>
        {/* Admins and supervisors see kartes by role; operators only with this grant. */}
        {user.role === 'operator' ? (
          <Menu.Item
            leftSection={<IconHeartbeat size={14} />}
            onClick={() => onAction('karte', user)}
            data-testid="user-action-karte"
          >
            {t('karteGrant.title')}
          </Menu.Item>
        ) : null}
        {isFuture(user.lockedUntil) ? (
          <Menu.Item
            leftSection={<IconLockOpen size={14} />}
            onClick={() => onAction('unlock', user)}
            data-testid="user-action-unlock"
          >
            {t('users.unlock')}
          </Menu.Item>
        ) : null}
        <Menu.Divider />
        {user.active ? (
          <Menu.Item
            color="red"
            leftSection={<IconUserOff size={14} />}
            disabled={isSelf}
            onClick={() => onAction('deactivate', user)}
            data-testid="user-action-deactivate"
          >
            {t('users.deactivate')}
          </Menu.Item>
        ) : (
          <Menu.Item
            leftSection={<IconUserCheck size={14} />}
            onClick={() => onAction('reactivate', user)}
            data-testid="user-action-reactivate"
          >
            {t('users.reactivate')}
          </Menu.Item>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}
