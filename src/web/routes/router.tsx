import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  Outlet,
  redirect,
} from '@tanstack/react-router';
import { meQuery } from '../api/auth';
import { ORDER_CARRIERS, ORDER_STATUSES } from '../api/orders';
import { NotFound } from '../components/NotFound';
import { RouteError } from '../components/RouteError';
import { AppLayout } from '../components/shell/AppLayout';
import { AdminGate } from './admin/AdminGate';
import { backOfficeRoutes } from './backOfficeRoutes';
import { ChangePasswordPage } from './change-password/ChangePasswordPage';
import { MONITOR_TABS, type MonitorSearch } from './customer-monitor/monitorTabs';
import type { NewCustomerSearch } from './customers/NewCustomerPage';
import { HomePage } from './home/HomePage';
import { LoginPage } from './login/LoginPage';
import { orderImportRoute } from './order-import/route';
import type { OrdersSearch } from './orders/OrdersPage';

interface RouterContext {
  queryClient: QueryClient;
}

export interface LoginSearch {
  redirect?: string;
  expired?: boolean;
}

/** Only same-app paths may be redirect targets (no "//evil.example"). */
export function safeRedirect(target: string | undefined): string {
  return target?.startsWith('/') && !target.startsWith('//') && !target.startsWith('/login') ? target : '/';
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: NotFound,
  errorComponent: RouteError,
});

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/login',
  validateSearch: (search: Record<string, unknown>): LoginSearch => ({
    redirect: typeof search.redirect === 'string' ? search.redirect : undefined,
    expired: search.expired === true || search.expired === 'true' ? true : undefined,
  }),
  beforeLoad: async ({ context, search }) => {
    const me = await context.queryClient.ensureQueryData(meQuery);
    if (me) throw redirect({ href: me.mustChangePassword ? '/password' : safeRedirect(search.redirect) });
  },
  component: LoginPage,
});

const passwordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/password',
  beforeLoad: async ({ context }) => {
    const me = await context.queryClient.ensureQueryData(meQuery);
    if (!me) throw redirect({ to: '/login', search: {} });
    if (!me.mustChangePassword) throw redirect({ to: '/' });
  },
  component: ChangePasswordPage,
});

const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: async ({ context, location }) => {
    const me = await context.queryClient.ensureQueryData(meQuery);
    if (!me) throw redirect({ to: '/login', search: { redirect: location.href } });
    if (me.mustChangePassword) throw redirect({ to: '/password' });
  },
  component: AppLayout,
});

const homeRoute = createRoute({ getParentRoute: () => appRoute, path: '/', component: HomePage });
const accountRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/account',
  component: lazyRouteComponent(() => import('./account/AccountPage'), 'AccountPage'),
});

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

const customersRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/customers',
  validateSearch: (search: Record<string, unknown>): { q?: string } => ({ q: str(search.q) }),
  component: lazyRouteComponent(() => import('./customers/CustomerSearchPage'), 'CustomerSearchPage'),
});
const newCustomerRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/customers/new',
  validateSearch: (search: Record<string, unknown>): NewCustomerSearch => ({
    phone: str(search.phone),
    name: str(search.name),
    callId: str(search.callId),
  }),
  component: lazyRouteComponent(() => import('./customers/NewCustomerPage'), 'NewCustomerPage'),
});
const monitorRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/customers/$customerId',
  validateSearch: (search: Record<string, unknown>): MonitorSearch => ({
    tab: MONITOR_TABS.find((tab) => tab === search.tab),
    callId: str(search.callId),
  }),
  component: lazyRouteComponent(() => import('./customer-monitor/MonitorPage'), 'MonitorPage'),
});
const ordersRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/orders',
  validateSearch: (search: Record<string, unknown>): OrdersSearch => ({
    from: str(search.from),
    to: str(search.to),
    carrier: ORDER_CARRIERS.find((c) => c === search.carrier),
    staffId: str(search.staffId),
    status: ORDER_STATUSES.find((s) => s === search.status),
    customerId: str(search.customerId),
    number: str(search.number),
  }),
  component: lazyRouteComponent(() => import('./orders/OrdersPage'), 'OrdersPage'),
});
const orderRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/orders/$orderId',
  component: lazyRouteComponent(() => import('./orders/OrderDetailPage'), 'OrderDetailPage'),
});
const caseBoardRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/cases',
  component: lazyRouteComponent(() => import('./cases/CaseBoardPage'), 'CaseBoardPage'),
});
const caseListRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/cases/list',
  component: lazyRouteComponent(() => import('./cases/CaseListPage'), 'CaseListPage'),
});
const caseRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/cases/$caseId',
  component: lazyRouteComponent(() => import('./cases/CasePage'), 'CasePage'),
});
const todayRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/lists/today',
  component: lazyRouteComponent(() => import('./lists/TodayPage'), 'TodayPage'),
});
const neglectedRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/lists/neglected',
  component: lazyRouteComponent(() => import('./lists/NeglectedPage'), 'NeglectedPage'),
});
const subscriptionShipmentsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/subscription-shipments',
  component: lazyRouteComponent(
    () => import('./subscription-shipments/SubscriptionShipmentsPage'),
    'SubscriptionShipmentsPage',
  ),
});
const subscriptionForecastRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/subscription-shipments/forecast',
  component: lazyRouteComponent(
    () => import('./subscription-shipments/SubscriptionForecastPage'),
    'SubscriptionForecastPage',
  ),
});
const subscriptionExceptionsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/subscription-shipments/exceptions',
  component: lazyRouteComponent(
    () => import('./subscription-shipments/SubscriptionExceptionsPage'),
    'SubscriptionExceptionsPage',
  ),
});
const faqRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/faq',
  validateSearch: (search: Record<string, unknown>): { focus?: string } => ({ focus: str(search.focus) }),
  component: lazyRouteComponent(() => import('./faq/FaqPage'), 'FaqPage'),
});
const subscriptionReportsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/subscription-reports',
  component: lazyRouteComponent(
    () => import('./subscription-reports/SubscriptionReportsPage'),
    'SubscriptionReportsPage',
  ),
});
const faqReportRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/faq/report',
  component: lazyRouteComponent(() => import('./faq/ReportPage'), 'ReportPage'),
});

const adminRoute = createRoute({ getParentRoute: () => appRoute, path: '/admin', component: AdminGate });
const usersRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: '/users',
  /** ?focus=<user id>: the command palette's link to one user. */
  validateSearch: (search: Record<string, unknown>): { focus?: string } => ({
    focus: typeof search.focus === 'string' ? search.focus : undefined,
  }),
  component: lazyRouteComponent(() => import('./admin-users/UsersPage'), 'UsersPage'),
});
const tokensRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: '/tokens',
  component: lazyRouteComponent(() => import('./admin-tokens/TokensPage'), 'TokensPage'),
});
const auditRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: '/audit',
  component: lazyRouteComponent(() => import('./admin-audit/AuditPage'), 'AuditPage'),
});
const settingsRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: '/settings',
  component: lazyRouteComponent(() => import('./admin-settings/SettingsPage'), 'SettingsPage'),
});
const jobsRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: '/jobs',
  component: lazyRouteComponent(() => import('./admin-jobs/JobsPage'), 'JobsPage'),
});
const integrationsRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: '/integrations',
  component: lazyRouteComponent(() => import('./admin-integrations/IntegrationsPage'), 'IntegrationsPage'),
});
const adminIndexRoute = createRoute({
  getParentRoute: () => adminRoute,
  path: '/',
  beforeLoad: () => {
    throw redirect({ to: '/admin/users' });
  },
});

const backOffice = backOfficeRoutes(() => appRoute);

const routeTree = rootRoute.addChildren([
  loginRoute,
  passwordRoute,
  appRoute.addChildren([
    homeRoute,
    accountRoute,
    customersRoute,
    newCustomerRoute,
    monitorRoute,
    ordersRoute,
    orderRoute,
    orderImportRoute(() => appRoute),
    caseBoardRoute,
    caseListRoute,
    caseRoute,
    todayRoute,
    neglectedRoute,
    subscriptionShipmentsRoute,
    subscriptionForecastRoute,
    subscriptionExceptionsRoute,
    faqRoute,
    faqReportRoute,
    subscriptionReportsRoute,
    adminRoute.addChildren([
      adminIndexRoute,
      usersRoute,
      tokensRoute,
      auditRoute,
      settingsRoute,
      jobsRoute,
      integrationsRoute,
    ]),
    ...backOffice,
  ]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: 'intent',
    defaultPreloadStaleTime: 0,
    scrollRestoration: true,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
