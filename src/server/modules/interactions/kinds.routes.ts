import { z } from 'zod';
import type { App, Deps } from '../../app.js';
import { DESK, STAFF } from '../../platform/auth/roles.js';
import { ctxOf } from '../../platform/http/context.js';
import { createKindSchema, kindSchema, updateKindSchema } from './interactions.schema.js';
import { createKind, deleteKind, getKind, listKinds, updateKind } from './kinds.service.js';

const idParams = z.object({ id: z.uuid() });
const tags = ['interactions'];

/** 区分 (interaction kinds): the desk reads them, admins and supervisors keep the master. */
export function kindsRoutes(app: App, { db, clock }: Deps) {
  app.get(
    '/interaction-kinds',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description: 'Every kind of the tenant (the six defaults are made on first use), in display order.',
        querystring: z.object({ active: z.enum(['true', 'false']).optional() }),
        response: { 200: z.object({ items: z.array(kindSchema) }) },
      },
    },
    async (req) =>
      listKinds(db, ctxOf(req, clock), {
        active: req.query.active === undefined ? undefined : req.query.active === 'true',
      }),
  );

  app.get(
    '/interaction-kinds/:id',
    { config: { roles: DESK }, schema: { tags, params: idParams, response: { 200: kindSchema } } },
    async (req) => getKind(db, ctxOf(req, clock), req.params.id),
  );

  app.post(
    '/interaction-kinds',
    { config: { roles: STAFF }, schema: { tags, body: createKindSchema, response: { 201: kindSchema } } },
    async (req, reply) => reply.status(201).send(await createKind(db, ctxOf(req, clock), req.body)),
  );

  app.patch(
    '/interaction-kinds/:id',
    {
      config: { roles: STAFF },
      schema: { tags, params: idParams, body: updateKindSchema, response: { 200: kindSchema } },
    },
    async (req) => updateKind(db, ctxOf(req, clock), req.params.id, req.body),
  );

  app.delete(
    '/interaction-kinds/:id',
    {
      config: { roles: STAFF },
      schema: { tags, params: idParams, description: 'Only a kind nothing uses (409 otherwise: deactivate it).' },
    },
    async (req, reply) => {
      await deleteKind(db, ctxOf(req, clock), req.params.id);
      return reply.status(204).send();
    },
  );
}
