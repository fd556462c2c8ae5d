import { NavLink, Stack, Text } from '@mantine/core';
import { Link, useRouterState } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/auth';
import { type Screen, type ScreenGroup, screensFor } from '../../lib/screens';

function isActive(screen: Screen, pathname: string): boolean {
  return screen.to === '/' ? pathname === '/' : pathname === screen.to || pathname.startsWith(`${screen.to}/`);
}

/** Left navigation: screens grouped, only those the user's role may open. */
export function Nav({ onNavigate }: { onNavigate: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  const screens = screensFor(me);
  const groups: ScreenGroup[] = ['groupMain', 'groupAdmin'];

  return (
    <Stack gap={8} component="nav" aria-label={t('header.menu')}>
      {groups.map((group) => {
        const items = screens.filter((screen) => screen.group === group);
        if (items.length === 0) return null;
        return (
          <div key={group}>
            <Text id={`nav-${group}`} size="xs" fw={700} c="dimmed" px={8} py={2}>
              {t(`nav.${group}`)}
            </Text>
            {items.map((screen) => (
              <NavLink
                key={screen.id}
                label={t(`nav.${screen.id}`)}
                leftSection={<screen.icon size={16} stroke={1.6} />}
                active={isActive(screen, pathname)}
                data-testid={`nav-${screen.id}`}
                py={4}
                renderRoot={(props) => <Link to={screen.to} {...props} onClick={onNavigate} />}
              />
            ))}
          </div>
        );
      })}
    </Stack>
  );
}
