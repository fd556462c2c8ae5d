import type { FastifyRequest } from 'fastify';
import { prepared, type Queryable } from '../../db/database.js';

/** Who did it, from where: written on every audit row. */
export type Actor = {
  type: 'user' | 'token' | 'system';
  id: string | null;
  label: string;
  requestId: string | null;
  ip: string | null;
};

export function actorOf(req: FastifyRequest): Actor {
  const p = req.principal;
  return {
    type: p ? (p.kind === 'session' ? 'user' : 'token') : 'system',
    id: p ? (p.userId ?? p.tokenId) : null,
    label: p?.label ?? 'anonymous',
    requestId: String(req.id),
    ip: req.ip,
  };
}

export const SYSTEM_ACTOR: Actor = { type: 'system', id: null, label: 'system', requestId: null, ip: null };

export type AuditEntry = {
  action: string;
  objectType: string;
  objectId?: string | null;
  /** What changed, never personal data beyond ids and field names. */
  detail?: Record<string, unknown>;
};

/**
 * Appends one audit row in the caller's transaction, so that the audit and the change it
 * records commit or fail together.
 */
const AUDIT_INSERT = prepared(
  `INSERT INTO audit_log (tenant_id, actor_type, actor_id, actor_label, action, object_type, object_id, request_id, ip, detail)
   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
);

export async function audit(tx: Queryable & { tenantId: string }, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.query(AUDIT_INSERT, [
    tx.tenantId,
    actor.type,
    actor.id,
    actor.label,
    entry.action,
    entry.objectType,
    entry.objectId ?? null,
    actor.requestId,
    actor.ip,
    entry.detail ? JSON.stringify(entry.detail) : null,
  ]);
}
