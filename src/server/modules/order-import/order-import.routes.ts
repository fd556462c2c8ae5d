// Web受注取込 and 受注一覧 CSV (issue 5): presets CRUD, POST /orders/import, GET /orders.csv.
// Bulk imports and exports of personal data are for admins and supervisors (as customers' are).
import { z } from 'zod';
import type { App, Deps } from '../../app.js';
import { STAFF } from '../../platform/auth/roles.js';
import { AppError, toProblem } from '../../platform/errors.js';
import { attachment, csvContentType } from '../../platform/files/csv.js';
import { ctxOf } from '../../platform/http/context.js';
import { pageQuery } from '../../platform/http/pagination.js';
import { localeFrom } from '../../platform/i18n/messages.js';
import { listOrdersQuery } from '../orders/orders.schema.js';
import { exportOrders } from './order-export.js';
import { createPreset, deletePreset, getPreset, listPresets, updatePreset } from './order-import.presets.js';
import {
  importQuery,
  importResultSchema,
  type Mapping,
  mappingSchema,
  presetBodySchema,
  presetPatchSchema,
  presetSchema,
} from './order-import.schema.js';
import { importOrders } from './order-import.service.js';

const tags = ['order-import'];
const idParams = z.object({ id: z.uuid() });
const IMPORT_MIN_BODY_LIMIT = 32 * 1024 * 1024;

/** ?mapping= as JSON, checked as a preset's mapping is. */
function mappingOf(raw: string | undefined): Mapping | undefined {
  if (raw === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw AppError.field(400, 'mapping_invalid', 'mapping', 'ordimp.mapping_invalid');
  }
  const parsed = mappingSchema.safeParse(value);
  if (!parsed.success) throw AppError.field(400, 'mapping_invalid', 'mapping', 'ordimp.mapping_invalid');
  return parsed.data;
}

export function orderImportRoutes(app: App, { db, clock, config }: Deps) {
  app.get(
    '/order-import/presets',
    {
      config: { roles: STAFF },
      schema: {
        tags,
        querystring: pageQuery,
        response: { 200: z.object({ items: z.array(presetSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => listPresets(db, ctxOf(req, clock), req.query),
  );

  app.post(
    '/order-import/presets',
    {
      config: { roles: STAFF },
      schema: {
        tags,
        description: 'A saved mapping: { name, mapping: { <field>: <CSV header> } }. Same name → 409.',
        body: presetBodySchema,
        response: { 201: presetSchema },
      },
    },
    async (req, reply) => {
      const preset = await createPreset(db, ctxOf(req, clock), req.body);
      return reply.code(201).header('etag', `"${preset.version}"`).send(preset);
    },
  );

  app.get(
    '/order-import/presets/:id',
    { config: { roles: STAFF }, schema: { tags, params: idParams, response: { 200: presetSchema } } },
    async (req, reply) => {
      const preset = await getPreset(db, ctxOf(req, clock), req.params.id);
      return reply.header('etag', `"${preset.version}"`).send(preset);
    },
  );

  app.patch(
    '/order-import/presets/:id',
    {
      config: { roles: STAFF },
      schema: {
        tags,
        params: idParams,
        headers: z.looseObject({ 'if-match': z.string().max(200).optional() }),
        body: presetPatchSchema,
        response: { 200: presetSchema },
      },
    },
    async (req, reply) => {
      const preset = await updatePreset(db, ctxOf(req, clock), req.params.id, req.body, req.headers['if-match']);
      return reply.header('etag', `"${preset.version}"`).send(preset);
    },
  );

  app.delete(
    '/order-import/presets/:id',
    { config: { roles: STAFF }, schema: { tags, params: idParams } },
    async (req, reply) => {
      await deletePreset(db, ctxOf(req, clock), req.params.id);
      return reply.code(204).send();
    },
  );

  app.get(
    '/orders.csv',
    {
      config: { roles: STAFF },
      schema: {
        tags,
        description:
          '受注一覧 as CSV: the orders of GET /orders for the same filters, one row per line. Shift_JIS (CP932, default) or UTF-8 with BOM, CRLF, formula cells defused.',
        querystring: listOrdersQuery
          .omit({ limit: true, cursor: true })
          .extend({ encoding: z.enum(['sjis', 'utf8bom']).default('sjis') }),
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, clock);
      const { encoding, ...filters } = req.query;
      const stream = await exportOrders(db, ctx, filters, encoding);
      const day = ctx.now.toISOString().slice(0, 10).replaceAll('-', '');
      return reply
        .header('content-type', csvContentType(encoding))
        .header('content-disposition', attachment(`受注一覧-${day}.csv`))
        .header('cache-control', 'no-store')
        .send(stream);
    },
  );

  // The body is the file's bytes (the encoding is detected, not declared): a CSV parser for this scope only.
  app.register(async (scope) => {
    const csvApp = scope as unknown as App;
    csvApp.addContentTypeParser('text/csv', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    csvApp.post(
      '/orders/import',
      {
        config: { roles: STAFF },
        bodyLimit: Math.max(config.bodyLimit, IMPORT_MIN_BODY_LIMIT),
        schema: {
          tags,
          description:
            "Body: a site's order CSV (Content-Type: text/csv) in UTF-8, UTF-8 with BOM or Shift_JIS, one row per order line, rows grouped into orders by the order-number column. Columns mapped by ?mapping= (JSON), ?presetId=, or headers named as the fields. 201 all imported, 422 none (errors by row), 200 for dryRun.",
          querystring: importQuery,
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
        const dryRun = req.query.dryRun === 'true' || req.query.dryRun === '1';
        const mapping = mappingOf(req.query.mapping);
        const result = await importOrders(db, ctx, req.body, {
          dryRun,
          locale,
          ...(mapping ? { mapping } : {}),
          ...(req.query.presetId ? { presetId: req.query.presetId } : {}),
        });
        if (result.errors.length > 0) {
          const bad = new Set(result.errors.map((e) => e.row)).size;
          const problem = toProblem(
            new AppError(422, 'import.invalid_rows', 'ordimp.invalid_rows', { count: bad }),
            locale,
            String(req.id),
          );
          return reply
            .status(422)
            .type('application/problem+json; charset=utf-8')
            .send({ ...problem, ...result });
        }
        return reply.status(dryRun ? 200 : 201).send(result);
      },
    );
  });
}
