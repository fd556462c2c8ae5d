// 定期 (subscriptions) API, CONTRACTS.md "Subscriptions": create, schedule, skip/pause/resume/cancel,
// plus what the monitor's 定期情報 tab needs (list, read, change, move the next delivery, history)
// and the operators' generation exceptions.
import { z } from 'zod';
import type { App, Deps } from '../../app.js';
import { ctxOf } from '../../platform/http/context.js';
import { listExceptions, resolveException } from './generate.js';
import {
  cancelSchema,
  createSubscriptionSchema,
  exceptionSchema,
  listQuery,
  moveSchema,
  pauseSchema,
  subscriptionEventSchema,
  subscriptionSchema,
  updateSubscriptionSchema,
} from './subscriptions.schema.js';
import {
  cancel,
  createSubscription,
  getSubscription,
  listSubscriptions,
  moveNext,
  pause,
  resume,
  schedule,
  skipNext,
  subscriptionEvents,
  updateSubscription,
} from './subscriptions.service.js';

const DESK = ['admin', 'supervisor', 'operator'] as const;
const READ = DESK;
const tags = ['subscriptions'];
const idParams = z.object({ id: z.uuid() });
const ifMatch = z.looseObject({ 'if-match': z.string().max(200).optional() });

export function subscriptionsRoutes(app: App, { db, clock }: Deps) {
  app.post(
    '/subscriptions',
    {
      config: { roles: DESK },
      schema: { tags, body: createSubscriptionSchema, response: { 201: subscriptionSchema } },
    },
    async (req, reply) => {
      const s = await createSubscription(db, ctxOf(req, clock), req.body);
      return reply.code(201).header('etag', `"${s.version}"`).send(s);
    },
  );

  app.get(
    '/subscriptions',
    {
      config: { roles: READ },
      schema: {
        tags,
        querystring: listQuery,
        response: { 200: z.object({ items: z.array(subscriptionSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => listSubscriptions(db, ctxOf(req, clock), req.query),
  );

  app.get(
    '/subscriptions/exceptions',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description: 'Deliveries that generation could not make (open ones), newest first.',
        response: { 200: z.object({ items: z.array(exceptionSchema) }) },
      },
    },
    async (req) => listExceptions(db, ctxOf(req, clock)),
  );

  app.post(
    '/subscriptions/exceptions/:id/resolve',
    {
      config: { roles: DESK },
      schema: { tags, params: idParams, response: { 204: z.null() } },
    },
    async (req, reply) => {
      await resolveException(db, ctxOf(req, clock), req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/subscriptions/:id',
    { config: { roles: READ }, schema: { tags, params: idParams, response: { 200: subscriptionSchema } } },
    async (req, reply) => {
      const s = await getSubscription(db, ctxOf(req, clock), req.params.id);
      return reply.header('etag', `"${s.version}"`).send(s);
    },
  );

  app.patch(
    '/subscriptions/:id',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description: 'Change products, quantities, cycle, regular date, address, payment, slot. If-Match: stale → 412.',
        params: idParams,
        headers: ifMatch,
        body: updateSubscriptionSchema,
        response: { 200: subscriptionSchema },
      },
    },
    async (req, reply) => {
      const c = { db, ctx: ctxOf(req, clock), id: req.params.id, ifMatch: req.headers['if-match'] };
      const s = await updateSubscription(c, req.body);
      return reply.header('etag', `"${s.version}"`).send(s);
    },
  );

  app.get(
    '/subscriptions/:id/schedule',
    {
      config: { roles: READ },
      schema: {
        tags,
        params: idParams,
        querystring: z.object({ count: z.coerce.number().int().min(1).max(60).default(12) }),
        response: {
          200: z.object({
            dates: z.array(z.string()),
            deliveries: z.array(
              z.object({ date: z.string(), seq: z.number(), moved: z.boolean(), regularDate: z.string() }),
            ),
            status: z.string(),
            pausedUntil: z.string().nullable(),
          }),
        },
      },
    },
    async (req) => schedule(db, ctxOf(req, clock), req.params.id, req.query.count),
  );

  app.get(
    '/subscriptions/:id/history',
    {
      config: { roles: READ },
      schema: { tags, params: idParams, response: { 200: z.object({ items: z.array(subscriptionEventSchema) }) } },
    },
    async (req) => subscriptionEvents(db, ctxOf(req, clock), req.params.id),
  );

  const verb = <B extends z.ZodType>(
    path: string,
    description: string,
    body: B,
    run: (c: Parameters<typeof skipNext>[0], body: z.infer<B>) => ReturnType<typeof skipNext>,
  ) =>
    app.post(
      `/subscriptions/:id/${path}`,
      {
        config: { roles: DESK },
        schema: { tags, description, params: idParams, headers: ifMatch, body, response: { 200: subscriptionSchema } },
      },
      async (req) =>
        run(
          { db, ctx: ctxOf(req, clock), id: req.params.id, ifMatch: req.headers['if-match'] },
          req.body as z.infer<B>,
        ),
    );

  const empty = z.strictObject({}).optional();
  verb('skip', 'Skip the next delivery.', empty, (c) => skipNext(c));
  verb('move', 'Move the next delivery only (before the one after it).', moveSchema, (c, b) => moveNext(c, b.date));
  verb('pause', 'Pause, until a date (then resumes by itself) or until resumed.', pauseSchema.optional(), (c, b) =>
    pause(c, b?.until),
  );
  verb('resume', 'Resume a paused subscription with its next regular delivery after today.', empty, (c) => resume(c));
  verb(
    'cancel',
    'Cancel. Under the agreed minimum (回数縛り) → 409 with the remaining count unless acknowledgeCommitment.',
    cancelSchema.optional(),
    (c, b) => cancel(c, b ?? {}),
  );
}
