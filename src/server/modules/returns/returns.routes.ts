// 返品入力 API: POST /orders/{id}/returns, GET /returns (by customer, order, received dates),
// GET /returns/{id}. The order desk (admin, supervisor, operator) enters and reads returns.
import { z } from 'zod';
import type { App, Deps } from '../../app.js';
import { DESK } from '../../platform/auth/roles.js';
import { ctxOf } from '../../platform/http/context.js';
import { createReturnSchema, listReturnsQuery, returnSchema } from './returns.schema.js';
import { createReturn, getReturn, listReturns } from './returns.service.js';

const tags = ['returns'];
const idParams = z.object({ id: z.uuid() });

export function returnsRoutes(app: App, { db, clock }: Deps) {
  app.post(
    '/orders/:id/returns',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description:
          'Records a return of a shipped order: lines and quantities (at most shipped − returned), restock, a refund (default: the goods at the order’s prices incl. tax; may be lowered) or an exchange (a new order, 0 yen unless charge). The order becomes `returned` when every line is back.',
        params: idParams,
        body: createReturnSchema,
        response: { 201: returnSchema },
      },
    },
    async (req, reply) => {
      const created = await createReturn(db, ctxOf(req, clock), req.params.id, req.body);
      return reply.code(201).header('location', `/api/v1/returns/${created.id}`).send(created);
    },
  );

  app.get(
    '/returns',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description: 'Returns, newest first by the day received; from/to filter that day (both included).',
        querystring: listReturnsQuery,
        response: { 200: z.object({ items: z.array(returnSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => listReturns(db, ctxOf(req, clock), req.query),
  );

  app.get(
    '/returns/:id',
    { config: { roles: DESK }, schema: { tags, params: idParams, response: { 200: returnSchema } } },
    async (req) => getReturn(db, ctxOf(req, clock), req.params.id),
  );
}
