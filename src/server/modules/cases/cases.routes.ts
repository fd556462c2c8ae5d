import { z } from 'zod';
import type { App, Deps } from '../../app.js';
import { DESK } from '../../platform/auth/roles.js';
import { ctxOf } from '../../platform/http/context.js';
import { pageQuery } from '../../platform/http/pagination.js';
import { registerMergeHandler } from '../duplicates/merge-registry.js';
import { boardQuery, boardSchema, caseBoard } from './cases.board.js';
import { exportCasesRoute } from './cases.export.js';
import {
  CASE_ROLES,
  caseEventSchema,
  casePageSchema,
  caseSchema,
  escalateSchema,
  listCasesQuery,
  updateCaseSchema,
} from './cases.schema.js';
import { caseHistory, escalateInteraction, getCase, listCases, updateCase } from './cases.service.js';
import { groupsRoutes } from './groups.routes.js';

const idParams = z.object({ id: z.uuid() });
const tags = ['cases'];

/**
 * Cases and escalation (seed 001): escalate an interaction, the status-watch board, read and
 * change a case (ETag / If-Match), its history, lists; escalation groups.
 */
export function casesRoutes(app: App, deps: Deps) {
  const { db, clock } = deps;
  // A customer merge takes the merged customer's cases along (their interactions move too).
  registerMergeHandler('cases', async (tx, keepId, mergeId) => {
    const moved = await tx.query(
      'UPDATE cases SET customer_id = $2 WHERE tenant_id = $1 AND customer_id = $3 RETURNING 1',
      [tx.tenantId, keepId, mergeId],
    );
    return moved.length;
  });

  app.post(
    '/interactions/:id/escalate',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description:
          'Opens a case on the interaction for a user and/or an escalation group with a due time; the interaction becomes `escalated`. 409 when it has an open case.',
        params: idParams,
        body: escalateSchema,
        response: { 201: caseSchema },
      },
    },
    async (req, reply) => {
      const read = await escalateInteraction(db, ctxOf(req, clock), req.params.id, req.body);
      return reply
        .status(201)
        .header('etag', read.etag)
        .header('location', `/api/v1/cases/${read.case.id}`)
        .send(read.case);
    },
  );

  app.get(
    '/cases',
    {
      config: { roles: CASE_ROLES },
      schema: {
        tags,
        description: 'Most urgent first (due time). `status` takes several, comma-separated.',
        querystring: listCasesQuery,
        response: { 200: casePageSchema },
      },
    },
    async (req) => listCases(db, ctxOf(req, clock), req.query),
  );

  app.get(
    '/cases/board',
    {
      config: { roles: CASE_ROLES },
      schema: {
        tags,
        description: 'Open cases by status with age and overdue flag (by the server clock), and counts per status.',
        querystring: boardQuery,
        response: { 200: boardSchema },
      },
    },
    async (req) => caseBoard(db, ctxOf(req, clock), req.query),
  );

  exportCasesRoute(app, deps);

  app.get(
    '/cases/:id',
    { config: { roles: CASE_ROLES }, schema: { tags, params: idParams, response: { 200: caseSchema } } },
    async (req, reply) => {
      const read = await getCase(db, ctxOf(req, clock), req.params.id);
      return reply.header('etag', read.etag).send(read.case);
    },
  );

  app.patch(
    '/cases/:id',
    {
      config: { roles: CASE_ROLES },
      schema: {
        tags,
        description: 'Status, people, due time, title, note, or a comment. If-Match (optional): stale → 412.',
        params: idParams,
        body: updateCaseSchema,
        headers: z.looseObject({ 'if-match': z.string().max(200).optional() }),
        response: { 200: caseSchema },
      },
    },
    async (req, reply) => {
      const ctx = ctxOf(req, clock);
      const read = await updateCase(db, ctx, req.params.id, req.body, req.headers['if-match']);
      return reply.header('etag', read.etag).send(read.case);
    },
  );

  app.get(
    '/cases/:id/history',
    {
      config: { roles: CASE_ROLES },
      schema: {
        tags,
        description: 'Every change of the case, oldest first: who, when, what, from → to.',
        params: idParams,
        querystring: pageQuery,
        response: { 200: z.object({ items: z.array(caseEventSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => caseHistory(db, ctxOf(req, clock), req.params.id, req.query),
  );

  groupsRoutes(app, deps);
}
