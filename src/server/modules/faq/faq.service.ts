// FAQ articles: write (supervisors, admins), read and search (everyone who works calls and cases),
// suggestions for the monitor, use counts, and an article drafted from a case.
import { z } from 'zod';
import type { Database, TenantTx } from '../../db/database.js';
import { type Actor, audit } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors.js';
import { etagOf, ifMatchAccepts } from '../../platform/http/etag.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import type { MessageKey } from '../../platform/i18n/messages.js';
import { findInteraction } from '../interactions/interactions.service.js';
import {
  ARTICLE_COLUMNS,
  ARTICLE_FROM,
  type Article,
  type ArticleFilter,
  type ArticlePatch,
  type ArticleRow,
  type CreateArticle,
  toArticle,
  toHit,
} from './faq.schema.js';
import { matchesAll, queryTerms, searchForms, searchScore, suggestInput, suggestScore } from './faq.search.js';

export type Ctx = { tenantId: string; actor: Actor; now: Date };
/** Who reads: supervisors and admins (`staff`) see drafts; others published articles only. */
export type Reader = { tenantId: string; staff: boolean };
type Read = { article: Article; etag: string };

const read = (row: ArticleRow): Read => ({ article: toArticle(row), etag: etagOf(row.version) });

export function fieldError(path: string, code: string, key: MessageKey) {
  return new AppError(
    400,
    'validation',
    'error.detail.validation',
    { count: 1 },
    [{ path, code, key }],
    'error.title.validation',
  );
}

async function mustSelect(tx: TenantTx, id: string, reader: Pick<Reader, 'staff'>): Promise<ArticleRow> {
  const [row] = await tx.query<ArticleRow>(
    `SELECT ${ARTICLE_COLUMNS} FROM ${ARTICLE_FROM} WHERE a.tenant_id = $1 AND a.id = $2 AND ($3 OR a.published)`,
    [tx.tenantId, id, reader.staff],
  );
  if (!row) throw AppError.notFound('object.faq_article');
  return row;
}

async function checkCategory(tx: TenantTx, categoryId: string | null | undefined): Promise<void> {
  if (!categoryId) return;
  const [found] = await tx.query('SELECT 1 FROM faq_categories WHERE tenant_id = $1 AND id = $2', [
    tx.tenantId,
    categoryId,
  ]);
  if (!found) throw fieldError('categoryId', 'not_found', 'faq.category_not_found');
}

/** Inserts an article in the caller's transaction; answers its id. */
export async function insertArticle(
  tx: TenantTx,
  ctx: Ctx,
  input: CreateArticle & { sourceCaseId?: string | null },
): Promise<string> {
  await checkCategory(tx, input.categoryId);
  const forms = searchForms(input);
  const [row] = await tx.query<{ id: string }>(
    `INSERT INTO faq_articles (tenant_id, category_id, title, body, keywords, published, title_search, keywords_search,
                               body_search, source_case_id, created_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
    [
      tx.tenantId,
      input.categoryId ?? null,
      input.title,
      input.body,
      input.keywords,
      input.published,
      forms.title,
      forms.keywords,
      forms.body,
      input.sourceCaseId ?? null,
      ctx.actor.type === 'user' ? ctx.actor.id : null,
      ctx.now,
    ],
  );
  if (!row) throw new Error('insert faq_articles returned nothing');
  await audit(tx, ctx.actor, {
    action: 'faq_article.create',
    objectType: 'faq_article',
    objectId: row.id,
    detail: { published: input.published, ...(input.sourceCaseId ? { caseId: input.sourceCaseId } : {}) },
  });
  return row.id;
}

export async function createArticle(db: Database, ctx: Ctx, input: CreateArticle): Promise<Read> {
  return db.withTenant(ctx.tenantId, async (tx) =>
    read(await mustSelect(tx, await insertArticle(tx, ctx, input), { staff: true })),
  );
}

export async function getArticle(db: Database, reader: Reader, id: string): Promise<Read> {
  return db.withTenant(reader.tenantId, async (tx) => read(await mustSelect(tx, id, reader)));
}

export async function updateArticle(
  db: Database,
  ctx: Ctx,
  id: string,
  patch: ArticlePatch,
  ifMatch: string | undefined,
): Promise<Read> {
  return db.withTenant(ctx.tenantId, async (tx) => {
    const [cur] = await tx.query<{ title: string; body: string; keywords: string[]; version: number }>(
      'SELECT title, body, keywords, version FROM faq_articles WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
      [tx.tenantId, id],
    );
    if (!cur) throw AppError.notFound('object.faq_article');
    if (ifMatch !== undefined && !ifMatchAccepts(ifMatch, cur.version)) throw AppError.stale();
    if (patch.categoryId !== undefined) await checkCategory(tx, patch.categoryId);
    const next = {
      title: patch.title ?? cur.title,
      body: patch.body ?? cur.body,
      keywords: patch.keywords ?? cur.keywords,
    };
    const forms = searchForms(next);
    await tx.query(
      `UPDATE faq_articles SET title = $3, body = $4, keywords = $5, title_search = $6, body_search = $7,
              keywords_search = $8, category_id = CASE WHEN $9::boolean THEN $10::uuid ELSE category_id END,
              published = coalesce($11, published), version = version + 1, updated_at = $12
        WHERE tenant_id = $1 AND id = $2`,
      [
        tx.tenantId,
        id,
        next.title,
        next.body,
        next.keywords,
        forms.title,
        forms.body,
        forms.keywords,
        patch.categoryId !== undefined,
        patch.categoryId ?? null,
        patch.published ?? null,
        ctx.now,
      ],
    );
    await audit(tx, ctx.actor, {
      action: 'faq_article.update',
      objectType: 'faq_article',
      objectId: id,
      detail: { fields: Object.keys(patch).filter((k) => patch[k as keyof ArticlePatch] !== undefined) },
    });
    return read(await mustSelect(tx, id, { staff: true }));
  });
}

/** Deletes an article; its uses stay counted in the report (under the category they had). */
export async function deleteArticle(db: Database, ctx: Ctx, id: string): Promise<void> {
  await db.withTenant(ctx.tenantId, async (tx) => {
    const gone = await tx.query('DELETE FROM faq_articles WHERE tenant_id = $1 AND id = $2 RETURNING id', [
      tx.tenantId,
      id,
    ]);
    if (gone.length === 0) throw AppError.notFound('object.faq_article');
    await audit(tx, ctx.actor, { action: 'faq_article.delete', objectType: 'faq_article', objectId: id });
  });
}

const searchCursor = z.tuple([z.number().int().min(0), z.number().int().min(0), z.uuid()]);

/**
 * GET /faq: with `q`, the articles matching every word, best first (title > keyword > body, then
 * use count); without, the most used first. Keyset on (score, use count, id).
 */
export async function listArticles(db: Database, reader: Reader, q: ArticleFilter) {
  const after = decodeCursor(q.cursor, searchCursor);
  const terms = queryTerms(q.q);
  const published = reader.staff ? (q.published === undefined ? null : q.published === 'true') : true;
  return db.withTenant(reader.tenantId, async (tx) => {
    const rows = await tx.query<ArticleRow>(
      `SELECT * FROM (
         SELECT ${ARTICLE_COLUMNS}, ${searchScore('$2')} AS score FROM ${ARTICLE_FROM}
          WHERE a.tenant_id = $1 AND ($3::boolean IS NULL OR a.published = $3) AND ($4::uuid IS NULL OR a.category_id = $4)
            AND ${matchesAll('$2')}) AS x
        WHERE $5::int IS NULL OR (x.score, x.use_count, x.id) < ($5, $6::int, $7::uuid)
        ORDER BY x.score DESC, x.use_count DESC, x.id DESC LIMIT $8`,
      [
        tx.tenantId,
        terms,
        published,
        q.categoryId ?? null,
        after?.[0] ?? null,
        after?.[1] ?? null,
        after?.[2] ?? null,
        q.limit + 1,
      ],
    );
    return page(rows, q.limit, toHit, (r) => [Number(r.score ?? 0), r.use_count, r.id]);
  });
}

/** GET /faq/suggest: the published articles that best answer what the operator is typing (top `limit`). */
export async function suggestArticles(db: Database, reader: Reader, text: string, limit: number) {
  const input = suggestInput(text);
  if (input.whole.length === 0) return { items: [] };
  return db.withTenant(reader.tenantId, async (tx) => {
    const rows = await tx.query<ArticleRow>(
      `SELECT * FROM (
         SELECT ${ARTICLE_COLUMNS}, ${suggestScore('$2', '$3', '$4')} AS score FROM ${ARTICLE_FROM}
          WHERE a.tenant_id = $1 AND a.published) AS x
        WHERE x.score >= 1
        ORDER BY x.score DESC, x.use_count DESC, x.id LIMIT $5`,
      [tx.tenantId, input.whole, input.words, input.grams, limit],
    );
    return { items: rows.map(toHit) };
  });
}

/** POST /faq/:id/used: counts one use (with the interaction it answered, when given). */
export async function recordUse(
  db: Database,
  ctx: Ctx & { staff: boolean },
  id: string,
  interactionId: string | undefined,
): Promise<{ id: string; useCount: number }> {
  return db.withTenant(ctx.tenantId, async (tx) => {
    if (interactionId && !(await findInteraction(tx, interactionId))) {
      throw fieldError('interactionId', 'not_found', 'faq.interaction_not_found');
    }
    const [row] = await tx.query<{ use_count: number; category_id: string | null }>(
      `UPDATE faq_articles SET use_count = use_count + 1
        WHERE tenant_id = $1 AND id = $2 AND ($3 OR published) RETURNING use_count, category_id`,
      [tx.tenantId, id, ctx.staff],
    );
    if (!row) throw AppError.notFound('object.faq_article');
    await tx.query(
      `INSERT INTO faq_uses (tenant_id, article_id, category_id, interaction_id, user_id, at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        tx.tenantId,
        id,
        row.category_id,
        interactionId ?? null,
        ctx.actor.type === 'user' ? ctx.actor.id : null,
        ctx.now,
      ],
    );
    return { id, useCount: row.use_count };
  });
}
