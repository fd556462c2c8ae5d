import { type AnyRoute, createRoute, lazyRouteComponent } from '@tanstack/react-router';

/** /orders/import: Web受注取込 (issue 5), added by router.tsx under the signed-in layout. */
export function orderImportRoute<P extends AnyRoute>(getParentRoute: () => P) {
  return createRoute({
    getParentRoute,
    path: '/orders/import',
    component: lazyRouteComponent(() => import('./OrderImportPage'), 'OrderImportPage'),
  });
}
