// The order desk's masters (issue 5): products, categories, ad media, shipping origins, carrier
// accounts, shipping fees, lead days, time slots, payment methods, campaigns and reasons.
// Reads: the desk (admin, supervisor, operator: the order form reads them). Writes: admins, and
// supervisors for the merchandising masters (products, categories, ad media, campaigns, reasons).
import { z } from 'zod';
import { tokyoDate } from '../../../shared/calendar.js';
import type { App, Deps } from '../../app.js';
import { ADMIN, DESK, type Role, STAFF } from '../../platform/auth/roles.js';
import { ctxOf } from '../../platform/http/context.js';
import {
  getCarrierAccount,
  listCarrierAccounts,
  listTimeSlots,
  putCarrierAccount,
  putTimeSlots,
} from './carriers.service.js';
import { catalogueCsvRoutes } from './catalogue.csv.routes.js';
import * as s from './catalogue.schema.js';
import { etagOf, type Master, type Row, service } from './crud.js';
import * as m from './masters.js';

const idParams = z.object({ id: z.uuid() });
const ifMatch = z.looseObject({ 'if-match': z.string().max(200).optional() });

export type MasterRoutes = {
  path: string;
  master: Master;
  tag: string;
  item: z.ZodType;
  page: z.ZodType;
  create: z.ZodType;
  update: z.ZodType;
  query: z.ZodType;
  write: readonly Role[];
};

/** The masters with list/read/create/change/delete routes (and CSV import/export). */
export const MASTER_ROUTES: MasterRoutes[] = [
  {
    path: '/products',
    master: m.products,
    tag: 'products',
    item: s.productSchema,
    page: s.productPageSchema,
    create: s.createProductSchema,
    update: s.updateProductSchema,
    query: s.productListQuery,
    write: STAFF,
  },
  {
    path: '/product-categories',
    master: m.categories,
    tag: 'products',
    item: s.categorySchema,
    page: s.categoryPageSchema,
    create: s.createCategorySchema,
    update: s.updateCategorySchema,
    query: s.listQuery,
    write: STAFF,
  },
  {
    path: '/ad-media',
    master: m.adMedia,
    tag: 'ad-media',
    item: s.adMediumSchema,
    page: s.adMediumPageSchema,
    create: s.createAdMediumSchema,
    update: s.updateAdMediumSchema,
    query: s.listQuery,
    write: STAFF,
  },
  {
    path: '/shipping-origins',
    master: m.origins,
    tag: 'shipping',
    item: s.originSchema,
    page: s.originPageSchema,
    create: s.createOriginSchema,
    update: s.updateOriginSchema,
    query: s.listQuery,
    write: ADMIN,
  },
  {
    path: '/shipping-fees',
    master: m.shippingFees,
    tag: 'shipping',
    item: s.shippingFeeSchema,
    page: s.shippingFeePageSchema,
    create: s.createShippingFeeSchema,
    update: s.updateShippingFeeSchema,
    query: s.listQuery.extend({ carrier: s.carrierSchema.optional() }),
    write: ADMIN,
  },
  {
    path: '/delivery-lead-days',
    master: m.leadDays,
    tag: 'shipping',
    item: s.leadDaysSchema,
    page: s.leadDaysPageSchema,
    create: s.createLeadDaysSchema,
    update: s.updateLeadDaysSchema,
    query: s.listQuery.extend({ carrier: s.carrierSchema.optional() }),
    write: ADMIN,
  },
  {
    path: '/payment-methods',
    master: m.paymentMethods,
    tag: 'payments',
    item: s.paymentMethodSchema,
    page: s.paymentMethodPageSchema,
    create: s.createPaymentMethodSchema,
    update: s.updatePaymentMethodSchema,
    query: s.listQuery,
    write: ADMIN,
  },
  {
    path: '/campaigns',
    master: m.campaigns,
    tag: 'campaigns',
    item: s.campaignSchema,
    page: s.campaignPageSchema,
    create: s.createCampaignSchema,
    update: s.updateCampaignSchema,
    query: s.campaignListQuery,
    write: STAFF,
  },
  {
    path: '/reasons',
    master: m.reasons,
    tag: 'reasons',
    item: s.reasonSchema,
    page: s.reasonPageSchema,
    create: s.createReasonSchema,
    update: s.updateReasonSchema,
    query: s.reasonListQuery,
    write: STAFF,
  },
];

function masterRoutes(app: App, { db, clock }: Deps, r: MasterRoutes) {
  const svc = service(db, r.master);
  const tags = [r.tag];
  const withEtag = r.master.versioned;

  app.get(
    r.path,
    {
      config: { roles: DESK },
      schema: { tags, querystring: r.query, response: { 200: r.page } },
    },
    async (req) => {
      const ctx = ctxOf(req, clock);
      return svc.list(ctx, { ...(req.query as Row & { limit: number }), today: tokyoDate(ctx.now) });
    },
  );

  app.post(
    r.path,
    { config: { roles: r.write }, schema: { tags, body: r.create, response: { 201: r.item } } },
    async (req, reply) => {
      const row = await svc.create(ctxOf(req, clock), req.body as Row);
      if (withEtag) reply.header('etag', etagOf(row));
      return reply
        .status(201)
        .header('location', `/api/v1${r.path}/${String(row.id)}`)
        .send(row);
    },
  );

  app.get(
    `${r.path}/:id`,
    { config: { roles: DESK }, schema: { tags, params: idParams, response: { 200: r.item } } },
    async (req, reply) => {
      const row = await svc.get(ctxOf(req, clock), req.params.id);
      if (withEtag) reply.header('etag', etagOf(row));
      return reply.send(row);
    },
  );

  app.patch(
    `${r.path}/:id`,
    {
      config: { roles: r.write },
      schema: {
        tags,
        description: withEtag ? 'If-Match (optional) with the ETag of the read: a stale one answers 412.' : undefined,
        params: idParams,
        headers: ifMatch,
        body: r.update,
        response: { 200: r.item },
      },
    },
    async (req, reply) => {
      const row = await svc.update(ctxOf(req, clock), req.params.id, req.body as Row, req.headers['if-match']);
      if (withEtag) reply.header('etag', etagOf(row));
      return reply.send(row);
    },
  );

  app.delete(
    `${r.path}/:id`,
    {
      config: { roles: r.write },
      schema: {
        tags,
        description: '409 while orders or other masters refer to it: deactivate it instead.',
        params: idParams,
      },
    },
    async (req, reply) => {
      await svc.remove(ctxOf(req, clock), req.params.id);
      return reply.status(204).send();
    },
  );
}

const carrierParams = z.object({ carrier: s.carrierSchema });

export function catalogueRoutes(app: App, deps: Deps) {
  const { db, clock } = deps;
  for (const r of MASTER_ROUTES) masterRoutes(app, deps, r);

  const tags = ['shipping'];
  app.get(
    '/carrier-accounts',
    {
      config: { roles: DESK },
      schema: { tags, response: { 200: z.object({ items: z.array(s.carrierAccountSchema) }) } },
    },
    async (req) => listCarrierAccounts(db, ctxOf(req, clock)),
  );
  app.get(
    '/carrier-accounts/:carrier',
    { config: { roles: DESK }, schema: { tags, params: carrierParams, response: { 200: s.carrierAccountSchema } } },
    async (req) => getCarrierAccount(db, ctxOf(req, clock), req.params.carrier),
  );
  app.put(
    '/carrier-accounts/:carrier',
    {
      config: { roles: ADMIN },
      schema: {
        tags,
        description: 'The codes the carrier file layout asks for, and the tracking page ({number}).',
        params: carrierParams,
        body: s.putCarrierAccountSchema,
        response: { 200: s.carrierAccountSchema },
      },
    },
    async (req) => putCarrierAccount(db, ctxOf(req, clock), req.params.carrier, req.body),
  );

  const slots = z.object({ items: z.array(s.timeSlotSchema) });
  app.get(
    '/delivery-time-slots',
    {
      config: { roles: DESK },
      schema: { tags, querystring: z.object({ carrier: s.carrierSchema.optional() }), response: { 200: slots } },
    },
    async (req) => listTimeSlots(db, ctxOf(req, clock), req.query.carrier),
  );
  app.put(
    '/delivery-time-slots/:carrier',
    {
      config: { roles: ADMIN },
      schema: {
        tags,
        description: "Replaces the carrier's slots (its own codes, as its file layout wants them).",
        params: carrierParams,
        body: s.putTimeSlotsSchema,
        response: { 200: slots },
      },
    },
    async (req) => putTimeSlots(db, ctxOf(req, clock), req.params.carrier, req.body.items),
  );

  catalogueCsvRoutes(app, deps, new Map(MASTER_ROUTES.map((r) => [r.path.slice(1), r.write])));
}
