import { AppShell, ScrollArea } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { Outlet } from '@tanstack/react-router';
import { useRef } from 'react';
import { MeContext, meQuery } from '../../api/auth';
import type { Me } from '../../api/types';
import { CommandPalette } from '../palette/CommandPalette';
import { ScreenPop } from '../telephony/ScreenPop';
import { Header } from './Header';
import { Nav } from './Nav';

export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure(false);
  const { data } = useQuery(meQuery);
  // While signing out (or after the session expired) the router is on its way to /login:
  // keep the last known user so the screens being left do not lose it mid-transition.
  const last = useRef<Me | null>(null);
  if (data) last.current = data;
  const me = data ?? last.current;
  if (!me) return null;
  return (
    <MeContext.Provider value={me}>
      <AppShell
        header={{ height: 42 }}
        navbar={{ width: 196, breakpoint: 'sm', collapsed: { mobile: !opened } }}
        padding="sm"
      >
        <AppShell.Header>
          <Header navOpened={opened} onToggleNav={toggle} />
        </AppShell.Header>
        <AppShell.Navbar p={6}>
          <AppShell.Section grow component={ScrollArea}>
            <Nav onNavigate={close} />
          </AppShell.Section>
        </AppShell.Navbar>
        <AppShell.Main>
          <Outlet />
        </AppShell.Main>
        <CommandPalette />
        <ScreenPop />
      </AppShell>
    </MeContext.Provider>
  );
}
