import { z } from 'zod';
import type { App, Deps } from '../../app.js';
import { ADMIN, DESK } from '../../platform/auth/roles.js';
import { ctxOf } from '../../platform/http/context.js';
import { GRANTS, hasKarteAccess, listGrants, setGrant } from './karte.access.js';
import { getKarte, karteInputSchema, karteSchema, putKarte } from './karte.service.js';

const idParams = z.object({ id: z.uuid() });
const tags = ['karte'];

/**
 * Karte (CONTRACTS.md "Customers"): health notes for admins, supervisors and operators holding
 * the `karte` grant (never API tokens of other roles); every read and write audited. Grants are
 * given by admins.
 */
export function karteRoutes(app: App, { db, clock }: Deps) {
  app.get(
    '/customers/:id/karte',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description: 'Health notes (要配慮個人情報). Audited as objectType karte, action read.',
        params: idParams,
        response: { 200: karteSchema },
      },
    },
    async (req, reply) => {
      const { karte, etag } = await getKarte(db, ctxOf(req, clock), req.params.id);
      return reply.header('etag', etag).header('cache-control', 'no-store').send(karte);
    },
  );

  app.put(
    '/customers/:id/karte',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description:
          'Absent fields stay, null or "" clears. If-Match (optional) with the ETag of the read: stale → 412. Audited as action write.',
        params: idParams,
        body: karteInputSchema,
        headers: z.looseObject({ 'if-match': z.string().max(200).optional() }),
        response: { 200: karteSchema },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, clock);
      const { karte, etag } = await putKarte(db, ctx, req.params.id, req.body, req.headers['if-match']);
      return reply.header('etag', etag).header('cache-control', 'no-store').send(karte);
    },
  );

  app.get(
    '/karte/access',
    {
      config: { roles: 'any' },
      schema: {
        tags,
        description: "Whether the caller may see kartes (the web app's karte tab).",
        response: { 200: z.object({ granted: z.boolean() }) },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, clock);
      return { granted: await db.withTenant(ctx.tenantId, (tx) => hasKarteAccess(tx, ctx.principal)) };
    },
  );

  app.get(
    '/users/:id/grants',
    {
      config: { roles: ADMIN },
      schema: { tags, params: idParams, response: { 200: z.object({ grants: z.array(z.enum(GRANTS)) }) } },
    },
    async (req) => ({ grants: await listGrants(db, ctxOf(req, clock), req.params.id) }),
  );

  for (const method of ['PUT', 'DELETE'] as const) {
    app.route({
      method,
      url: '/users/:id/grants/karte',
      config: { roles: ADMIN },
      schema: {
        tags,
        description:
          method === 'PUT' ? 'Gives the user karte access (operators).' : "Takes the user's karte access away.",
        params: idParams,
      },
      handler: async (req, reply) => {
        await setGrant(db, ctxOf(req, clock), req.params.id, 'karte', method === 'PUT');
        return reply.status(204).send();
      },
    });
  }
}
