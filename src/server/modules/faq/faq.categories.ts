// FAQ categories (カテゴリ): a short master, in the order the tenant gives them.
import { z } from 'zod';
import type { Database, TenantTx } from '../../db/database.js';
import { audit } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import type { Category, createCategorySchema, updateCategorySchema } from './faq.schema.js';
import type { Ctx, Reader } from './faq.service.js';

type Row = { id: string; name: string; position: number; article_count: number };
const toCategory = (r: Row): Category => ({
  id: r.id,
  name: r.name,
  position: r.position,
  articleCount: r.article_count,
});

const COLUMNS = (staff: string) => `c.id, c.name, c.position,
  (SELECT count(*)::int FROM faq_articles a
    WHERE a.tenant_id = c.tenant_id AND a.category_id = c.id AND (${staff} OR a.published)) AS article_count`;

async function mustSelect(tx: TenantTx, id: string): Promise<Row> {
  const [row] = await tx.query<Row>(
    `SELECT ${COLUMNS('true')} FROM faq_categories c WHERE c.tenant_id = $1 AND c.id = $2`,
    [tx.tenantId, id],
  );
  if (!row) throw AppError.notFound('object.faq_category');
  return row;
}

async function nameFree(tx: TenantTx, name: string, exceptId: string | null): Promise<void> {
  const [taken] = await tx.query(
    'SELECT 1 FROM faq_categories WHERE tenant_id = $1 AND lower(name) = lower($2) AND id IS DISTINCT FROM $3',
    [tx.tenantId, name, exceptId],
  );
  if (taken) throw AppError.field(409, 'faq.category_name_taken', 'name', 'faq.category_name_taken');
}

const cursorShape = z.tuple([z.number().int(), z.string(), z.uuid()]);

/** In the tenant's order (position, name); keyset pages. */
export async function listCategories(db: Database, reader: Reader, q: { limit: number; cursor?: string }) {
  const after = decodeCursor(q.cursor, cursorShape);
  return db.withTenant(reader.tenantId, async (tx) => {
    const rows = await tx.query<Row>(
      `SELECT ${COLUMNS('$2')} FROM faq_categories c
        WHERE c.tenant_id = $1 AND ($3::int IS NULL OR (c.position, c.name, c.id) > ($3, $4::text, $5::uuid))
        ORDER BY c.position, c.name, c.id LIMIT $6`,
      [reader.tenantId, reader.staff, after?.[0] ?? null, after?.[1] ?? null, after?.[2] ?? null, q.limit + 1],
    );
    return page(rows, q.limit, toCategory, (r) => [r.position, r.name, r.id]);
  });
}

export async function createCategory(
  db: Database,
  ctx: Ctx,
  input: z.infer<typeof createCategorySchema>,
): Promise<Category> {
  return db.withTenant(ctx.tenantId, async (tx) => {
    await nameFree(tx, input.name, null);
    const [row] = await tx.query<{ id: string }>(
      'INSERT INTO faq_categories (tenant_id, name, position) VALUES ($1, $2, $3) RETURNING id',
      [tx.tenantId, input.name, input.position ?? 0],
    );
    if (!row) throw new Error('insert faq_categories returned nothing');
    await audit(tx, ctx.actor, { action: 'faq_category.create', objectType: 'faq_category', objectId: row.id });
    return toCategory(await mustSelect(tx, row.id));
  });
}

export async function updateCategory(
  db: Database,
  ctx: Ctx,
  id: string,
  patch: z.infer<typeof updateCategorySchema>,
): Promise<Category> {
  return db.withTenant(ctx.tenantId, async (tx) => {
    await mustSelect(tx, id);
    if (patch.name !== undefined) await nameFree(tx, patch.name, id);
    await tx.query(
      `UPDATE faq_categories SET name = coalesce($3, name), position = coalesce($4, position), updated_at = now()
        WHERE tenant_id = $1 AND id = $2`,
      [tx.tenantId, id, patch.name ?? null, patch.position ?? null],
    );
    await audit(tx, ctx.actor, {
      action: 'faq_category.update',
      objectType: 'faq_category',
      objectId: id,
      detail: { fields: Object.keys(patch) },
    });
    return toCategory(await mustSelect(tx, id));
  });
}

/** Deletes a category: its articles become uncategorised; past uses count as 未分類 in the report. */
export async function deleteCategory(db: Database, ctx: Ctx, id: string): Promise<void> {
  await db.withTenant(ctx.tenantId, async (tx) => {
    const gone = await tx.query('DELETE FROM faq_categories WHERE tenant_id = $1 AND id = $2 RETURNING id', [
      tx.tenantId,
      id,
    ]);
    if (gone.length === 0) throw AppError.notFound('object.faq_category');
    await audit(tx, ctx.actor, { action: 'faq_category.delete', objectType: 'faq_category', objectId: id });
  });
}
