import { z } from 'zod';
import type { App, Deps } from '../../app.js';
import { DESK, STAFF } from '../../platform/auth/roles.js';
import { AppError, toProblem } from '../../platform/errors.js';
import { attachment, csvContentType } from '../../platform/files/csv.js';
import { ctxOf } from '../../platform/http/context.js';
import { pageQuery } from '../../platform/http/pagination.js';
import { localeFrom } from '../../platform/i18n/messages.js';
import { registerSearchProvider } from '../../platform/search/search.routes.js';
import { addressesRoutes } from './addresses.routes.js';
import { exportCustomers } from './customers.export.js';
import { checkImport, importRecords } from './customers.import.js';
import { customersPalette } from './customers.palette.js';
import { createCustomerSchema, customerPageSchema, customerSchema, updateCustomerSchema } from './customers.schema.js';
import { createCustomer, getCustomer, listCustomers, lookupByPhone, updateCustomer } from './customers.service.js';

const idParams = z.object({ id: z.uuid() });
const tags = ['customers'];
/** A CSV of 100,000 customers is 15–20 MB; the import takes up to this much whatever BODY_LIMIT_BYTES says. */
const IMPORT_MIN_BODY_LIMIT = 64 * 1024 * 1024;

const importResultSchema = z.object({
  rows: z.number().int(),
  valid: z.number().int(),
  imported: z.number().int(),
  errors: z.array(
    z.object({ row: z.number().int(), column: z.string().nullable(), code: z.string(), message: z.string() }),
  ),
  errorsTruncated: z.boolean(),
});

/**
 * Customers (CONTRACTS.md "Customers"): create, read with ETag, patch with If-Match, search,
 * screen-pop look-up, CSV import and export. The desk (admin, supervisor, operator) works with
 * customers; bulk import and export are for admins and supervisors.
 */
export function customersRoutes(app: App, deps: Deps) {
  const { db, clock, config } = deps;
  registerSearchProvider(customersPalette);

  app.post(
    '/customers',
    { config: { roles: DESK }, schema: { tags, body: createCustomerSchema, response: { 201: customerSchema } } },
    async (req, reply) => {
      const { customer, etag } = await createCustomer(db, ctxOf(req, clock), req.body);
      return reply
        .status(201)
        .header('etag', etag)
        .header('location', `/api/v1/customers/${customer.id}`)
        .send(customer);
    },
  );

  app.get(
    '/customers',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description:
          'Search by phone (any format, or its last 4+ digits), name or kana (substring, folded), code or e-mail.',
        querystring: pageQuery.extend({ q: z.string().max(100).optional() }),
        response: { 200: customerPageSchema },
      },
    },
    async (req) => listCustomers(db, ctxOf(req, clock), req.query),
  );

  app.get(
    '/customers/lookup',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description: 'The customers holding exactly this number, written in any format (the screen pop).',
        querystring: z.object({ phone: z.string().trim().min(1).max(40) }),
        response: { 200: z.object({ items: z.array(customerSchema) }) },
      },
    },
    async (req) => lookupByPhone(db, ctxOf(req, clock), req.query.phone),
  );

  app.get(
    '/customers/export',
    {
      config: { roles: STAFF },
      schema: {
        tags,
        description: 'CSV for Excel: Shift_JIS (CP932) or UTF-8 with BOM, CRLF, formula cells defused.',
        querystring: z.object({
          encoding: z.enum(['sjis', 'utf8bom']).default('utf8bom'),
          q: z.string().max(100).optional(),
        }),
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, clock);
      const stream = await exportCustomers(db, ctx, req.query);
      const day = ctx.now.toISOString().slice(0, 10).replaceAll('-', '');
      return reply
        .header('content-type', csvContentType(req.query.encoding))
        .header('content-disposition', attachment(`customers-${day}.csv`))
        .header('cache-control', 'no-store')
        .send(stream);
    },
  );

  app.get(
    '/customers/:id',
    { config: { roles: DESK }, schema: { tags, params: idParams, response: { 200: customerSchema } } },
    async (req, reply) => {
      const { customer, etag } = await getCustomer(db, ctxOf(req, clock), req.params.id);
      return reply.header('etag', etag).send(customer);
    },
  );

  app.patch(
    '/customers/:id',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description: 'If-Match (optional) with the ETag of the read: a stale one answers 412.',
        params: idParams,
        body: updateCustomerSchema,
        headers: z.looseObject({ 'if-match': z.string().max(200).optional() }),
        response: { 200: customerSchema },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, clock);
      const { customer, etag } = await updateCustomer(db, ctx, req.params.id, req.body, req.headers['if-match']);
      return reply.header('etag', etag).send(customer);
    },
  );

  // The import reads its body as bytes (the encoding is detected here, not declared), so the
  // CSV parser is registered for this route's scope only: other routes still answer 415 to CSV.
  app.register(async (scope) => {
    const csvApp = scope as unknown as App;
    csvApp.addContentTypeParser('text/csv', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    csvApp.post(
      '/customers/import',
      {
        config: { roles: STAFF },
        bodyLimit: Math.max(config.bodyLimit, IMPORT_MIN_BODY_LIMIT),
        schema: {
          tags,
          description:
            'Body: a CSV file (Content-Type: text/csv) in UTF-8, UTF-8 with BOM or Shift_JIS. 201 all imported, 422 none (errors by row), 200 for dryRun.',
          querystring: z.object({ dryRun: z.enum(['true', 'false', '1', '0']).optional() }),
          // 422 is problem+json with the same counts and errors (no schema: sent as built).
          response: { 200: importResultSchema, 201: importResultSchema, 422: z.unknown() },
        },
      },
      async (req, reply) => {
        if (!Buffer.isBuffer(req.body)) {
          throw new AppError(415, 'unsupported_media_type', 'error.detail.unsupported_media_type', {
            type: String(req.headers['content-type'] ?? ''),
          });
        }
        const ctx = ctxOf(req, clock);
        const locale = localeFrom(req.headers['accept-language']);
        const checked = checkImport(req.body, locale, ctx.now);
        const { result } = checked;
        if (result.errors.length > 0) {
          const problem = toProblem(
            new AppError(422, 'import.invalid_rows', 'import.invalid_rows', { count: result.rows - result.valid }),
            locale,
            String(req.id),
          );
          return reply
            .status(422)
            .type('application/problem+json; charset=utf-8')
            .send({ ...problem, ...result });
        }
        const dryRun = req.query.dryRun === 'true' || req.query.dryRun === '1';
        if (dryRun) return reply.status(200).send(result);
        return reply.status(201).send(await importRecords(db, ctx, checked));
      },
    );
  });

  addressesRoutes(app, deps);
}
