import { z } from 'zod';
import type { App, Deps } from '../../app.js';
import { DESK } from '../../platform/auth/roles.js';
import { ctxOf } from '../../platform/http/context.js';
import { pageQuery } from '../../platform/http/pagination.js';
import { ACTION_KINDS, actionSchema, addAction, getAction, listActions } from './actions.service.js';

const idParams = z.object({ id: z.uuid() });
const tags = ['interactions'];

const addActionSchema = z.strictObject({
  kind: z.enum(ACTION_KINDS),
  /** When it was done (ISO 8601 with offset); now when absent. */
  at: z.iso.datetime({ offset: true }).optional(),
  note: z.string().trim().max(1000).nullish(),
  /** What it came from (e.g. campaign + its code): recorded once per customer, kind and reference. */
  refType: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,49}$/)
    .optional(),
  refId: z.string().trim().min(1).max(100).optional(),
  staffId: z.uuid().nullish(),
});

/** AC履歴 (actions): a customer's list, and one entered by hand. Other modules use recordActions(). */
export function actionsRoutes(app: App, { db, clock }: Deps) {
  app.get(
    '/customers/:id/actions',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description: "The customer's AC履歴, newest first. from/to: Asia/Tokyo days, inclusive.",
        params: idParams,
        querystring: pageQuery.extend({
          kind: z.enum(ACTION_KINDS).optional(),
          from: z.iso.date().optional(),
          to: z.iso.date().optional(),
        }),
        response: { 200: z.object({ items: z.array(actionSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => listActions(db, ctxOf(req, clock), req.params.id, req.query),
  );

  app.post(
    '/customers/:id/actions',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description: '201 with the action; 200 with the first one when refType + refId were recorded already.',
        params: idParams,
        body: addActionSchema.refine((b) => (b.refType === undefined) === (b.refId === undefined), {
          message: 'refType and refId go together',
          path: ['refId'],
        }),
        response: { 200: actionSchema, 201: actionSchema },
      },
    },
    async (req, reply) => {
      const { action, created } = await addAction(db, ctxOf(req, clock), req.params.id, req.body);
      return reply.status(created ? 201 : 200).send(action);
    },
  );

  app.get(
    '/actions/:id',
    { config: { roles: DESK }, schema: { tags, params: idParams, response: { 200: actionSchema } } },
    async (req) => getAction(db, ctxOf(req, clock), req.params.id),
  );
}
