import { z } from 'zod';
import type { App, Deps } from '../../app.js';
import { STAFF } from '../../platform/auth/roles.js';
import { ctxOf } from '../../platform/http/context.js';
import { pageQuery } from '../../platform/http/pagination.js';
import { CASE_ROLES } from './cases.schema.js';
import {
  createGroup,
  createGroupSchema,
  deleteGroup,
  getGroup,
  groupSchema,
  listGroups,
  updateGroup,
  updateGroupSchema,
} from './groups.service.js';

const idParams = z.object({ id: z.uuid() });
const tags = ['cases'];

/** Escalation groups: everyone who works cases reads them (to pick one); supervisors and admins manage them. */
export function groupsRoutes(app: App, { db, clock }: Deps) {
  app.get(
    '/escalation-groups',
    {
      config: { roles: CASE_ROLES },
      schema: {
        tags,
        querystring: pageQuery.extend({ active: z.enum(['true', 'false']).optional() }),
        response: { 200: z.object({ items: z.array(groupSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => listGroups(db, ctxOf(req, clock), req.query),
  );

  app.post(
    '/escalation-groups',
    { config: { roles: STAFF }, schema: { tags, body: createGroupSchema, response: { 201: groupSchema } } },
    async (req, reply) => reply.status(201).send(await createGroup(db, ctxOf(req, clock), req.body)),
  );

  app.get(
    '/escalation-groups/:id',
    { config: { roles: CASE_ROLES }, schema: { tags, params: idParams, response: { 200: groupSchema } } },
    async (req) => getGroup(db, ctxOf(req, clock), req.params.id),
  );

  app.patch(
    '/escalation-groups/:id',
    {
      config: { roles: STAFF },
      schema: { tags, params: idParams, body: updateGroupSchema, response: { 200: groupSchema } },
    },
    async (req) => updateGroup(db, ctxOf(req, clock), req.params.id, req.body),
  );

  app.delete(
    '/escalation-groups/:id',
    { config: { roles: STAFF }, schema: { tags, params: idParams } },
    async (req, reply) => {
      await deleteGroup(db, ctxOf(req, clock), req.params.id);
      return reply.status(204).send();
    },
  );
}
