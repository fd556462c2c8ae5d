import { z } from 'zod';
import type { App, Deps } from '../../app.js';
import type { TenantTx } from '../../db/database.js';
import type { Principal } from '../auth/principal.js';
import { ctxOf } from '../http/context.js';

const itemSchema = z.object({ kind: z.string(), id: z.string(), label: z.string(), sub: z.string(), href: z.string() });
export type SearchItem = z.infer<typeof itemSchema>;

/** A source of records for the command palette; each module that owns records adds one. */
export type SearchProvider = (tx: TenantTx, q: string, principal: Principal) => Promise<SearchItem[]>;

const users: SearchProvider = async (tx, q, p) => {
  if (p.role !== 'admin') return [];
  const rows = await tx.query<{ id: string; name: string; email: string }>(
    `SELECT id, name, email FROM users WHERE tenant_id = $1 AND (name ILIKE '%' || $2 || '%' OR email ILIKE '%' || $2 || '%')
      ORDER BY name LIMIT 5`,
    [tx.tenantId, q.replace(/[%_\\]/g, (c) => `\\${c}`)],
  );
  return rows.map((r) => ({ kind: 'user', id: r.id, label: r.name, sub: r.email, href: `/admin/users?focus=${r.id}` }));
};

const searchProviders: SearchProvider[] = [users];

/** A module that owns records adds its provider when its routes are registered. */
export function registerSearchProvider(provider: SearchProvider): void {
  if (!searchProviders.includes(provider)) searchProviders.push(provider);
}

export function searchRoutes(app: App, { db, clock }: Deps) {
  app.get(
    '/search',
    {
      config: { roles: 'any' },
      schema: {
        tags: ['search'],
        querystring: z.object({ q: z.string().trim().min(1).max(100) }),
        response: { 200: z.object({ items: z.array(itemSchema) }) },
      },
    },
    async (req) => {
      const { tenantId, principal } = ctxOf(req, clock);
      const q = req.query.q;
      const found = await db.withTenant(tenantId, (tx) =>
        Promise.all(searchProviders.map((provide) => provide(tx, q, principal))),
      );
      return { items: found.flat() };
    },
  );
}
