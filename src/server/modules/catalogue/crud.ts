// The engine every master of the catalogue shares: a master is described once (table, columns,
// sort key, checks, child rows) and gets list (keyset), read, create, change (If-Match), delete,
// all audited, all inside the caller's tenant transaction. Column names come from the
// description only, never from a request.
import { z } from 'zod';
import type { Database, TenantTx } from '../../db/database.js';
import { type Actor, audit } from '../../platform/audit/audit.js';
import { AppError } from '../../platform/errors.js';
import { ifMatchAccepts } from '../../platform/http/etag.js';
import { decodeCursor, encodeCursor } from '../../platform/http/pagination.js';
import type { MessageKey } from '../../platform/i18n/messages.js';

export type Ctx = { tenantId: string; actor: Actor; now: Date };
export type Row = Record<string, unknown>;

type Cast = 'text' | 'int' | 'bool' | 'date' | 'uuid' | 'jsonb';

export type Column = {
  column: string;
  cast: Cast;
  /** Written but never answered (search forms). */
  hidden?: boolean;
};

/** Collects query parameters, answering their placeholders. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown, cast?: Cast): string {
    this.values.push(value);
    return cast ? `$${this.values.length}::${castType(cast)}` : `$${this.values.length}`;
  }
}

function castType(cast: Cast): string {
  return cast === 'bool' ? 'boolean' : cast === 'int' ? 'integer' : cast;
}

export type Children = {
  /** Input fields these child rows take (not columns of the table). */
  fields: readonly string[];
  /** The child rows of many objects at once (no N+1), merged into each answer. */
  load: (tx: TenantTx, ids: string[]) => Promise<Map<string, Row>>;
  /** Replaces the child rows named in the input. */
  save: (tx: TenantTx, id: string, input: Row) => Promise<void>;
};

export type Master = {
  table: string;
  /** Message key naming the object in a 404. */
  object: MessageKey;
  /** Audit object type; actions are `<audit>.create|update|delete|import`. */
  audit: string;
  columns: Record<string, Column>;
  /** version, created_at, updated_at columns. */
  versioned: boolean;
  /** SQL text expression of the list order (unique enough with id as the tie-break). */
  sortKey: string;
  /** The field a unique violation is reported on (409). */
  conflictPath: string;
  /** WHERE fragments of a list query's filters. */
  filter?: (q: Row, p: Params) => string[];
  /** Checks and normalises an input before a write; may add hidden column values. */
  prepare?: (tx: TenantTx, input: Row, current: Row | null, ctx: Ctx) => Promise<Row>;
  /** Runs after the row is written (and its children saved), in the same transaction. */
  afterWrite?: (tx: TenantTx, row: Row, input: Row) => Promise<void>;
  children?: Children;
};

export const isUniqueViolation = (err: unknown) => (err as { code?: unknown } | null)?.code === '23505';
export const isForeignKeyViolation = (err: unknown) => (err as { code?: unknown } | null)?.code === '23503';

const selectList = (m: Master) =>
  [
    'id',
    ...Object.entries(m.columns)
      .filter(([, c]) => !c.hidden)
      .map(([field, c]) => `${c.cast === 'date' ? `${c.column}::text` : c.column} AS "${field}"`),
    ...(m.versioned ? ['version', 'created_at AS "createdAt"', 'updated_at AS "updatedAt"'] : []),
  ].join(', ');

function answer(row: Row, children: Row | undefined): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) {
    if (k === '__k') continue;
    out[k] = v instanceof Date ? v.toISOString() : v;
  }
  return { ...out, ...children };
}

async function withChildren(tx: TenantTx, m: Master, rows: Row[]): Promise<Row[]> {
  const loaded =
    m.children && rows.length > 0
      ? await m.children.load(
          tx,
          rows.map((r) => String(r.id)),
        )
      : null;
  return rows.map((r) => answer(r, loaded?.get(String(r.id)) ?? (m.children ? emptyChildren(m) : undefined)));
}

function emptyChildren(m: Master): Row {
  return Object.fromEntries((m.children?.fields ?? []).map((f) => [f, []]));
}

export const etagOf = (row: Row) => `"${String(row.version ?? 0)}"`;

export async function findRow(tx: TenantTx, m: Master, id: string, lock = false): Promise<Row> {
  const [row] = await tx.query<Row>(
    `SELECT ${selectList(m)} FROM ${m.table} WHERE tenant_id = $1 AND id = $2${lock ? ' FOR UPDATE' : ''}`,
    [tx.tenantId, id],
  );
  if (!row) throw AppError.notFound(m.object);
  const [full] = await withChildren(tx, m, [row]);
  return full as Row;
}

const cursorShape = z.tuple([z.string(), z.uuid()]);

/** Escapes LIKE's wildcards in user text. */
export const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** `q` as a case-insensitive code prefix or name substring (the small masters). */
export function codeOrName(q: unknown, p: Params, nameColumn = 'name'): string[] {
  if (typeof q !== 'string' || q.trim() === '') return [];
  const text = likeEscape(q.normalize('NFKC').trim());
  const prefix = p.add(`${text.toUpperCase()}%`);
  const inside = p.add(`%${text}%`);
  return [`(upper(code) LIKE ${prefix} OR ${nameColumn} ILIKE ${inside})`];
}

export function activeFilter(q: Row, p: Params): string[] {
  return q.active === undefined ? [] : [`active = ${p.add(q.active === 'true', 'bool')}`];
}

/** The list order in bytes (C collation): the same on every server, cursors stable. */
const orderKey = (m: Master) => `(${m.sortKey}) COLLATE "C"`;

export async function listRows(tx: TenantTx, m: Master, q: Row & { limit: number; cursor?: string }) {
  const after = decodeCursor(q.cursor, cursorShape);
  const key = orderKey(m);
  const p = new Params();
  p.add(tx.tenantId);
  const where = ['tenant_id = $1', ...(m.filter?.(q, p) ?? [])];
  if (after) where.push(`(${key}, id) > (${p.add(after[0], 'text')}, ${p.add(after[1], 'uuid')})`);
  const rows = await tx.query<Row>(
    `SELECT ${selectList(m)}, ${key} AS __k FROM ${m.table}
      WHERE ${where.join(' AND ')} ORDER BY ${key}, id LIMIT ${p.add(q.limit + 1, 'int')}`,
    p.values,
  );
  const more = rows.length > q.limit;
  const slice = more ? rows.slice(0, q.limit) : rows;
  const last = slice[slice.length - 1];
  return {
    items: await withChildren(tx, m, slice),
    nextCursor: more && last ? encodeCursor([String(last.__k), String(last.id)]) : null,
  };
}

/** Every row of a master in list order, for exports (masters are small: one query). */
export async function allRows(tx: TenantTx, m: Master): Promise<Row[]> {
  const rows = await tx.query<Row>(
    `SELECT ${selectList(m)}, ${orderKey(m)} AS __k FROM ${m.table} WHERE tenant_id = $1 ORDER BY ${orderKey(m)}, id`,
    [tx.tenantId],
  );
  return withChildren(tx, m, rows);
}

function columnValues(m: Master, input: Row): [Column, unknown][] {
  return Object.entries(m.columns)
    .filter(([field]) => input[field] !== undefined)
    .map(([field, c]) => [c, c.cast === 'jsonb' ? JSON.stringify(input[field]) : input[field]]);
}

const conflict = (m: Master) => AppError.field(409, 'catalogue.duplicate', m.conflictPath, 'catalogue.duplicate');

/** Runs a write, mapping a unique violation to a 409 naming the master's key field. */
async function guarded<T>(m: Master, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(m);
    throw err;
  }
}

/**
 * Runs writes inside a savepoint, so that a refused one leaves the transaction usable (the CSV
 * import goes on to the next row). A request's own writes need none: an error ends it.
 */
export async function inSavepoint<T>(tx: TenantTx, fn: () => Promise<T>): Promise<T> {
  await tx.query('SAVEPOINT catalogue_write');
  try {
    const out = await fn();
    await tx.query('RELEASE SAVEPOINT catalogue_write');
    return out;
  } catch (err) {
    await tx.query('ROLLBACK TO SAVEPOINT catalogue_write');
    throw err;
  }
}

export async function insertRow(tx: TenantTx, m: Master, input: Row, ctx: Ctx, auditIt = true): Promise<Row> {
  const prepared = m.prepare ? await m.prepare(tx, input, null, ctx) : input;
  const values = columnValues(m, prepared);
  const p = new Params();
  p.add(tx.tenantId);
  const placeholders = values.map(([c, v]) => p.add(v, c.cast));
  const [created] = await guarded(m, () =>
    tx.query<{ id: string }>(
      `INSERT INTO ${m.table} (tenant_id${values.map(([c]) => `, ${c.column}`).join('')})
         VALUES ($1${placeholders.map((ph) => `, ${ph}`).join('')}) RETURNING id`,
      p.values,
    ),
  );
  if (!created) throw new Error(`${m.table}: insert returned nothing`);
  if (m.children) await m.children.save(tx, created.id, prepared);
  const row = await findRow(tx, m, created.id);
  await m.afterWrite?.(tx, row, prepared);
  if (auditIt) await audit(tx, ctx.actor, { action: `${m.audit}.create`, objectType: m.audit, objectId: created.id });
  return m.afterWrite ? findRow(tx, m, created.id) : row;
}

export async function updateRow(
  tx: TenantTx,
  m: Master,
  id: string,
  input: Row,
  ifMatch: string | undefined,
  ctx: Ctx,
  auditIt = true,
): Promise<Row> {
  const current = await findRow(tx, m, id, true);
  if (ifMatch !== undefined && m.versioned && !ifMatchAccepts(ifMatch, Number(current.version))) {
    throw AppError.stale();
  }
  const changed = Object.keys(input).filter((k) => input[k] !== undefined);
  if (changed.length === 0) return current;
  const prepared = m.prepare ? await m.prepare(tx, input, current, ctx) : input;
  const values = columnValues(m, prepared);
  if (values.length > 0 || m.versioned) {
    const p = new Params();
    p.add(tx.tenantId);
    p.add(id);
    const sets = values.map(([c, v]) => `${c.column} = ${p.add(v, c.cast)}`);
    if (m.versioned) sets.push('version = version + 1', 'updated_at = now()');
    await guarded(m, () =>
      tx.query(`UPDATE ${m.table} SET ${sets.join(', ')} WHERE tenant_id = $1 AND id = $2`, p.values),
    );
  }
  if (m.children) await m.children.save(tx, id, prepared);
  const row = await findRow(tx, m, id);
  await m.afterWrite?.(tx, row, prepared);
  if (auditIt) {
    await audit(tx, ctx.actor, {
      action: `${m.audit}.update`,
      objectType: m.audit,
      objectId: id,
      detail: { fields: changed },
    });
  }
  return m.afterWrite ? findRow(tx, m, id) : row;
}

/** Deletes; 409 while orders or other masters still refer to it (deactivate it instead). */
export async function deleteRow(tx: TenantTx, m: Master, id: string, ctx: Ctx): Promise<void> {
  await findRow(tx, m, id, true);
  try {
    await tx.query(`DELETE FROM ${m.table} WHERE tenant_id = $1 AND id = $2`, [tx.tenantId, id]);
  } catch (err) {
    if (isForeignKeyViolation(err)) throw new AppError(409, 'catalogue.in_use', 'catalogue.in_use');
    throw err;
  }
  await audit(tx, ctx.actor, { action: `${m.audit}.delete`, objectType: m.audit, objectId: id });
}

/** The database-level operations of one master, as its routes call them. */
export function service(db: Database, m: Master) {
  return {
    list: (ctx: Pick<Ctx, 'tenantId'>, q: Row & { limit: number; cursor?: string }) =>
      db.withTenant(ctx.tenantId, (tx) => listRows(tx, m, q)),
    get: (ctx: Pick<Ctx, 'tenantId'>, id: string) => db.withTenant(ctx.tenantId, (tx) => findRow(tx, m, id)),
    create: (ctx: Ctx, input: Row) => db.withTenant(ctx.tenantId, (tx) => insertRow(tx, m, input, ctx)),
    update: (ctx: Ctx, id: string, input: Row, ifMatch?: string) =>
      db.withTenant(ctx.tenantId, (tx) => updateRow(tx, m, id, input, ifMatch, ctx)),
    remove: (ctx: Ctx, id: string) => db.withTenant(ctx.tenantId, (tx) => deleteRow(tx, m, id, ctx)),
  };
}

/** Ids of a master that exist in the tenant, among those given. */
export async function existingIds(tx: TenantTx, table: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx.query<{ id: string }>(`SELECT id FROM ${table} WHERE tenant_id = $1 AND id = ANY($2::uuid[])`, [
    tx.tenantId,
    [...new Set(ids)],
  ]);
  return new Set(rows.map((r) => r.id));
}

/** 400 naming the first field path whose id is not one of the tenant's. */
export async function mustExist(
  tx: TenantTx,
  table: string,
  refs: { path: string; id: string | null | undefined }[],
  object: MessageKey,
): Promise<void> {
  const given = refs.filter((r): r is { path: string; id: string } => typeof r.id === 'string');
  const found = await existingIds(
    tx,
    table,
    given.map((r) => r.id),
  );
  const missing = given.filter((r) => !found.has(r.id));
  if (missing.length > 0) {
    throw new AppError(
      400,
      'validation',
      'error.detail.validation',
      { count: missing.length },
      missing.map((r) => ({
        path: r.path,
        code: 'not_found',
        key: 'catalogue.unknown_ref',
        params: { object: `@${object}` },
      })),
      'error.title.validation',
    );
  }
}
