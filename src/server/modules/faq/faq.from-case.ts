// "Make a FAQ from this case" (seed 001: FAQ更新 from the support history): an unpublished article
// prefilled from the case, the interaction it came from and the remarks in its history, for a
// supervisor to edit and publish.
import type { Database } from '../../db/database.js';
import { AppError } from '../../platform/errors.js';
import { lockCase, selectCase, selectCaseEvents } from '../cases/cases.queries.js';
import { findInteraction } from '../interactions/interactions.service.js';
import type { Article } from './faq.schema.js';
import { type Ctx, getArticle, insertArticle } from './faq.service.js';

const MAX_BODY = 20000;
const COMMENTS = 200;

export async function articleFromCase(
  db: Database,
  ctx: Ctx,
  caseId: string,
  input: { categoryId?: string | null },
): Promise<{ article: Article; etag: string }> {
  const id = await db.withTenant(ctx.tenantId, async (tx) => {
    // The case's row lock makes two requests for one case take turns: the second sees the first's article.
    const c = (await lockCase(tx, caseId)) && (await selectCase(tx, caseId));
    if (!c) throw AppError.notFound('object.case');
    const [existing] = await tx.query<{ id: string }>(
      'SELECT id FROM faq_articles WHERE tenant_id = $1 AND source_case_id = $2 LIMIT 1',
      [tx.tenantId, caseId],
    );
    if (existing) throw new AppError(409, 'faq.case_has_article', 'faq.case_has_article', { id: existing.id });
    const interaction = await findInteraction(tx, c.interaction_id);
    const comments = (await selectCaseEvents(tx, caseId, null, COMMENTS))
      .filter((e) => e.kind === 'comment' && e.to_value)
      .map((e) => `・${e.to_value}`);
    const question = [interaction?.subject, interaction?.body].filter((s) => s?.trim()).join('\n');
    const answer = [c.note, ...comments].filter((s) => s.trim()).join('\n');
    const body = [`【お問い合わせ】\n${question}`, `【対応・回答】\n${answer}`].join('\n\n').slice(0, MAX_BODY);
    return insertArticle(tx, ctx, {
      title: c.title,
      body,
      categoryId: input.categoryId ?? null,
      keywords: [],
      published: false,
      sourceCaseId: caseId,
    });
  });
  return getArticle(db, { tenantId: ctx.tenantId, staff: true }, id);
}
