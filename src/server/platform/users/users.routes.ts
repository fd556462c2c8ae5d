import { z } from 'zod';
import type { App, Deps } from '../../app.js';
import { ADMIN, roleSchema } from '../auth/roles.js';
import { ctxOf } from '../http/context.js';
import { pageQuery } from '../http/pagination.js';
import { createUserSchema, passwordSchema, updateUserSchema, userSchema } from './users.schema.js';
import {
  createUser,
  getUser,
  listUsers,
  resetPassword,
  staffDirectory,
  unlockUser,
  updateUser,
} from './users.service.js';

const idParams = z.object({ id: z.uuid() });
const tags = ['users'];

export function usersRoutes(app: App, { db, clock, jobs }: Deps) {
  app.get(
    '/users',
    {
      config: { roles: ADMIN },
      schema: {
        tags,
        querystring: pageQuery.extend({ q: z.string().max(100).optional() }),
        response: { 200: z.object({ items: z.array(userSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => listUsers(db, ctxOf(req, clock), req.query),
  );

  // Every signed-in role but a client's viewer may pick a colleague (assignee, 担当者).
  app.get(
    '/staff',
    {
      config: { roles: ['admin', 'supervisor', 'operator', 'appointer', 'closer', 'corporate_closer', 'technician'] },
      schema: {
        tags,
        querystring: z.object({ q: z.string().max(100).optional() }),
        response: { 200: z.object({ items: z.array(z.object({ id: z.uuid(), name: z.string(), role: roleSchema })) }) },
      },
    },
    async (req) => ({ items: await staffDirectory(db, ctxOf(req, clock).tenantId, req.query.q) }),
  );

  app.post(
    '/users',
    { config: { roles: ADMIN }, schema: { tags, body: createUserSchema, response: { 201: userSchema } } },
    async (req, reply) => reply.status(201).send(await createUser(db, ctxOf(req, clock), req.body)),
  );

  app.get(
    '/users/:id',
    { config: { roles: ADMIN }, schema: { tags, params: idParams, response: { 200: userSchema } } },
    async (req) => getUser(db, ctxOf(req, clock), req.params.id),
  );

  app.patch(
    '/users/:id',
    {
      config: { roles: ADMIN },
      schema: { tags, params: idParams, body: updateUserSchema, response: { 200: userSchema } },
    },
    async (req) => updateUser(db, ctxOf(req, clock), req.params.id, req.body),
  );

  app.post(
    '/users/:id/reset-password',
    { config: { roles: ADMIN }, schema: { tags, params: idParams, body: z.object({ password: passwordSchema }) } },
    async (req, reply) => {
      await resetPassword(db, jobs, ctxOf(req, clock), req.params.id, req.body.password);
      return reply.status(204).send();
    },
  );

  app.post(
    '/users/:id/unlock',
    { config: { roles: ADMIN }, schema: { tags, params: idParams } },
    async (req, reply) => {
      await unlockUser(db, ctxOf(req, clock), req.params.id);
      return reply.status(204).send();
    },
  );
}
