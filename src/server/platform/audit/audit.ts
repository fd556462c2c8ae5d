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

const AUDIT_INSERT_MANY = prepared(
  `INSERT INTO audit_log (tenant_id, actor_type, actor_id, actor_label, action, object_type, object_id, request_id, ip, detail)
   SELECT $1, a.actor_type, a.actor_id, a.actor_label, a.action, a.object_type, a.object_id, a.request_id, a.ip, a.detail
     FROM jsonb_to_recordset($2::jsonb) AS a(actor_type text, actor_id uuid, actor_label text, action text,
          object_type text, object_id text, request_id text, ip text, detail jsonb)`,
);

/** audit() for many rows (each with its own actor: several requests written together), in one statement. */
export async function auditMany(
  tx: Queryable & { tenantId: string },
  rows: { actor: Actor; entry: AuditEntry }[],
): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(AUDIT_INSERT_MANY, [
    tx.tenantId,
    JSON.stringify(
      rows.map(({ actor, entry }) => ({
        actor_type: actor.type,
        actor_id: actor.id,
        actor_label: actor.label,
        action: entry.action,
        object_type: entry.objectType,
        object_id: entry.objectId ?? null,
        request_id: actor.requestId,
        ip: actor.ip,
        detail: entry.detail ?? null,
      })),
    ),
  ]);
}
