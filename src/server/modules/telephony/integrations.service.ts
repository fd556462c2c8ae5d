// Telephony integrations: an admin connects a cloud PBX account (Twilio) so that its status
// callbacks feed the screen pop. The auth token is write-only (see 0003_telephony.sql).
import { z } from 'zod';
import type { Database, TenantTx } from '../../db/database.js';
import { type Actor, audit } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import {
  type AgentAddress,
  type CreateIntegration,
  INTEGRATION_COLUMNS,
  type Integration,
  type IntegrationRow,
  toIntegration,
  type UpdateIntegration,
} from './telephony.schema.js';
import { addressKey } from './twilio.js';

type Ctx = { tenantId: string; actor: Actor };
const NOT_FOUND = 'object.telephony_integration' as const;

/** Agent map entries with their addresses in the form webhooks are compared by (E.164, client:…). */
function normaliseAgents(agents: AgentAddress[]): AgentAddress[] {
  const fieldErrors = agents.flatMap((a, i) =>
    addressKey(a.address) === null
      ? [
          {
            path: `agents.${i}.address`,
            code: 'telephony.invalid_agent_address',
            key: 'telephony.invalid_agent_address' as const,
          },
        ]
      : [],
  );
  if (fieldErrors.length > 0) {
    throw new AppError(
      400,
      'validation',
      'error.detail.validation',
      { count: fieldErrors.length },
      fieldErrors,
      'error.title.validation',
    );
  }
  return agents.map((a) => ({ address: addressKey(a.address) as string, agentId: a.agentId }));
}

async function findRow(tx: TenantTx, id: string): Promise<IntegrationRow> {
  const [row] = await tx.query<IntegrationRow>(
    `SELECT ${INTEGRATION_COLUMNS} FROM telephony_integrations WHERE tenant_id = $1 AND id = $2`,
    [tx.tenantId, id],
  );
  if (!row) throw AppError.notFound(NOT_FOUND);
  return row;
}

export async function listIntegrations(
  db: Database,
  ctx: Pick<Ctx, 'tenantId'>,
  q: { limit: number; cursor?: string },
  baseUrl: string,
) {
  const after = decodeCursor(q.cursor, z.tuple([z.string(), z.uuid()]));
  return db.withTenant(ctx.tenantId, async (tx) => {
    const rows = await tx.query<IntegrationRow>(
      `SELECT ${INTEGRATION_COLUMNS} FROM telephony_integrations
        WHERE tenant_id = $1 AND ($2::text IS NULL OR (name, id) > ($2, $3::uuid))
        ORDER BY name, id LIMIT $4`,
      [ctx.tenantId, after?.[0] ?? null, after?.[1] ?? null, q.limit + 1],
    );
    return page(
      rows,
      q.limit,
      (r) => toIntegration(r, baseUrl),
      (r) => [r.name, r.id],
    );
  });
}

export async function getIntegration(
  db: Database,
  ctx: Pick<Ctx, 'tenantId'>,
  id: string,
  baseUrl: string,
): Promise<Integration> {
  return db.withTenant(ctx.tenantId, async (tx) => toIntegration(await findRow(tx, id), baseUrl));
}

export async function createIntegration(
  db: Database,
  ctx: Ctx,
  input: CreateIntegration,
  baseUrl: string,
): Promise<Integration> {
  const agents = normaliseAgents(input.agents);
  return db.withTenant(ctx.tenantId, async (tx) => {
    const [row] = await tx.query<IntegrationRow>(
      `INSERT INTO telephony_integrations (tenant_id, provider, name, account_sid, auth_token, agents, enabled, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${INTEGRATION_COLUMNS}`,
      [
        ctx.tenantId,
        input.provider,
        input.name,
        input.accountSid ?? null,
        input.authToken,
        JSON.stringify(agents),
        input.enabled,
        ctx.actor.type === 'user' ? ctx.actor.id : null,
      ],
    );
    if (!row) throw new Error('insert telephony_integrations returned nothing');
    await audit(tx, ctx.actor, {
      action: 'telephony_integration.create',
      objectType: 'telephony_integration',
      objectId: row.id,
      detail: { provider: input.provider, agents: agents.length, enabled: input.enabled },
    });
    return toIntegration(row, baseUrl);
  });
}

export async function updateIntegration(
  db: Database,
  ctx: Ctx,
  id: string,
  patch: UpdateIntegration,
  baseUrl: string,
): Promise<Integration> {
  const agents = patch.agents ? normaliseAgents(patch.agents) : null;
  return db.withTenant(ctx.tenantId, async (tx) => {
    await findRow(tx, id);
    const params: unknown[] = [ctx.tenantId, id];
    const p = (value: unknown) => `$${params.push(value)}`;
    const sets = ['updated_at = now()'];
    if (patch.name !== undefined) sets.push(`name = ${p(patch.name)}`);
    if (patch.accountSid !== undefined) sets.push(`account_sid = ${p(patch.accountSid)}`);
    // Set, never read: the application role cannot select the token (not even in an expression).
    if (patch.authToken !== undefined) sets.push(`auth_token = ${p(patch.authToken)}`);
    if (agents) sets.push(`agents = ${p(JSON.stringify(agents))}::jsonb`);
    if (patch.enabled !== undefined) sets.push(`enabled = ${p(patch.enabled)}`);
    const [row] = await tx.query<IntegrationRow>(
      `UPDATE telephony_integrations SET ${sets.join(', ')}
        WHERE tenant_id = $1 AND id = $2 RETURNING ${INTEGRATION_COLUMNS}`,
      params,
    );
    if (!row) throw AppError.notFound(NOT_FOUND);
    // Field names only: the token's value never reaches the audit log.
    const fields = Object.keys(patch).filter((k) => patch[k as keyof UpdateIntegration] !== undefined);
    await audit(tx, ctx.actor, {
      action: 'telephony_integration.update',
      objectType: 'telephony_integration',
      objectId: id,
      detail: { fields },
    });
    return toIntegration(row, baseUrl);
  });
}

export async function deleteIntegration(db: Database, ctx: Ctx, id: string): Promise<void> {
  await db.withTenant(ctx.tenantId, async (tx) => {
    const deleted = await tx.query('DELETE FROM telephony_integrations WHERE tenant_id = $1 AND id = $2 RETURNING id', [
      ctx.tenantId,
      id,
    ]);
    if (deleted.length === 0) throw AppError.notFound(NOT_FOUND);
    await audit(tx, ctx.actor, {
      action: 'telephony_integration.delete',
      objectType: 'telephony_integration',
      objectId: id,
    });
  });
}

/** A callback got through (signature and account checked): shown to admins as the last event. */
export async function recordIntegrationEvent(
  db: Database,
  tenantId: string,
  id: string,
  at: Date,
  callStatus: string,
): Promise<void> {
  await db.queryInTenant(
    tenantId,
    `UPDATE telephony_integrations SET last_event_at = $3, last_call_status = $4
      WHERE tenant_id = $1 AND id = $2 AND (last_event_at IS NULL OR last_event_at <= $3)`,
    [tenantId, id, at, callStatus.slice(0, 32)],
  );
}

export type TwilioIntegration = {
  tenantId: string;
  authToken: string;
  accountSid: string | null;
  agents: AgentAddress[];
};

/** The webhook's look-up, before the tenant is known (a SECURITY DEFINER function). */
export async function findTwilioIntegration(db: Database, id: string): Promise<TwilioIntegration | null> {
  const [row] = await db.app.query<{
    tenant_id: string;
    auth_token: string;
    account_sid: string | null;
    agents: AgentAddress[];
  }>('SELECT * FROM telephony_twilio_integration($1)', [id]);
  if (!row) return null;
  return { tenantId: row.tenant_id, authToken: row.auth_token, accountSid: row.account_sid, agents: row.agents };
}
