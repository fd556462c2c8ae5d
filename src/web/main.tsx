import '@mantine/core/styles.css';
import '@mantine/dates/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/spotlight/styles.css';
import './styles.css';
import 'dayjs/locale/ja';
import { MantineProvider } from '@mantine/core';
import { DatesProvider } from '@mantine/dates';
import { Notifications } from '@mantine/notifications';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import { meQueryKey } from './api/auth';
import { isApiError } from './api/client';
import { FnKeysProvider } from './components/fkeys';
import './i18n';
import { createAppRouter } from './routes/router';
import { theme } from './theme';

/** A 401 on any call after sign-in means the session ended: back to the sign-in page. */
function onUnauthorised(error: unknown): void {
  if (!isApiError(error) || error.status !== 401) return;
  const here = router.state.location;
  if (here.pathname === '/login') return;
  queryClient.setQueryData(meQueryKey, null);
  void router.navigate({ to: '/login', search: { redirect: here.href, expired: true } });
}

const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onUnauthorised }),
  mutationCache: new MutationCache({ onError: onUnauthorised }),
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      retry: (count, error) => (!isApiError(error) || error.status === 0 || error.status >= 500) && count < 2,
    },
  },
});

const router = createAppRouter(queryClient);

function Providers() {
  const { i18n } = useTranslation();
  return (
    <DatesProvider settings={{ locale: i18n.language === 'en' ? 'en' : 'ja', firstDayOfWeek: 0, weekendDays: [0, 6] }}>
      <FnKeysProvider>
        <Notifications position="bottom-right" limit={4} />
        <RouterProvider router={router} />
      </FnKeysProvider>
    </DatesProvider>
  );
}

const container = document.getElementById('root');
if (!container) throw new Error('#root is missing');

createRoot(container).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="light">
      <QueryClientProvider client={queryClient}>
        <Providers />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
