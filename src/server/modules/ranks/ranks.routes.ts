import { z } from 'zod';
import type { App, Deps } from '../../app.js';
import { DESK, STAFF } from '../../platform/auth/roles.js';
import { ctxOf } from '../../platform/http/context.js';
import { pageQuery } from '../../platform/http/pagination.js';
import { clearOverride, getCustomerRank, setOverride } from './customer-rank.service.js';
import { createRankSchema, customerRankSchema, overrideSchema, rankSchema, updateRankSchema } from './ranks.schema.js';
import { createRank, deleteRank, getRank, listRanks, reorderRanks, updateRank } from './ranks.service.js';

const idParams = z.object({ id: z.uuid() });
const tags = ['ranks'];
const ifMatch = z.looseObject({ 'if-match': z.string().max(200).optional() });

/**
 * Ranks: the master (read by the desk, changed by admins and supervisors; every change
 * recomputes every customer's rank in a job) and a customer's rank with its manual override.
 */
export function ranksRoutes(app: App, { db, clock, jobs }: Deps) {
  app.get(
    '/ranks',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description: 'The rank master in priority order (the first matching rank is given).',
        querystring: pageQuery,
        response: { 200: z.object({ items: z.array(rankSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => listRanks(db, ctxOf(req, clock), req.query),
  );

  app.post(
    '/ranks',
    { config: { roles: STAFF }, schema: { tags, body: createRankSchema, response: { 201: rankSchema } } },
    async (req, reply) => {
      const { rank, etag } = await createRank(db, jobs, ctxOf(req, clock), req.body);
      return reply.status(201).header('etag', etag).header('location', `/api/v1/ranks/${rank.id}`).send(rank);
    },
  );

  app.put(
    '/ranks/order',
    {
      config: { roles: STAFF },
      schema: {
        tags,
        description: 'Every rank id once, the first tried first.',
        body: z.strictObject({ ids: z.array(z.uuid()).max(200) }),
        response: { 200: z.object({ items: z.array(rankSchema) }) },
      },
    },
    async (req) => ({ items: await reorderRanks(db, jobs, ctxOf(req, clock), req.body.ids) }),
  );

  app.get(
    '/ranks/:id',
    { config: { roles: DESK }, schema: { tags, params: idParams, response: { 200: rankSchema } } },
    async (req, reply) => {
      const { rank, etag } = await getRank(db, ctxOf(req, clock), req.params.id);
      return reply.header('etag', etag).send(rank);
    },
  );

  app.patch(
    '/ranks/:id',
    {
      config: { roles: STAFF },
      schema: { tags, params: idParams, body: updateRankSchema, headers: ifMatch, response: { 200: rankSchema } },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, clock);
      const { rank, etag } = await updateRank(db, jobs, ctx, req.params.id, req.body, req.headers['if-match']);
      return reply.header('etag', etag).send(rank);
    },
  );

  app.delete(
    '/ranks/:id',
    {
      config: { roles: STAFF },
      schema: { tags, description: '409 while customers hold the rank by hand.', params: idParams },
    },
    async (req, reply) => {
      await deleteRank(db, jobs, ctxOf(req, clock), req.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/customers/:id/rank',
    {
      config: { roles: DESK },
      schema: { tags, params: idParams, response: { 200: customerRankSchema } },
    },
    async (req) => getCustomerRank(db, ctxOf(req, clock), req.params.id),
  );

  app.put(
    '/customers/:id/rank',
    {
      config: { roles: STAFF },
      schema: {
        tags,
        description: 'Sets the rank by hand, with a reason; it wins over the rules until cleared.',
        params: idParams,
        body: overrideSchema,
        response: { 200: customerRankSchema },
      },
    },
    async (req) => setOverride(db, ctxOf(req, clock), req.params.id, req.body),
  );

  app.delete(
    '/customers/:id/rank',
    {
      config: { roles: STAFF },
      schema: { tags, description: 'Clears the manual rank: the rule rank applies again.', params: idParams },
    },
    async (req, reply) => {
      await clearOverride(db, ctxOf(req, clock), req.params.id);
      return reply.status(204).send();
    },
  );
}
