// FAQ / knowledge base: articles and categories as the API shows them and the database holds them.
import { z } from 'zod';
import { DESK, type Role } from '../../platform/auth/roles.js';

/** Who reads the FAQ: the desk and the people cases go to. Writing it is for supervisors and admins (STAFF). */
export const FAQ_READERS: readonly Role[] = [...DESK, 'appointer', 'closer', 'corporate_closer', 'technician'];

export const articleSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  body: z.string(),
  category: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  keywords: z.array(z.string()),
  published: z.boolean(),
  useCount: z.number().int(),
  /** The case it was made from ("make a FAQ from this case"). */
  sourceCaseId: z.uuid().nullable(),
  createdBy: z.uuid().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Article = z.infer<typeof articleSchema>;

/** A search or suggestion hit: the article and how well it matched (higher first). */
export const articleHitSchema = articleSchema.extend({ score: z.number() });
export const articlePageSchema = z.object({ items: z.array(articleHitSchema), nextCursor: z.string().nullable() });

const keywords = z.array(z.string().trim().min(1).max(50)).max(30);

export const createArticleSchema = z.strictObject({
  title: z.string().trim().min(1).max(200),
  body: z.string().trim().max(20000).default(''),
  categoryId: z.uuid().nullish(),
  keywords: keywords.default([]),
  published: z.boolean().default(false),
});
export type CreateArticle = z.infer<typeof createArticleSchema>;

export const updateArticleSchema = z.strictObject({
  title: z.string().trim().min(1).max(200).optional(),
  body: z.string().trim().max(20000).optional(),
  categoryId: z.uuid().nullable().optional(),
  keywords: keywords.optional(),
  published: z.boolean().optional(),
});
export type ArticlePatch = z.infer<typeof updateArticleSchema>;

export const listArticlesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
  /** Words (space-separated; all must match) looked for in title, keywords and body, Japanese-folded. */
  q: z.string().max(200).optional(),
  categoryId: z.uuid().optional(),
  /** Supervisors and admins see drafts too and may filter; others see published articles only. */
  published: z.enum(['true', 'false']).optional(),
});
export type ArticleFilter = z.infer<typeof listArticlesQuery>;

export const categorySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  position: z.number().int(),
  /** Articles in the category (drafts included for supervisors and admins). */
  articleCount: z.number().int(),
});
export type Category = z.infer<typeof categorySchema>;

export const createCategorySchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  position: z.number().int().min(0).max(10000).optional(),
});
export const updateCategorySchema = createCategorySchema.partial();

export type ArticleRow = {
  id: string;
  title: string;
  body: string;
  category_id: string | null;
  category_name: string | null;
  keywords: string[];
  published: boolean;
  use_count: number;
  source_case_id: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
  score?: number;
};

export const ARTICLE_COLUMNS = `a.id, a.title, a.body, a.category_id, fc.name AS category_name, a.keywords, a.published,
  a.use_count, a.source_case_id, a.created_by, a.created_at, a.updated_at, a.version`;
export const ARTICLE_FROM = `faq_articles a
  LEFT JOIN faq_categories fc ON fc.tenant_id = a.tenant_id AND fc.id = a.category_id`;

export function toArticle(r: ArticleRow): Article {
  return {
    id: r.id,
    title: r.title,
    body: r.body,
    category: r.category_id ? { id: r.category_id, name: r.category_name ?? '' } : null,
    keywords: r.keywords,
    published: r.published,
    useCount: r.use_count,
    sourceCaseId: r.source_case_id,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    version: r.version,
  };
}

export const toHit = (r: ArticleRow) => ({ ...toArticle(r), score: Number(r.score ?? 0) });
