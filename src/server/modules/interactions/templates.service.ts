// トーク/返信テンプレート: a tenant's reply and talk templates, and their rendering for a customer.
import { z } from 'zod';
import type { Database, TenantTx } from '../../db/database.js';
import { type Actor, audit } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors.js';
import { ifMatchAccepts } from '../../platform/http/etag.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import { getCustomer } from '../customers/customers.service.js';
import { fieldError } from './refs.js';
import { clockValues, familyNameOf, type RenderValues, renderText } from './templates.render.js';

export const TEMPLATE_KINDS = ['talk', 'reply'] as const;

export const templateSchema = z.object({
  id: z.uuid(),
  kind: z.enum(TEMPLATE_KINDS),
  name: z.string(),
  subject: z.string().nullable(),
  body: z.string(),
  interactionKindId: z.uuid().nullable(),
  active: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Template = z.infer<typeof templateSchema>;

const fields = {
  kind: z.enum(TEMPLATE_KINDS),
  name: z.string().trim().min(1).max(100),
  subject: z.string().trim().max(200).nullish(),
  body: z.string().min(1).max(20000),
  /** The 区分 it is meant for (the screen offers it first for that kind). */
  interactionKindId: z.uuid().nullish(),
  active: z.boolean(),
};
export const createTemplateSchema = z.strictObject({ ...fields, active: fields.active.optional() });
export const updateTemplateSchema = z.strictObject(fields).partial();
export type TemplateInput = z.infer<typeof updateTemplateSchema>;

export const renderedSchema = z.object({
  subject: z.string().nullable(),
  text: z.string(),
  /** Placeholders this version does not know: left in the text as written. */
  unknown: z.array(z.string()),
  /** Known placeholders with no value for this customer: replaced by nothing. */
  empty: z.array(z.string()),
});

type TemplateRow = {
  id: string;
  kind: Template['kind'];
  name: string;
  subject: string | null;
  body: string;
  interaction_kind_id: string | null;
  active: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
};
const COLUMNS = 'id, kind, name, subject, body, interaction_kind_id, active, version, created_at, updated_at';

const toTemplate = (r: TemplateRow): Template => ({
  id: r.id,
  kind: r.kind,
  name: r.name,
  subject: r.subject,
  body: r.body,
  interactionKindId: r.interaction_kind_id,
  active: r.active,
  version: r.version,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

type Ctx = { tenantId: string; actor: Actor; now: Date };
type Read = { template: Template; etag: string };
const read = (r: TemplateRow): Read => ({ template: toTemplate(r), etag: `"${r.version}"` });

async function findTemplate(tx: TenantTx, id: string, lock = false): Promise<TemplateRow> {
  const [row] = await tx.query<TemplateRow>(
    `SELECT ${COLUMNS} FROM reply_templates WHERE tenant_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
    [tx.tenantId, id],
  );
  if (!row) throw AppError.notFound('object.reply_template');
  return row;
}

async function checkRefs(tx: TenantTx, input: TemplateInput, except: string | null): Promise<void> {
  if (input.name !== undefined) {
    const taken = await tx.query(
      'SELECT 1 FROM reply_templates WHERE tenant_id = $1 AND name = $2 AND ($3::uuid IS NULL OR id <> $3)',
      [tx.tenantId, input.name, except],
    );
    if (taken.length > 0) {
      throw AppError.field(409, 'interactions.template_name_taken', 'name', 'interactions.template_name_taken');
    }
  }
  if (input.interactionKindId) {
    const kind = await tx.query('SELECT 1 FROM interaction_kinds WHERE tenant_id = $1 AND id = $2', [
      tx.tenantId,
      input.interactionKindId,
    ]);
    if (kind.length === 0) throw fieldError('interactionKindId', 'not_found', 'interactions.kind_not_found');
  }
}

const cursorShape = z.tuple([z.string().max(100), z.uuid()]);

export async function listTemplates(
  db: Database,
  ctx: Pick<Ctx, 'tenantId'>,
  q: {
    kind?: Template['kind'];
    interactionKindId?: string;
    active?: 'true' | 'false';
    q?: string;
    limit: number;
    cursor?: string;
  },
) {
  const after = decodeCursor(q.cursor, cursorShape);
  return db.withTenant(ctx.tenantId, async (tx) => {
    const rows = await tx.query<TemplateRow>(
      `SELECT ${COLUMNS} FROM reply_templates
        WHERE tenant_id = $1 AND ($2::text IS NULL OR kind = $2) AND ($3::uuid IS NULL OR interaction_kind_id = $3)
          AND ($4::boolean IS NULL OR active = $4)
          AND ($5::text IS NULL OR name ILIKE '%' || $5 || '%' OR body ILIKE '%' || $5 || '%')
          AND ($6::text IS NULL OR (name, id) > ($6, $7::uuid))
        ORDER BY name, id LIMIT $8`,
      [
        tx.tenantId,
        q.kind ?? null,
        q.interactionKindId ?? null,
        q.active === undefined ? null : q.active === 'true',
        // Matched literally: LIKE's wildcards and escape character are escaped.
        q.q?.trim().replace(/[%_\\]/g, (c) => `\\${c}`) || null,
        after?.[0] ?? null,
        after?.[1] ?? null,
        q.limit + 1,
      ],
    );
    return page(rows, q.limit, toTemplate, (r) => [r.name, r.id]);
  });
}

export async function getTemplate(db: Database, ctx: Pick<Ctx, 'tenantId'>, id: string): Promise<Read> {
  return db.withTenant(ctx.tenantId, async (tx) => read(await findTemplate(tx, id)));
}

export async function createTemplate(
  db: Database,
  ctx: Ctx,
  input: z.infer<typeof createTemplateSchema>,
): Promise<Read> {
  return db.withTenant(ctx.tenantId, async (tx) => {
    await checkRefs(tx, input, null);
    const [row] = await tx.query<TemplateRow>(
      `INSERT INTO reply_templates (tenant_id, kind, name, subject, body, interaction_kind_id, active)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [
        tx.tenantId,
        input.kind,
        input.name,
        input.subject || null,
        input.body,
        input.interactionKindId ?? null,
        input.active ?? true,
      ],
    );
    if (!row) throw new Error('insert reply_templates returned nothing');
    await audit(tx, ctx.actor, { action: 'template.create', objectType: 'reply_template', objectId: row.id });
    return read(row);
  });
}

export async function updateTemplate(
  db: Database,
  ctx: Ctx,
  id: string,
  patch: TemplateInput,
  ifMatch: string | undefined,
): Promise<Read> {
  return db.withTenant(ctx.tenantId, async (tx) => {
    const current = await findTemplate(tx, id, true);
    if (ifMatch !== undefined && !ifMatchAccepts(ifMatch, current.version)) throw AppError.stale();
    const given = Object.keys(patch).filter((k) => patch[k as keyof TemplateInput] !== undefined);
    if (given.length === 0) return read(current);
    await checkRefs(tx, patch, id);
    const [row] = await tx.query<TemplateRow>(
      `UPDATE reply_templates SET kind = $3, name = $4, subject = $5, body = $6, interaction_kind_id = $7, active = $8,
              version = version + 1, updated_at = now()
        WHERE tenant_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
      [
        tx.tenantId,
        id,
        patch.kind ?? current.kind,
        patch.name ?? current.name,
        patch.subject === undefined ? current.subject : patch.subject || null,
        patch.body ?? current.body,
        patch.interactionKindId === undefined ? current.interaction_kind_id : patch.interactionKindId,
        patch.active ?? current.active,
      ],
    );
    if (!row) throw AppError.notFound('object.reply_template');
    await audit(tx, ctx.actor, {
      action: 'template.update',
      objectType: 'reply_template',
      objectId: id,
      detail: { fields: given },
    });
    return read(row);
  });
}

export async function deleteTemplate(db: Database, ctx: Ctx, id: string): Promise<void> {
  await db.withTenant(ctx.tenantId, async (tx) => {
    await findTemplate(tx, id, true);
    await tx.query('DELETE FROM reply_templates WHERE tenant_id = $1 AND id = $2', [tx.tenantId, id]);
    await audit(tx, ctx.actor, { action: 'template.delete', objectType: 'reply_template', objectId: id });
  });
}

/**
 * Fills a template for a customer: names from the customer record (through the customers
 * service; never the karte), the customer's staff, the person using it, today in Asia/Tokyo.
 */
export async function renderTemplate(
  db: Database,
  ctx: Ctx & { userName: string | null },
  id: string,
  customerId: string,
) {
  const template = toTemplate(await db.withTenant(ctx.tenantId, (tx) => findTemplate(tx, id)));
  const { customer } = await getCustomer(db, ctx, customerId);
  const [tenant] = await db.withTenant(ctx.tenantId, (tx) =>
    tx.query<{ tenant_name: string; staff_name: string | null }>(
      `SELECT t.name AS tenant_name, (SELECT u.name FROM users u WHERE u.tenant_id = t.id AND u.id = $2) AS staff_name
         FROM tenants t WHERE t.id = $1`,
      [ctx.tenantId, customer.staffId],
    ),
  );
  const values: RenderValues = {
    'customer.name': customer.name,
    'customer.nameKana': customer.nameKana,
    'customer.familyName': familyNameOf(customer.name, customer.familyName),
    'customer.code': customer.code,
    'customer.company': customer.company,
    'customer.department': customer.department,
    'customer.staffName': tenant?.staff_name,
    'staff.name': ctx.userName,
    'tenant.name': tenant?.tenant_name,
    ...clockValues(ctx.now),
  };
  const body = renderText(template.body, values);
  const subject = template.subject === null ? null : renderText(template.subject, values);
  const merge = (a: string[], b: string[]) => [...new Set([...a, ...b])];
  return {
    subject: subject?.text ?? null,
    text: body.text,
    unknown: merge(subject?.unknown ?? [], body.unknown),
    empty: merge(subject?.empty ?? [], body.empty),
  };
}
