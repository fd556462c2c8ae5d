import { z } from 'zod';
import type { App, Deps } from '../../app.js';
import { DESK } from '../../platform/auth/roles.js';
import { ctxOf } from '../../platform/http/context.js';
import { pageQuery } from '../../platform/http/pagination.js';
import { actionsRoutes } from './actions.routes.js';
import { registerContactMergeHandlers } from './contact-stats.js';
import {
  createInteractionSchema,
  interactionEventSchema,
  interactionPageSchema,
  interactionSchema,
  listInteractionsQuery,
  updateInteractionSchema,
} from './interactions.schema.js';
import {
  createInteraction,
  getInteraction,
  listCustomerInteractions,
  listEvents,
  listInteractions,
  updateInteraction,
} from './interactions.service.js';
import { kindsRoutes } from './kinds.routes.js';
import { listsRoutes } from './lists.routes.js';
import { templatesRoutes } from './templates.routes.js';

const idParams = z.object({ id: z.uuid() });
const tags = ['interactions'];

/**
 * 対応履歴 and everything around it: kinds, actions (AC履歴), templates, the daily lists.
 * The desk (admin, supervisor, operator) records and reads; masters are for admins and supervisors.
 */
export function interactionsRoutes(app: App, deps: Deps) {
  const { db, clock } = deps;
  // A customer merge moves the contact history with the customer.
  registerContactMergeHandlers();

  app.post(
    '/interactions',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description:
          'Records an interaction. A call (inbound_call/outbound_call) also records a `call` action. ' +
          '`escalated` is set by opening a case, not here.',
        body: createInteractionSchema,
        response: { 201: interactionSchema },
      },
    },
    async (req, reply) => {
      const { interaction, etag } = await createInteraction(db, ctxOf(req, clock), req.body);
      return reply
        .status(201)
        .header('etag', etag)
        .header('location', `/api/v1/interactions/${interaction.id}`)
        .send(interaction);
    },
  );

  app.get(
    '/interactions',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description: 'Newest first. from/to: Asia/Tokyo days, inclusive. open=true: every status but done.',
        querystring: pageQuery.extend(listInteractionsQuery.shape),
        response: { 200: interactionPageSchema },
      },
    },
    async (req) => listInteractions(db, ctxOf(req, clock), req.query),
  );

  app.get(
    '/customers/:id/interactions',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description: "The customer's 対応履歴, newest first (404 for a customer not of the tenant).",
        params: idParams,
        querystring: pageQuery.extend(listInteractionsQuery.omit({ customerId: true }).shape),
        response: { 200: interactionPageSchema },
      },
    },
    async (req) => listCustomerInteractions(db, ctxOf(req, clock), req.params.id, req.query),
  );

  app.get(
    '/interactions/:id',
    { config: { roles: DESK }, schema: { tags, params: idParams, response: { 200: interactionSchema } } },
    async (req, reply) => {
      const { interaction, etag } = await getInteraction(db, ctxOf(req, clock), req.params.id);
      return reply.header('etag', etag).send(interaction);
    },
  );

  app.patch(
    '/interactions/:id',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description:
          'If-Match (optional) with the ETag of the read: a stale one answers 412. Changes of status, assignee ' +
          'and due time are kept in /interactions/{id}/events.',
        params: idParams,
        body: updateInteractionSchema,
        headers: z.looseObject({ 'if-match': z.string().max(200).optional() }),
        response: { 200: interactionSchema },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, clock);
      const { interaction, etag } = await updateInteraction(db, ctx, req.params.id, req.body, req.headers['if-match']);
      return reply.header('etag', etag).send(interaction);
    },
  );

  app.get(
    '/interactions/:id/events',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description: 'The change history (creation, status, assignee, due time), oldest first.',
        params: idParams,
        querystring: pageQuery,
        response: { 200: z.object({ items: z.array(interactionEventSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => listEvents(db, ctxOf(req, clock), req.params.id, req.query),
  );

  kindsRoutes(app, deps);
  actionsRoutes(app, deps);
  templatesRoutes(app, deps);
  listsRoutes(app, deps);
}
