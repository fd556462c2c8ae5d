// 入金管理 API: payments by hand (Idempotency-Key), their list and cancellation, an order's and a
// customer's standing, statement imports (全銀, bank CSV, 代引き, 後払い) with a dry run, the
// matching queue, the unpaid list and reminders (e-mail, letter PDF). See docs/payments.md.
import { z } from 'zod';
import type { App, Deps } from '../../app.js';
import { DESK, STAFF } from '../../platform/auth/roles.js';
import { AppError, toProblem } from '../../platform/errors.js';
import { ctxOf } from '../../platform/http/context.js';
import { localeFrom, type MessageKey, translate } from '../../platform/i18n/messages.js';
import { importStatement, parseStatement } from './payments.import.js';
import {
  dismissBody,
  dismissLine,
  getLine,
  listQueue,
  matchBody,
  matchLine,
  queueQuery,
  statementLineSchema,
} from './payments.queue.js';
import {
  cancelPaymentSchema,
  createPaymentSchema,
  IMPORT_KINDS,
  listPaymentsQuery,
  orderMoneySchema,
  paymentSchema,
} from './payments.schema.js';
import {
  cancelPayment,
  customerBalance,
  getPayment,
  listPayments,
  orderPayments,
  recordPayment,
} from './payments.service.js';
import {
  listUnpaid,
  reminderLetters,
  remindersBody,
  sendReminderMails,
  unpaidItemSchema,
  unpaidQuery,
} from './payments.unpaid.js';

const tags = ['payments'];
const idParams = z.object({ id: z.uuid() });
const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
/** A bank's statement of a year is a few MB; CSVs of carriers likewise. */
const IMPORT_BODY_LIMIT = 32 * 1024 * 1024;

const column = z.string().trim().max(50).optional();
const importQuery = z.object({
  kind: z.enum(IMPORT_KINDS),
  dryRun: z.enum(['true', 'false', '1', '0']).optional(),
  // CSV columns by header label or 1-based number (defaults: docs/payments.md).
  date: column,
  amount: column,
  name: column,
  reference: column,
  tracking: column,
  orderNumber: column,
});

const candidateSchema = z.object({
  orderId: z.uuid(),
  number: z.number(),
  customerId: z.uuid(),
  customerName: z.string(),
  balance: z.number(),
});
const importResultSchema = z.object({
  importId: z.uuid().nullable(),
  lines: z.number(),
  imported: z.number(),
  duplicates: z.number(),
  matched: z.number(),
  queued: z.number(),
  skipped: z.number(),
  amount: z.number(),
  items: z.array(
    z.object({
      row: z.number(),
      paidOn: z.string(),
      amount: z.number(),
      payerName: z.string(),
      outcome: z.enum(['matched', 'queued', 'duplicate']),
      rule: z.string().nullable(),
      orderId: z.uuid().nullable(),
      orderNumber: z.number().nullable(),
      queueReason: z.string().nullable(),
      candidates: z.array(candidateSchema),
    }),
  ),
});

export function paymentsRoutes(app: App, deps: Deps) {
  const { db, clock, jobs } = deps;

  app.post(
    '/payments',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description:
          'Records a payment (or, kind refund, money paid back) against an order, or against a customer as a credit. Idempotency-Key: a replay with the same body answers the first payment; another body → 409.',
        headers: z.looseObject({ 'idempotency-key': z.string().min(1).max(200).optional() }),
        body: createPaymentSchema,
        response: { 201: paymentSchema },
      },
    },
    async (req, reply) => {
      const { payment, replayed } = await recordPayment(
        db,
        ctxOf(req, clock),
        req.body,
        req.headers['idempotency-key'],
      );
      if (replayed) reply.header('idempotent-replayed', 'true');
      return reply.code(201).header('location', `/api/v1/payments/${payment.id}`).send(payment);
    },
  );

  app.get(
    '/payments',
    {
      config: { roles: DESK },
      schema: { tags, querystring: listPaymentsQuery, response: { 200: pageOf(paymentSchema) } },
    },
    async (req) => listPayments(db, ctxOf(req, clock), req.query),
  );

  app.get(
    '/payments/unmatched',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description: 'The matching queue (status unmatched by default), oldest first, with suggested orders.',
        querystring: queueQuery,
        response: { 200: pageOf(statementLineSchema) },
      },
    },
    async (req) => listQueue(db, ctxOf(req, clock), req.query),
  );

  app.get(
    '/payments/unmatched/:id',
    { config: { roles: DESK }, schema: { tags, params: idParams, response: { 200: statementLineSchema } } },
    async (req) => getLine(db, ctxOf(req, clock), req.params.id),
  );

  app.post(
    '/payments/unmatched/:id/match',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description: 'Matches a queued line to an order (or to a customer, as a credit): records its payment.',
        params: idParams,
        body: matchBody,
        response: { 200: statementLineSchema },
      },
    },
    async (req) => matchLine(db, ctxOf(req, clock), req.params.id, req.body),
  );

  app.post(
    '/payments/unmatched/:id/dismiss',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description: 'Takes a line out of the queue: not a customer payment.',
        params: idParams,
        body: dismissBody,
        response: { 200: statementLineSchema },
      },
    },
    async (req) => dismissLine(db, ctxOf(req, clock), req.params.id, req.body.note),
  );

  app.get(
    '/payments/unpaid',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description:
          'Bank-transfer and convenience-store orders still owing past their due date (order date + the payment method’s due days, 14 by default), at least olderThanDays days overdue; oldest first.',
        querystring: unpaidQuery,
        response: { 200: pageOf(unpaidItemSchema) },
      },
    },
    async (req) => listUnpaid(db, ctxOf(req, clock), req.query),
  );

  app.post(
    '/payments/reminders/email',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description:
          'A reminder e-mail per order (mail queue), each recorded in AC履歴; orders without an e-mail address or owing nothing are skipped.',
        body: remindersBody,
        response: {
          202: z.object({
            sent: z.array(z.object({ orderId: z.uuid(), reminderId: z.uuid() })),
            skipped: z.array(z.object({ orderId: z.uuid(), reason: z.enum(['nothing_owed', 'no_email']) })),
          }),
        },
      },
    },
    async (req, reply) => reply.code(202).send(await sendReminderMails(db, jobs, ctxOf(req, clock), req.body.orderIds)),
  );

  app.post(
    '/payments/reminders/letters',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description: 'Reminder letters (督促状) as one PDF, a page per order owing something; each recorded in AC履歴.',
        body: remindersBody,
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, clock);
      const pdf = await reminderLetters(db, ctx, req.body.orderIds);
      const day = ctx.now.toISOString().slice(0, 10).replaceAll('-', '');
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="payment-reminders-${day}.pdf"`)
        .header('cache-control', 'no-store')
        .send(pdf);
    },
  );

  app.get(
    '/payments/orders/:id',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description: "An order's payment status (unpaid, partial, paid, over), balance, credit and payments.",
        params: idParams,
        response: { 200: orderMoneySchema.extend({ payments: z.array(paymentSchema) }) },
      },
    },
    async (req) => orderPayments(db, ctxOf(req, clock), req.params.id),
  );

  app.get(
    '/payments/customers/:id',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description:
          "A customer's standing: outstanding (open orders), credit (money not applied to an order plus overpayments), and the orders not settled either way.",
        params: idParams,
        response: {
          200: z.object({
            customerId: z.uuid(),
            customerName: z.string(),
            outstanding: z.number(),
            unapplied: z.number(),
            credit: z.number(),
            orders: z.array(orderMoneySchema),
          }),
        },
      },
    },
    async (req) => customerBalance(db, ctxOf(req, clock), req.params.id),
  );

  app.get(
    '/payments/:id',
    { config: { roles: DESK }, schema: { tags, params: idParams, response: { 200: paymentSchema } } },
    async (req) => getPayment(db, ctxOf(req, clock), req.params.id),
  );

  app.post(
    '/payments/:id/cancel',
    {
      config: { roles: STAFF },
      schema: {
        tags,
        description:
          'Cancels a payment by a reversal row (never a delete); the order’s paid amount follows. A payment from a statement line sends the line back to the queue.',
        params: idParams,
        body: cancelPaymentSchema,
        response: { 200: paymentSchema },
      },
    },
    async (req) => cancelPayment(db, ctxOf(req, clock), req.params.id, req.body.note),
  );

  // Statement files are read as bytes (全銀 files are not text a parser should touch).
  app.register(async (scope) => {
    const fileApp = scope as unknown as App;
    for (const type of ['text/csv', 'text/plain', 'application/octet-stream'])
      fileApp.addContentTypeParser(type, { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
    fileApp.post(
      '/payments/imports',
      {
        config: { roles: STAFF },
        bodyLimit: IMPORT_BODY_LIMIT,
        schema: {
          tags,
          description:
            'Imports a statement: kind=zengin (全銀協 入出金取引明細, 200-byte records, Shift_JIS), bank_csv, cod (代引き remittance) or deferred (後払い settlement). CSV columns may be named (date, amount, name, reference, tracking, orderNumber). All or nothing: any bad line → 422 listing them all. dryRun=true → 200 with the plan. Lines imported before are skipped (duplicates).',
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
        const { kind, dryRun, ...columns } = req.query;
        const parsed = parseStatement(req.body, kind, columns, ctx.now);
        if (parsed.errors.length > 0) {
          const problem = toProblem(
            new AppError(422, 'import.invalid_rows', 'payments.import.invalid_rows', { count: parsed.errors.length }),
            locale,
            String(req.id),
          );
          const errors = parsed.errors.map((e) => ({
            row: e.row,
            column: e.column,
            code: e.code,
            message: translate(locale, `payments.import.${e.code}` as MessageKey, e.params ?? {}),
          }));
          return reply
            .status(422)
            .type('application/problem+json; charset=utf-8')
            .send({ ...problem, errors, lines: parsed.lines.length });
        }
        const isDry = dryRun === 'true' || dryRun === '1';
        const result = await importStatement(db, ctx, kind, req.body, parsed, isDry);
        return reply.status(!isDry && result.imported > 0 ? 201 : 200).send(result);
      },
    );
  });
}
