import { DESK } from '../../platform/auth/roles.js';
import type { SearchProvider } from '../../platform/search/search.routes.js';
import { searchCustomers } from './customers.queries.js';
import { codeOf } from './customers.schema.js';
import { planSearch } from './customers.search.js';

/** Customers in the command palette (Ctrl+K): the same search as GET /customers?q=, five at most. */
export const customersPalette: SearchProvider = async (tx, q, principal) => {
  if (!DESK.includes(principal.role)) return [];
  const rows = await searchCustomers(tx, planSearch(q), null, 5);
  return rows.slice(0, 5).map((r) => ({
    kind: 'customer',
    id: r.id,
    label: r.name,
    sub: [codeOf(Number(r.seq)), r.name_kana].filter(Boolean).join(' '),
    href: `/customers/${r.id}`,
  }));
};
