import { z } from 'zod';
import type { App, Deps } from '../../app.js';
import { DESK } from '../../platform/auth/roles.js';
import { AppError, toProblem } from '../../platform/errors.js';
import { attachment } from '../../platform/files/csv.js';
import { ctxOf } from '../../platform/http/context.js';
import { localeFrom } from '../../platform/i18n/messages.js';
import { previewExport, startExport } from './shipping.export.js';
import { EXPORT_CARRIERS, ORDER_CARRIER, type OrderCarrier } from './shipping.layouts.js';
import { trackingUrlOf } from './shipping.queries.js';
import { bulkInvoicePdf, dailyList, dailyPdf, invoicePdf } from './shipping.reports.js';
import { importTracking } from './shipping.tracking.js';

const tags = ['shipping'];
const isoDate = z.iso.date();
const exportCarrier = z.enum(EXPORT_CARRIERS);
/** The reports take the order's carrier names too (yamato = yamato-b2). */
const anyCarrier = z
  .enum([...EXPORT_CARRIERS, 'yamato'])
  .transform((c): OrderCarrier => (c === 'yamato' ? 'yamato' : ORDER_CARRIER[c]));
const dayQuery = z.object({ carrier: exportCarrier, shipDate: isoDate });
/** Issued-data files of 10,000 parcels are a few MB. */
const IMPORT_MIN_BODY_LIMIT = 32 * 1024 * 1024;
/** At most this many order numbers are named in the export's skipped header. */
const SKIPPED_IN_HEADER = 200;

const problemSchema = z.object({
  orderId: z.string(),
  number: z.string(),
  field: z.string(),
  column: z.string(),
  code: z.string(),
  message: z.string(),
});
const previewSchema = z.object({
  total: z.number().int(),
  parcels: z.number().int(),
  problems: z.array(problemSchema),
  warnings: z.array(z.object({ field: z.string(), code: z.string(), message: z.string() })),
});
const trackingResultSchema = z.object({
  rows: z.number().int(),
  matched: z.number().int(),
  shipped: z.number().int(),
  errors: z.array(z.object({ row: z.number().int(), code: z.string(), message: z.string() })),
});
const dailyItemSchema = z.object({
  orderId: z.string(),
  number: z.string(),
  status: z.string(),
  carrier: z.string(),
  customerName: z.string(),
  shipName: z.string(),
  prefecture: z.string().nullable(),
  items: z.array(z.object({ code: z.string(), name: z.string(), quantity: z.number().int() })),
  quantity: z.number().int(),
  codAmount: z.number().int(),
  timeSlot: z.string().nullable(),
  timeSlotLabel: z.string().nullable(),
  desiredDeliveryDate: z.string().nullable(),
  trackingNumber: z.string().nullable(),
});

const pdf = 'application/pdf';

/**
 * Shipping (CONTRACTS.md "Catalogue, orders, shipping"): carrier files out (marking orders
 * instructed), tracking numbers in (marking them shipped), the day's 出荷確認一覧表, and
 * 納品書/請求書 PDFs. All of it is order desk work: admin, supervisor, operator.
 */
export function shippingRoutes(app: App, deps: Deps) {
  const { db, clock, config } = deps;

  app.get(
    '/shipments/export/preview',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description: 'What GET /shipments/export would send, and every parcel it would leave out and why.',
        querystring: dayQuery,
        response: { 200: previewSchema },
      },
    },
    async (req) =>
      previewExport(
        db,
        ctxOf(req, clock),
        req.query.carrier,
        req.query.shipDate,
        localeFrom(req.headers['accept-language']),
      ),
  );

  app.get(
    '/shipments/export',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description:
          "The day's parcels in the carrier's import layout (Shift_JIS, CRLF, header row); marks them instructed. Parcels that cannot be sent are left out: X-Madoguchi-Skipped counts them, X-Madoguchi-Skipped-Orders names them (see /shipments/export/preview).",
        querystring: dayQuery,
      },
    },
    async (req, reply) => {
      const { carrier, shipDate } = req.query;
      const r = await startExport(db, ctxOf(req, clock), carrier, shipDate, localeFrom(req.headers['accept-language']));
      const skipped = [...new Set(r.problems.map((p) => p.number))];
      return reply
        .header('content-type', 'text/csv; charset=Shift_JIS')
        .header('content-disposition', attachment(`${carrier}-${shipDate.replaceAll('-', '')}.csv`))
        .header('cache-control', 'no-store')
        .header('x-madoguchi-parcels', String(r.parcels))
        .header('x-madoguchi-skipped', String(skipped.length))
        .header('x-madoguchi-skipped-orders', skipped.slice(0, SKIPPED_IN_HEADER).join(','))
        .send(r.stream);
    },
  );

  // The import reads its body as bytes (Shift_JIS or UTF-8, detected), in this scope only.
  app.register(async (scope) => {
    const csvApp = scope as unknown as App;
    for (const type of ['text/csv', 'text/plain', 'application/octet-stream']) {
      csvApp.addContentTypeParser(type, { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    }
    csvApp.post(
      '/shipments/tracking-import',
      {
        config: { roles: DESK },
        bodyLimit: Math.max(config.bodyLimit, IMPORT_MIN_BODY_LIMIT),
        schema: {
          tags,
          description:
            "Body: the carrier software's issued-data file (text/csv, Shift_JIS or UTF-8). 200: every row matched, orders shipped; 422: nothing changed, errors by row.",
          querystring: z.object({ carrier: exportCarrier }),
          response: { 200: trackingResultSchema, 422: z.unknown() },
        },
      },
      async (req, reply) => {
        if (!Buffer.isBuffer(req.body)) {
          throw new AppError(415, 'unsupported_media_type', 'error.detail.unsupported_media_type', {
            type: String(req.headers['content-type'] ?? ''),
          });
        }
        const locale = localeFrom(req.headers['accept-language']);
        const { status, result } = await importTracking(db, ctxOf(req, clock), req.query.carrier, req.body, locale);
        if (status === 200) return reply.status(200).send(result);
        const problem = toProblem(
          new AppError(422, 'shipping.tracking.invalid_rows', 'shipping.tracking.invalid_rows', {
            count: new Set(result.errors.map((e) => e.row)).size,
          }),
          locale,
          String(req.id),
        );
        return reply
          .status(422)
          .type('application/problem+json; charset=utf-8')
          .send({ ...problem, ...result });
      },
    );
  });

  const reportQuery = z.object({ shipDate: isoDate, carrier: anyCarrier.optional() });

  app.get(
    '/shipments/daily',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description: '出荷確認一覧表: the ship day’s orders (all but cancelled), by carrier and number.',
        querystring: reportQuery,
        response: {
          200: z.object({
            shipDate: z.string(),
            carrier: z.string().nullable(),
            items: z.array(dailyItemSchema),
            totals: z.object({ parcels: z.number().int(), quantity: z.number().int(), codAmount: z.number().int() }),
          }),
        },
      },
    },
    async (req) => dailyList(db, ctxOf(req, clock), req.query.shipDate, req.query.carrier),
  );

  app.get(
    '/shipments/daily.pdf',
    {
      config: { roles: DESK },
      schema: { tags, description: '出荷確認一覧表 as a printable PDF (A4 landscape).', querystring: reportQuery },
    },
    async (req, reply) => {
      const stream = await dailyPdf(db, ctxOf(req, clock), req.query.shipDate, req.query.carrier);
      return reply
        .header('content-type', pdf)
        .header('content-disposition', `inline; filename="daily-${req.query.shipDate}.pdf"`)
        .header('cache-control', 'no-store')
        .send(stream);
    },
  );

  const typeQuery = z.enum(['delivery', 'invoice']).default('delivery');

  app.get(
    '/shipments/invoices.pdf',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description: "納品書 (type=delivery) or 請求書 (type=invoice) of the ship day's orders, one PDF.",
        querystring: reportQuery.extend({ type: typeQuery }),
      },
    },
    async (req, reply) => {
      const { shipDate, carrier, type } = req.query;
      const stream = await bulkInvoicePdf(db, ctxOf(req, clock), shipDate, carrier, type);
      return reply
        .header('content-type', pdf)
        .header('content-disposition', `inline; filename="${type}-${shipDate}.pdf"`)
        .header('cache-control', 'no-store')
        .send(stream);
    },
  );

  app.get(
    '/orders/:id/invoice.pdf',
    {
      config: { roles: DESK },
      schema: {
        tags: ['orders'],
        description: '納品書 or 請求書 as a 適格請求書 (issuer, registration number, per-rate totals, ※ for 8 %).',
        params: z.object({ id: z.uuid() }),
        querystring: z.object({ type: typeQuery }),
      },
    },
    async (req, reply) => {
      const body = await invoicePdf(db, ctxOf(req, clock), req.params.id, req.query.type);
      return reply
        .header('content-type', pdf)
        .header('content-disposition', `inline; filename="${req.query.type}-${req.params.id}.pdf"`)
        .header('cache-control', 'no-store')
        .send(body);
    },
  );

  app.get(
    '/orders/:id/tracking',
    {
      config: { roles: DESK },
      schema: {
        tags: ['orders'],
        description: "The order's carrier, tracking number and the carrier's tracking page (for the monitor).",
        params: z.object({ id: z.uuid() }),
        response: {
          200: z.object({
            carrier: z.string(),
            trackingNumber: z.string().nullable(),
            url: z.string().nullable(),
          }),
        },
      },
    },
    async (req) => {
      const ctx = ctxOf(req, clock);
      return db.withTenant(ctx.tenantId, async (tx) => {
        const [o] = await tx.query<{ carrier: OrderCarrier; tracking_number: string | null }>(
          'SELECT carrier, tracking_number FROM orders WHERE tenant_id = $1 AND id = $2',
          [tx.tenantId, req.params.id],
        );
        if (!o) throw AppError.notFound('object.shipping_order');
        return {
          carrier: o.carrier,
          trackingNumber: o.tracking_number,
          url: o.tracking_number ? await trackingUrlOf(tx, o.carrier, o.tracking_number) : null,
        };
      });
    },
  );
}
