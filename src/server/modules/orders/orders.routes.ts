// Orders API, CONTRACTS.md "Catalogue, orders, shipping": POST /orders (Idempotency-Key),
// GET /orders, GET /orders/{id}; plus the order desk's quote, edit, cancel, complete, 再注文.
import { z } from 'zod';
import type { App, Deps } from '../../app.js';
import { ctxOf } from '../../platform/http/context.js';
import {
  cancelSchema,
  createOrderSchema,
  listOrdersQuery,
  orderEventSchema,
  orderSchema,
  quoteSchema,
  updateOrderSchema,
} from './orders.schema.js';
import {
  cancelOrder,
  completeOrder,
  getOrder,
  listOrders,
  orderEvents,
  quoteOrder,
  reorderBody,
  updateOrder,
} from './orders.service.js';
import { placementQueue } from './placement-queue.js';

const DESK = ['admin', 'supervisor', 'operator'] as const;
const tags = ['orders'];
const idParams = z.object({ id: z.uuid() });
const ifMatch = z.looseObject({ 'if-match': z.string().max(200).optional() });

export function ordersRoutes(app: App, { db, clock }: Deps) {
  const placement = placementQueue(db);
  app.post(
    '/orders',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description:
          'Registers an order priced from the masters (tax per rate, one rounding per rate). Idempotency-Key: a replay with the same body answers the first order; another body → 409.',
        headers: z.looseObject({ 'idempotency-key': z.string().min(1).max(200).optional() }),
        body: createOrderSchema,
        response: { 201: orderSchema },
      },
    },
    async (req, reply) => {
      const { order, replayed } = await placement.place(ctxOf(req, clock), req.body, req.headers['idempotency-key']);
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(201).header('etag', `"${order.version}"`).send(order);
    },
  );

  app.post(
    '/orders/quote',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description:
          'The order as it would be registered (totals, dates, campaigns), nothing saved: the order form’s live totals.',
        body: createOrderSchema,
        response: { 200: quoteSchema },
      },
    },
    async (req) => quoteOrder(db, ctxOf(req, clock), req.body),
  );

  app.get(
    '/orders',
    {
      config: { roles: DESK },
      schema: {
        tags,
        querystring: listOrdersQuery,
        response: { 200: z.object({ items: z.array(orderSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => listOrders(db, ctxOf(req, clock), req.query),
  );

  app.get(
    '/orders/:id',
    { config: { roles: DESK }, schema: { tags, params: idParams, response: { 200: orderSchema } } },
    async (req, reply) => {
      const order = await getOrder(db, ctxOf(req, clock), req.params.id);
      return reply.header('etag', `"${order.version}"`).send(order);
    },
  );

  app.get(
    '/orders/:id/events',
    {
      config: { roles: DESK },
      schema: { tags, params: idParams, response: { 200: z.object({ items: z.array(orderEventSchema) }) } },
    },
    async (req) => orderEvents(db, ctxOf(req, clock), req.params.id),
  );

  app.patch(
    '/orders/:id',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description:
          'Changes an order while it is received (受付), re-priced. If-Match: stale → 412; later statuses → 409.',
        params: idParams,
        headers: ifMatch,
        body: updateOrderSchema,
        response: { 200: orderSchema },
      },
    },
    async (req, reply) => {
      const order = await updateOrder(db, ctxOf(req, clock), req.params.id, req.body, req.headers['if-match']);
      return reply.header('etag', `"${order.version}"`).send(order);
    },
  );

  app.post(
    '/orders/:id/cancel',
    {
      config: { roles: DESK },
      schema: {
        tags,
        params: idParams,
        headers: ifMatch,
        body: cancelSchema.optional(),
        response: { 200: orderSchema },
      },
    },
    async (req) => cancelOrder(db, ctxOf(req, clock), req.params.id, req.body ?? {}, req.headers['if-match']),
  );

  app.post(
    '/orders/:id/complete',
    { config: { roles: DESK }, schema: { tags, params: idParams, response: { 200: orderSchema } } },
    async (req) => completeOrder(db, ctxOf(req, clock), req.params.id),
  );

  app.get(
    '/orders/:id/reorder',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description: '再注文: the body of a new order like this one (products no longer on sale listed apart).',
        params: idParams,
        response: {
          200: z.object({
            customerId: z.uuid(),
            lines: z.array(z.object({ productId: z.uuid(), quantity: z.number() })),
            unavailable: z.array(z.object({ productId: z.uuid(), productName: z.string() })),
            carrier: z.string(),
            addressId: z.uuid().optional(),
            deliveryTimeSlot: z.string().optional(),
            paymentMethodId: z.uuid().optional(),
            adMediumId: z.uuid().optional(),
            sourceOrderId: z.uuid(),
          }),
        },
      },
    },
    async (req) => reorderBody(db, ctxOf(req, clock), req.params.id),
  );
}
