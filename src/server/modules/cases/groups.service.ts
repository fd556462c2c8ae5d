// Escalation groups (エスカレーション先): named groups of users a case can go to, e.g. クライアント技術部.
import { z } from 'zod';
import type { Database, TenantTx } from '../../db/database.js';
import { audit } from '../../platform/audit/audit.js';
import { roleSchema } from '../../platform/auth/roles.js';
import { AppError } from '../../platform/errors.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import { activeUsers } from './cases.queries.js';
import { type Ctx, fieldError } from './cases.service.js';

export const groupSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  active: z.boolean(),
  members: z.array(z.object({ id: z.uuid(), name: z.string(), role: roleSchema, active: z.boolean() })),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Group = z.infer<typeof groupSchema>;

export const createGroupSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(1000).nullish(),
  active: z.boolean().optional(),
  /** The members: active users of the tenant. */
  memberIds: z.array(z.uuid()).max(200).default([]),
});
export const updateGroupSchema = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  description: z.string().trim().max(1000).nullish(),
  active: z.boolean().optional(),
  /** Replaces the members. */
  memberIds: z.array(z.uuid()).max(200).optional(),
});

type GroupRow = {
  id: string;
  name: string;
  description: string | null;
  active: boolean;
  members: Group['members'];
  created_at: Date;
  updated_at: Date;
};

// Members in one sub-select per group: a page of groups is one statement.
const GROUP_COLUMNS = `g.id, g.name, g.description, g.active, g.created_at, g.updated_at,
  coalesce((SELECT json_agg(json_build_object('id', u.id, 'name', u.name, 'role', u.role, 'active', u.active)
                            ORDER BY u.name, u.id)
              FROM escalation_group_members m JOIN users u ON u.tenant_id = m.tenant_id AND u.id = m.user_id
             WHERE m.tenant_id = g.tenant_id AND m.group_id = g.id), '[]'::json) AS members`;

const toGroup = (r: GroupRow): Group => ({
  id: r.id,
  name: r.name,
  description: r.description,
  active: r.active,
  members: r.members,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

async function mustSelect(tx: TenantTx, id: string): Promise<GroupRow> {
  const [row] = await tx.query<GroupRow>(
    `SELECT ${GROUP_COLUMNS} FROM escalation_groups g WHERE g.tenant_id = $1 AND g.id = $2`,
    [tx.tenantId, id],
  );
  if (!row) throw AppError.notFound('object.escalation_group');
  return row;
}

async function nameFree(tx: TenantTx, name: string, exceptId: string | null): Promise<void> {
  const [taken] = await tx.query(
    'SELECT 1 FROM escalation_groups WHERE tenant_id = $1 AND lower(name) = lower($2) AND id IS DISTINCT FROM $3',
    [tx.tenantId, name, exceptId],
  );
  if (taken) throw AppError.field(409, 'cases.group_name_taken', 'name', 'cases.group_name_taken');
}

async function setMembers(tx: TenantTx, groupId: string, memberIds: string[]): Promise<void> {
  const ids = [...new Set(memberIds)];
  const found = await activeUsers(tx, ids);
  const bad = memberIds.findIndex((id) => !found.has(id));
  if (bad >= 0) throw fieldError(`memberIds.${bad}`, 'not_found', 'cases.user_not_found');
  await tx.query(
    'DELETE FROM escalation_group_members WHERE tenant_id = $1 AND group_id = $2 AND NOT user_id = ANY($3)',
    [tx.tenantId, groupId, ids],
  );
  await tx.query(
    `INSERT INTO escalation_group_members (tenant_id, group_id, user_id)
     SELECT $1, $2, u FROM unnest($3::uuid[]) AS u ON CONFLICT DO NOTHING`,
    [tx.tenantId, groupId, ids],
  );
}

export async function listGroups(
  db: Database,
  ctx: Pick<Ctx, 'tenantId'>,
  q: { active?: 'true' | 'false'; limit: number; cursor?: string },
) {
  const after = decodeCursor(q.cursor, z.tuple([z.string(), z.uuid()]));
  return db.withTenant(ctx.tenantId, async (tx) => {
    const rows = await tx.query<GroupRow>(
      `SELECT ${GROUP_COLUMNS} FROM escalation_groups g
        WHERE g.tenant_id = $1 AND ($2::boolean IS NULL OR g.active = $2)
          AND ($3::text IS NULL OR (g.name, g.id) > ($3, $4::uuid))
        ORDER BY g.name, g.id LIMIT $5`,
      [
        ctx.tenantId,
        q.active === undefined ? null : q.active === 'true',
        after?.[0] ?? null,
        after?.[1] ?? null,
        q.limit + 1,
      ],
    );
    return page(rows, q.limit, toGroup, (r) => [r.name, r.id]);
  });
}

export async function getGroup(db: Database, ctx: Pick<Ctx, 'tenantId'>, id: string): Promise<Group> {
  return db.withTenant(ctx.tenantId, async (tx) => toGroup(await mustSelect(tx, id)));
}

export async function createGroup(db: Database, ctx: Ctx, input: z.infer<typeof createGroupSchema>): Promise<Group> {
  return db.withTenant(ctx.tenantId, async (tx) => {
    await nameFree(tx, input.name, null);
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO escalation_groups (tenant_id, name, description, active, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`,
      [tx.tenantId, input.name, input.description ?? null, input.active ?? true, ctx.now],
    );
    if (!row) throw new Error('insert escalation_groups returned nothing');
    await setMembers(tx, row.id, input.memberIds);
    await audit(tx, ctx.actor, {
      action: 'escalation_group.create',
      objectType: 'escalation_group',
      objectId: row.id,
      detail: { members: input.memberIds.length },
    });
    return toGroup(await mustSelect(tx, row.id));
  });
}

export async function updateGroup(
  db: Database,
  ctx: Ctx,
  id: string,
  patch: z.infer<typeof updateGroupSchema>,
): Promise<Group> {
  return db.withTenant(ctx.tenantId, async (tx) => {
    await mustSelect(tx, id);
    if (patch.name !== undefined) await nameFree(tx, patch.name, id);
    await tx.query(
      `UPDATE escalation_groups SET name = coalesce($3, name),
              description = CASE WHEN $4::boolean THEN $5 ELSE description END,
              active = coalesce($6, active), updated_at = $7
        WHERE tenant_id = $1 AND id = $2`,
      [
        tx.tenantId,
        id,
        patch.name ?? null,
        patch.description !== undefined,
        patch.description ?? null,
        patch.active ?? null,
        ctx.now,
      ],
    );
    if (patch.memberIds !== undefined) await setMembers(tx, id, patch.memberIds);
    await audit(tx, ctx.actor, {
      action: 'escalation_group.update',
      objectType: 'escalation_group',
      objectId: id,
      detail: { fields: Object.keys(patch).filter((k) => patch[k as keyof typeof patch] !== undefined) },
    });
    return toGroup(await mustSelect(tx, id));
  });
}

/** Deletes a group no case names (409 otherwise: deactivate it instead, the cases keep their history). */
export async function deleteGroup(db: Database, ctx: Ctx, id: string): Promise<void> {
  await db.withTenant(ctx.tenantId, async (tx) => {
    await mustSelect(tx, id);
    const [used] = await tx.query('SELECT 1 FROM cases WHERE tenant_id = $1 AND group_id = $2 LIMIT 1', [
      tx.tenantId,
      id,
    ]);
    if (used) throw new AppError(409, 'cases.group_in_use', 'cases.group_in_use');
    await tx.query('DELETE FROM escalation_groups WHERE tenant_id = $1 AND id = $2', [tx.tenantId, id]);
    await audit(tx, ctx.actor, { action: 'escalation_group.delete', objectType: 'escalation_group', objectId: id });
  });
}
