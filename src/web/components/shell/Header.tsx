import { Burger, Button, Group, Kbd, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { IconLogout, IconSearch } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { logout, meQueryKey, useMe } from '../../api/auth';
import { notifyError, notifySuccess } from '../../lib/notify';
import { LanguageSwitch } from '../LanguageSwitch';
import { palette } from '../palette/store';
import { CallIndicator } from '../telephony/CallIndicator';
import { NotificationsBell } from './NotificationsBell';

export function Header({ navOpened, onToggleNav }: { navOpened: boolean; onToggleNav: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();

  const signOut = async () => {
    try {
      await logout();
    } catch (error) {
      notifyError(error);
    }
    queryClient.setQueryData(meQueryKey, null);
    await navigate({ to: '/login', search: {} });
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'auth' });
    notifySuccess(t('header.signedOut'));
  };

  return (
    <Group h="100%" px="sm" justify="space-between" wrap="nowrap" gap="xs">
      <Group gap="xs" wrap="nowrap" miw={0}>
        <Burger opened={navOpened} onClick={onToggleNav} hiddenFrom="sm" size="sm" aria-label={t('header.menu')} />
        <UnstyledButton component={Link} to="/" fw={700} c="indigo.7" style={{ whiteSpace: 'nowrap' }}>
          {t('app.name')}
        </UnstyledButton>
        <Text size="sm" truncate data-testid="header-tenant" title={me.tenant.name}>
          {me.tenant.name}
        </Text>
      </Group>
      <Group gap="xs" wrap="nowrap">
        <CallIndicator />
        <NotificationsBell />
        <Button
          variant="default"
          leftSection={<IconSearch size={14} />}
          rightSection={<Kbd size="xs">Ctrl K</Kbd>}
          onClick={palette.open}
          data-testid="palette-open"
          visibleFrom="sm"
        >
          {t('header.palette')}
        </Button>
        <LanguageSwitch />
        <Tooltip label={`${me.email} / ${t(`roles.${me.role}`)}`}>
          <UnstyledButton component={Link} to="/account" data-testid="header-user">
            <Text size="sm" truncate maw={180}>
              {me.name}
            </Text>
          </UnstyledButton>
        </Tooltip>
        <Button
          variant="subtle"
          color="gray"
          leftSection={<IconLogout size={14} />}
          onClick={signOut}
          data-testid="logout"
        >
          {t('header.signOut')}
        </Button>
      </Group>
    </Group>
  );
}
