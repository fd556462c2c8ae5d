import type { FastifyRequest } from 'fastify';
import { actorOf } from '../audit/audit.js';
import { principalOf } from '../auth/principal.js';
import type { Clock } from '../clock.js';

/** What a service needs to know of the request: the tenant, who acts, and now. */
export function ctxOf(req: FastifyRequest, clock: Clock) {
  const p = principalOf(req);
  return { tenantId: p.tenantId, actor: actorOf(req), now: clock.now(), principal: p };
}
