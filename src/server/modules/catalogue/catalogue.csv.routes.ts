// GET /<master>/export and POST /<master>/import[?dryRun=true] for every master with a CSV layout.
import { z } from 'zod';
import type { App, Deps } from '../../app.js';
import { type Role, STAFF } from '../../platform/auth/roles.js';
import { AppError, toProblem } from '../../platform/errors.js';
import { attachment, csvContentType } from '../../platform/files/csv.js';
import { ctxOf } from '../../platform/http/context.js';
import { localeFrom } from '../../platform/i18n/messages.js';
import { CSV_SPECS, exportMaster, importMaster } from './catalogue.csv.js';
import { importResultSchema } from './catalogue.schema.js';

/** A master file is small; 16 MB is far more than a catalogue of 50,000 products. */
const IMPORT_BODY_LIMIT = 16 * 1024 * 1024;

export function catalogueCsvRoutes(app: App, { db, clock }: Deps, writeRoles: Map<string, readonly Role[]>) {
  for (const spec of CSV_SPECS) {
    const tags = ['csv'];
    app.get(
      `/${spec.name}/export`,
      {
        config: { roles: STAFF },
        schema: {
          tags,
          description: `CSV for Excel (${spec.columns.map((c) => c.label).join(', ')}): Shift_JIS (CP932) or UTF-8 with BOM, CRLF.`,
          querystring: z.object({ encoding: z.enum(['sjis', 'utf8bom']).default('sjis') }),
        },
      },
      async (req, reply) => {
        const ctx = ctxOf(req, clock);
        const stream = await exportMaster(db, ctx, spec, req.query.encoding);
        const day = ctx.now.toISOString().slice(0, 10).replaceAll('-', '');
        return reply
          .header('content-type', csvContentType(req.query.encoding))
          .header('content-disposition', attachment(`${spec.name}-${day}.csv`))
          .header('cache-control', 'no-store')
          .send(stream);
      },
    );

    app.register(async (scope) => {
      const csvApp = scope as unknown as App;
      csvApp.addContentTypeParser('text/csv', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
      csvApp.post(
        `/${spec.name}/import`,
        {
          config: { roles: writeRoles.get(spec.name) ?? STAFF },
          bodyLimit: IMPORT_BODY_LIMIT,
          schema: {
            tags,
            description:
              "Body: the CSV (Content-Type: text/csv), UTF-8, UTF-8 with BOM or Shift_JIS, the export's headers (Japanese or the API field names). Rows upsert by their key. 201 all written, 422 none (errors by row), 200 for dryRun.",
            querystring: z.object({ dryRun: z.enum(['true', 'false', '1', '0']).optional() }),
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
          const result = await importMaster(db, ctx, spec, req.body, { dryRun, locale });
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
          return reply.status(dryRun ? 200 : 201).send(result);
        },
      );
    });
  }
}
