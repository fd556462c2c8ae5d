import { NavLink, Stack, Text } from '@mantine/core';
import { Link, useRouterState } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/auth';
import { type Screen, type ScreenGroup, screensFor } from '../../lib/screens';

function matches(screen: Screen, pathname: string): boolean {
  return screen.to === '/' ? pathname === '/' : pathname === screen.to || pathname.startsWith(`${screen.to}/`);
}

/** The screen whose path matches most specifically (/customers/new is 新規顧客, not 顧客検索). */
function activeScreen(screens: Screen[], pathname: string): Screen | undefined {
  return screens.filter((screen) => matches(screen, pathname)).sort((a, b) => b.to.length - a.to.length)[0];
}

/** Left navigation: screens grouped, only those the user's role may open. */
export function Nav({ onNavigate }: { onNavigate: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  const screens = screensFor(me);
  const active = activeScreen(screens, pathname);
  const groups: ScreenGroup[] = ['groupMain', 'groupDesk', 'groupBackOffice', 'groupMasters', 'groupAdmin'];

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
                active={screen === active}
                data-testid={`nav-${screen.id}`}
                py={4}
                // Only `active` above marks the screen (the most specific match), not the link's own prefix match.
                renderRoot={(props) => (
                  <Link to={screen.to} activeOptions={{ exact: true }} {...props} onClick={onNavigate} />
                )}
              />
            ))}
          </div>
        );
      })}
    </Stack>
  );
}
