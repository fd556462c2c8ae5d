import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App, Deps } from '../../app.js';
import { principalOf } from '../../platform/auth/principal.js';
import { STAFF } from '../../platform/auth/roles.js';
import { ctxOf } from '../../platform/http/context.js';
import { pageQuery } from '../../platform/http/pagination.js';
import { createCategory, deleteCategory, listCategories, updateCategory } from './faq.categories.js';
import { articleFromCase } from './faq.from-case.js';
import { inquiryReportRoutes } from './faq.report.routes.js';
import {
  articleHitSchema,
  articlePageSchema,
  articleSchema,
  categorySchema,
  createArticleSchema,
  createCategorySchema,
  FAQ_READERS,
  listArticlesQuery,
  updateArticleSchema,
  updateCategorySchema,
} from './faq.schema.js';
import {
  createArticle,
  deleteArticle,
  getArticle,
  listArticles,
  type Reader,
  recordUse,
  suggestArticles,
  updateArticle,
} from './faq.service.js';

const idParams = z.object({ id: z.uuid() });
const tags = ['faq'];
const ifMatch = z.looseObject({ 'if-match': z.string().max(200).optional() });

function readerOf(req: FastifyRequest): Reader {
  const p = principalOf(req);
  return { tenantId: p.tenantId, staff: STAFF.includes(p.role) };
}

/**
 * FAQ / knowledge base: everyone who works calls and cases reads, searches and counts uses of the
 * published articles; supervisors and admins write articles and categories, see drafts, make an
 * article from a case and read the inquiry report.
 */
export function faqRoutes(app: App, deps: Deps) {
  const { db, clock } = deps;

  app.get(
    '/faq',
    {
      config: { roles: FAQ_READERS },
      schema: {
        tags,
        description: 'With `q`: articles matching every word (Japanese-folded), best first; without: most used first.',
        querystring: listArticlesQuery,
        response: { 200: articlePageSchema },
      },
    },
    async (req) => listArticles(db, readerOf(req), req.query),
  );

  app.post(
    '/faq',
    { config: { roles: STAFF }, schema: { tags, body: createArticleSchema, response: { 201: articleSchema } } },
    async (req, reply) => {
      const read = await createArticle(db, ctxOf(req, clock), req.body);
      return reply
        .status(201)
        .header('etag', read.etag)
        .header('location', `/api/v1/faq/${read.article.id}`)
        .send(read.article);
    },
  );

  app.get(
    '/faq/suggest',
    {
      config: { roles: FAQ_READERS },
      schema: {
        tags,
        description: "The published articles that best answer the operator's text (keywords found in it count most).",
        querystring: z.object({
          text: z.string().max(2000),
          limit: z.coerce.number().int().min(1).max(20).default(5),
        }),
        response: { 200: z.object({ items: z.array(articleHitSchema) }) },
      },
    },
    async (req) => suggestArticles(db, readerOf(req), req.query.text, req.query.limit),
  );

  app.get(
    '/faq/categories',
    {
      config: { roles: FAQ_READERS },
      schema: {
        tags,
        querystring: pageQuery,
        response: { 200: z.object({ items: z.array(categorySchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => listCategories(db, readerOf(req), req.query),
  );

  app.post(
    '/faq/categories',
    { config: { roles: STAFF }, schema: { tags, body: createCategorySchema, response: { 201: categorySchema } } },
    async (req, reply) => reply.status(201).send(await createCategory(db, ctxOf(req, clock), req.body)),
  );

  app.patch(
    '/faq/categories/:id',
    {
      config: { roles: STAFF },
      schema: { tags, params: idParams, body: updateCategorySchema, response: { 200: categorySchema } },
    },
    async (req) => updateCategory(db, ctxOf(req, clock), req.params.id, req.body),
  );

  app.delete(
    '/faq/categories/:id',
    { config: { roles: STAFF }, schema: { tags, params: idParams } },
    async (req, reply) => {
      await deleteCategory(db, ctxOf(req, clock), req.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/faq/:id',
    { config: { roles: FAQ_READERS }, schema: { tags, params: idParams, response: { 200: articleSchema } } },
    async (req, reply) => {
      const read = await getArticle(db, readerOf(req), req.params.id);
      return reply.header('etag', read.etag).send(read.article);
    },
  );

  app.patch(
    '/faq/:id',
    {
      config: { roles: STAFF },
      schema: {
        tags,
        description: 'If-Match (optional) with the ETag of the read: stale → 412.',
        params: idParams,
        body: updateArticleSchema,
        headers: ifMatch,
        response: { 200: articleSchema },
      },
    },
    async (req, reply) => {
      const read = await updateArticle(db, ctxOf(req, clock), req.params.id, req.body, req.headers['if-match']);
      return reply.header('etag', read.etag).send(read.article);
    },
  );

  app.delete('/faq/:id', { config: { roles: STAFF }, schema: { tags, params: idParams } }, async (req, reply) => {
    await deleteArticle(db, ctxOf(req, clock), req.params.id);
    return reply.status(204).send();
  });

  app.post(
    '/faq/:id/used',
    {
      config: { roles: FAQ_READERS },
      schema: {
        tags,
        description: 'Counts one use of the article, with the interaction it answered when given.',
        params: idParams,
        body: z.strictObject({ interactionId: z.uuid().optional() }).nullish(),
        response: { 200: z.object({ id: z.uuid(), useCount: z.number().int() }) },
      },
    },
    async (req) => {
      const ctx = { ...ctxOf(req, clock), staff: readerOf(req).staff };
      return recordUse(db, ctx, req.params.id, req.body?.interactionId);
    },
  );

  app.post(
    '/cases/:id/faq',
    {
      config: { roles: STAFF },
      schema: {
        tags: [...tags, 'cases'],
        description:
          'Makes an unpublished article from the case, its interaction and its comments (one per case: 409 after).',
        params: idParams,
        body: z.strictObject({ categoryId: z.uuid().nullish() }).nullish(),
        response: { 201: articleSchema },
      },
    },
    async (req, reply) => {
      const read = await articleFromCase(db, ctxOf(req, clock), req.params.id, req.body ?? {});
      return reply
        .status(201)
        .header('etag', read.etag)
        .header('location', `/api/v1/faq/${read.article.id}`)
        .send(read.article);
    },
  );

  inquiryReportRoutes(app, deps);
}
