import { z } from 'zod';
import type { App, Deps } from '../../app.js';
import { DESK, STAFF } from '../../platform/auth/roles.js';
import { ctxOf } from '../../platform/http/context.js';
import { pageQuery } from '../../platform/http/pagination.js';
import { duplicatePairSchema, listDuplicates, REASONS } from './duplicates.service.js';
import { mergeCustomers, mergedInto } from './merge.service.js';

const tags = ['customers'];

/**
 * Likely duplicate customers and their merge (admins and supervisors). A merged customer's id
 * answers 404 everywhere; GET /customers/{id}/merge tells which customer it became.
 */
export function duplicatesRoutes(app: App, { db, clock }: Deps) {
  app.get(
    '/customers/duplicates',
    {
      config: { roles: STAFF },
      schema: {
        tags,
        description:
          'Likely duplicate pairs: the same phone number (any format), or the same name (folded) at the same postal code and address1.',
        querystring: pageQuery.extend({ reason: z.enum(REASONS).optional() }),
        response: { 200: z.object({ items: z.array(duplicatePairSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => listDuplicates(db, ctxOf(req, clock), req.query),
  );

  app.post(
    '/customers/merge',
    {
      config: { roles: STAFF },
      schema: {
        tags,
        description:
          'Merges mergeId into keepId in one transaction, keeping every history; the merged id then answers 404.',
        body: z.strictObject({ keepId: z.uuid(), mergeId: z.uuid() }),
        response: {
          200: z.object({
            keepId: z.uuid(),
            mergeId: z.uuid(),
            mergedAt: z.string(),
            moved: z.record(z.string(), z.number().int()),
          }),
        },
      },
    },
    async (req) => mergeCustomers(db, ctxOf(req, clock), req.body),
  );

  app.get(
    '/customers/:id/merge',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description: 'For a merged customer: the customer it was merged into. 404 for any other id.',
        params: z.object({ id: z.uuid() }),
        response: {
          200: z.object({
            id: z.uuid(),
            code: z.string(),
            mergedInto: z.object({ id: z.uuid(), code: z.string() }),
            mergedAt: z.string(),
          }),
        },
      },
    },
    async (req) => mergedInto(db, ctxOf(req, clock), req.params.id),
  );
}
