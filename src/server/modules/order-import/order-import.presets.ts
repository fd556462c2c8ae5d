// Saved column mappings of the web-order import (取込プリセット), one per site layout.
import { z } from 'zod';
import type { Database, TenantTx } from '../../db/database.js';
import { type Actor, audit } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors.js';
import { ifMatchAccepts } from '../../platform/http/etag.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import { type Mapping, mappingSchema, type Preset, type PresetBody } from './order-import.schema.js';

export type Ctx = { tenantId: string; actor: Actor; now: Date };

type PresetRow = { id: string; name: string; mapping: Mapping; created_at: Date; updated_at: Date; version: number };

const COLUMNS = 'id, name, mapping, created_at, updated_at, version';

function toPreset(r: PresetRow): Preset {
  return {
    id: r.id,
    name: r.name,
    mapping: mappingSchema.catch({}).parse(r.mapping),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
  };
}

const nameTaken = () => AppError.field(409, 'name_taken', 'name', 'ordimp.preset_name_taken');
const isUniqueViolation = (err: unknown) => (err as { code?: unknown } | null)?.code === '23505';

export async function readPreset(tx: TenantTx, id: string): Promise<Preset> {
  const [row] = await tx.query<PresetRow>(
    `SELECT ${COLUMNS} FROM order_import_presets WHERE tenant_id = $1 AND id = $2`,
    [tx.tenantId, id],
  );
  if (!row) throw AppError.notFound('object.order_import_preset');
  return toPreset(row);
}

const cursorShape = z.tuple([z.string(), z.uuid()]);

/** The presets by name, keyset-paged. */
export async function listPresets(db: Database, ctx: Pick<Ctx, 'tenantId'>, q: { limit: number; cursor?: string }) {
  const after = decodeCursor(q.cursor, cursorShape);
  const rows = await db.queryInTenant<PresetRow>(
    ctx.tenantId,
    `SELECT ${COLUMNS} FROM order_import_presets
      WHERE tenant_id = $1 AND ($2::text IS NULL OR (name, id) > ($2::text, $3::uuid))
      ORDER BY name, id LIMIT $4`,
    [ctx.tenantId, after?.[0] ?? null, after?.[1] ?? null, q.limit + 1],
  );
  return page(rows, q.limit, toPreset, (r) => [r.name, r.id]);
}

export function getPreset(db: Database, ctx: Pick<Ctx, 'tenantId'>, id: string): Promise<Preset> {
  return db.withTenant(ctx.tenantId, (tx) => readPreset(tx, id));
}

export async function createPreset(db: Database, ctx: Ctx, body: PresetBody): Promise<Preset> {
  return db.withTenant(ctx.tenantId, async (tx) => {
    const [row] = await tx.query<PresetRow>(
      `INSERT INTO order_import_presets (tenant_id, name, mapping, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
       ON CONFLICT (tenant_id, name) DO NOTHING RETURNING ${COLUMNS}`,
      [tx.tenantId, body.name, JSON.stringify(body.mapping), ctx.now],
    );
    if (!row) throw nameTaken();
    await audit(tx, ctx.actor, {
      action: 'order_import_preset.create',
      objectType: 'order_import_preset',
      objectId: row.id,
      detail: { name: row.name },
    });
    return toPreset(row);
  });
}

export async function updatePreset(
  db: Database,
  ctx: Ctx,
  id: string,
  body: Partial<PresetBody>,
  ifMatch?: string,
): Promise<Preset> {
  try {
    return await db.withTenant(ctx.tenantId, async (tx) => {
      const [current] = await tx.query<{ version: number }>(
        'SELECT version FROM order_import_presets WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
        [tx.tenantId, id],
      );
      if (!current) throw AppError.notFound('object.order_import_preset');
      if (ifMatch !== undefined && !ifMatchAccepts(ifMatch, current.version)) throw AppError.stale();
      const [row] = await tx.query<PresetRow>(
        `UPDATE order_import_presets SET name = coalesce($3, name), mapping = coalesce($4::jsonb, mapping),
                updated_at = $5, version = version + 1
          WHERE tenant_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
        [tx.tenantId, id, body.name ?? null, body.mapping ? JSON.stringify(body.mapping) : null, ctx.now],
      );
      await audit(tx, ctx.actor, {
        action: 'order_import_preset.update',
        objectType: 'order_import_preset',
        objectId: id,
      });
      return toPreset(row as PresetRow);
    });
  } catch (err) {
    throw isUniqueViolation(err) ? nameTaken() : err;
  }
}

export async function deletePreset(db: Database, ctx: Ctx, id: string): Promise<void> {
  await db.withTenant(ctx.tenantId, async (tx) => {
    const gone = await tx.query('DELETE FROM order_import_presets WHERE tenant_id = $1 AND id = $2 RETURNING id', [
      tx.tenantId,
      id,
    ]);
    if (gone.length === 0) throw AppError.notFound('object.order_import_preset');
    await audit(tx, ctx.actor, {
      action: 'order_import_preset.delete',
      objectType: 'order_import_preset',
      objectId: id,
    });
  });
}
