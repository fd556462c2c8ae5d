import { type AnyRoute, createRoute, lazyRouteComponent } from '@tanstack/react-router';

/**
 * The back office's screens (issues 4 and 5): masters, CRM administration, shipping, payments and
 * reports. router.tsx adds them under the signed-in layout; each screen is loaded on first use.
 */
export function backOfficeRoutes<P extends AnyRoute>(getParentRoute: () => P) {
  const masters = () => import('./masters/MasterScreens');
  const crm = () => import('./crm-admin/CrmAdminScreens');
  return [
    createRoute({ getParentRoute, path: '/masters/products', component: lazyRouteComponent(masters, 'ProductsPage') }),
    createRoute({
      getParentRoute,
      path: '/masters/categories',
      component: lazyRouteComponent(masters, 'CategoriesPage'),
    }),
    createRoute({ getParentRoute, path: '/masters/ad-media', component: lazyRouteComponent(masters, 'AdMediaPage') }),
    createRoute({
      getParentRoute,
      path: '/masters/campaigns',
      component: lazyRouteComponent(masters, 'CampaignsPage'),
    }),
    createRoute({
      getParentRoute,
      path: '/masters/payment-methods',
      component: lazyRouteComponent(masters, 'PaymentMethodsPage'),
    }),
    createRoute({ getParentRoute, path: '/masters/origins', component: lazyRouteComponent(masters, 'OriginsPage') }),
    createRoute({
      getParentRoute,
      path: '/masters/carriers',
      component: lazyRouteComponent(() => import('./masters/CarriersPage'), 'CarriersPage'),
    }),
    createRoute({
      getParentRoute,
      path: '/masters/shipping-fees',
      component: lazyRouteComponent(masters, 'ShippingFeesPage'),
    }),
    createRoute({ getParentRoute, path: '/masters/lead-days', component: lazyRouteComponent(masters, 'LeadDaysPage') }),
    createRoute({ getParentRoute, path: '/masters/reasons', component: lazyRouteComponent(masters, 'ReasonsPage') }),
    createRoute({ getParentRoute, path: '/masters/ranks', component: lazyRouteComponent(crm, 'RanksPage') }),
    createRoute({
      getParentRoute,
      path: '/masters/interaction-kinds',
      component: lazyRouteComponent(crm, 'KindsPage'),
    }),
    createRoute({ getParentRoute, path: '/masters/templates', component: lazyRouteComponent(crm, 'TemplatesPage') }),
    createRoute({
      getParentRoute,
      path: '/masters/escalation-groups',
      component: lazyRouteComponent(crm, 'GroupsPage'),
    }),
    createRoute({
      getParentRoute,
      path: '/customers/duplicates',
      component: lazyRouteComponent(() => import('./crm-admin/DuplicatesPage'), 'DuplicatesPage'),
    }),
    createRoute({
      getParentRoute,
      path: '/customers/import',
      component: lazyRouteComponent(() => import('./crm-admin/CustomerImportPage'), 'CustomerImportPage'),
    }),
    createRoute({
      getParentRoute,
      path: '/shipping/export',
      /** ?shipDate=YYYY-MM-DD: the day to open with (定期発送一覧's 出荷指示へ). */
      validateSearch: (search: Record<string, unknown>): { shipDate?: string } => ({
        shipDate:
          typeof search.shipDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(search.shipDate)
            ? search.shipDate
            : undefined,
      }),
      component: lazyRouteComponent(() => import('./shipping/ShippingExportPage'), 'ShippingExportPage'),
    }),
    createRoute({
      getParentRoute,
      path: '/shipping/tracking',
      component: lazyRouteComponent(() => import('./shipping/TrackingImportPage'), 'TrackingImportPage'),
    }),
    createRoute({
      getParentRoute,
      path: '/shipping/list',
      component: lazyRouteComponent(() => import('./shipping/ShippingListPage'), 'ShippingListPage'),
    }),
    createRoute({
      getParentRoute,
      path: '/payments',
      component: lazyRouteComponent(() => import('./payments/PaymentsPage'), 'PaymentsPage'),
    }),
    createRoute({
      getParentRoute,
      path: '/returns',
      component: lazyRouteComponent(() => import('./payments/ReturnsPage'), 'ReturnsPage'),
    }),
    createRoute({
      getParentRoute,
      path: '/sales-reports',
      component: lazyRouteComponent(() => import('./sales-reports/SalesReportsPage'), 'SalesReportsPage'),
    }),
  ] as const;
}
