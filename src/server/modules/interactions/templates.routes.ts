import { z } from 'zod';
import type { App, Deps } from '../../app.js';
import { DESK, STAFF } from '../../platform/auth/roles.js';
import { ctxOf } from '../../platform/http/context.js';
import { pageQuery } from '../../platform/http/pagination.js';
import { PLACEHOLDERS } from './templates.render.js';
import {
  createTemplate,
  createTemplateSchema,
  deleteTemplate,
  getTemplate,
  listTemplates,
  renderedSchema,
  renderTemplate,
  TEMPLATE_KINDS,
  templateSchema,
  updateTemplate,
  updateTemplateSchema,
} from './templates.service.js';

const idParams = z.object({ id: z.uuid() });
const tags = ['templates'];

/** トーク/返信テンプレート: the desk reads and renders them; admins and supervisors write them. */
export function templatesRoutes(app: App, { db, clock }: Deps) {
  app.get(
    '/templates',
    {
      config: { roles: DESK },
      schema: {
        tags,
        querystring: pageQuery.extend({
          kind: z.enum(TEMPLATE_KINDS).optional(),
          interactionKindId: z.uuid().optional(),
          active: z.enum(['true', 'false']).optional(),
          q: z.string().max(100).optional(),
        }),
        response: { 200: z.object({ items: z.array(templateSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => listTemplates(db, ctxOf(req, clock), req.query),
  );

  app.get(
    '/templates/placeholders',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description: 'The placeholders a template may hold: {{顧客名}} or {{customer.name}} …',
        response: {
          200: z.object({
            items: z.array(
              z.object({
                key: z.string(),
                ja: z.array(z.string()),
                aliases: z.array(z.string()),
                description: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async () => ({ items: PLACEHOLDERS }),
  );

  app.get(
    '/templates/:id',
    { config: { roles: DESK }, schema: { tags, params: idParams, response: { 200: templateSchema } } },
    async (req, reply) => {
      const { template, etag } = await getTemplate(db, ctxOf(req, clock), req.params.id);
      return reply.header('etag', etag).send(template);
    },
  );

  app.post(
    '/templates',
    { config: { roles: STAFF }, schema: { tags, body: createTemplateSchema, response: { 201: templateSchema } } },
    async (req, reply) => {
      const { template, etag } = await createTemplate(db, ctxOf(req, clock), req.body);
      return reply
        .status(201)
        .header('etag', etag)
        .header('location', `/api/v1/templates/${template.id}`)
        .send(template);
    },
  );

  app.patch(
    '/templates/:id',
    {
      config: { roles: STAFF },
      schema: {
        tags,
        description: 'If-Match (optional) with the ETag of the read: a stale one answers 412.',
        params: idParams,
        body: updateTemplateSchema,
        headers: z.looseObject({ 'if-match': z.string().max(200).optional() }),
        response: { 200: templateSchema },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, clock);
      const { template, etag } = await updateTemplate(db, ctx, req.params.id, req.body, req.headers['if-match']);
      return reply.header('etag', etag).send(template);
    },
  );

  app.delete('/templates/:id', { config: { roles: STAFF }, schema: { tags, params: idParams } }, async (req, reply) => {
    await deleteTemplate(db, ctxOf(req, clock), req.params.id);
    return reply.status(204).send();
  });

  app.post(
    '/templates/:id/render',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description:
          'Fills the placeholders from the customer (never its karte), the user and today (Asia/Tokyo). ' +
          'Unknown placeholders stay as written and are listed in `unknown`.',
        params: idParams,
        body: z.strictObject({ customerId: z.uuid() }),
        response: { 200: renderedSchema },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, clock);
      // 担当者名 is a person's: an API token has none (the placeholder is then reported empty).
      const userName = ctx.principal.user?.name ?? null;
      return renderTemplate(db, { ...ctx, userName }, req.params.id, req.body.customerId);
    },
  );
}
