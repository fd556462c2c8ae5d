import { z } from 'zod';
import type { App, Deps } from '../../app.js';
import { ADMIN, roleSchema } from '../auth/roles.js';
import { ctxOf } from '../http/context.js';
import { pageQuery } from '../http/pagination.js';
import { createToken, listTokens, revokeToken } from './tokens.service.js';

const tokenSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  role: roleSchema,
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  createdBy: z.string().nullable(),
});
const tags = ['tokens'];

export function tokensRoutes(app: App, { db, clock }: Deps) {
  app.get(
    '/tokens',
    {
      config: { roles: ADMIN },
      schema: {
        tags,
        querystring: pageQuery,
        response: { 200: z.object({ items: z.array(tokenSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => listTokens(db, ctxOf(req, clock), req.query),
  );

  app.post(
    '/tokens',
    {
      config: { roles: ADMIN },
      schema: {
        tags,
        body: z.object({ name: z.string().trim().min(1).max(100), role: roleSchema }),
        response: { 201: tokenSchema.extend({ token: z.string() }) },
      },
    },
    async (req, reply) => reply.status(201).send(await createToken(db, ctxOf(req, clock), req.body)),
  );

  app.delete(
    '/tokens/:id',
    { config: { roles: ADMIN }, schema: { tags, params: z.object({ id: z.uuid() }) } },
    async (req, reply) => {
      await revokeToken(db, ctxOf(req, clock), req.params.id);
      return reply.status(204).send();
    },
  );
}
