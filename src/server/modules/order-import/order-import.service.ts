// POST /orders/import: a site's order CSV as orders of channel 'web'. Every row is checked, each
// order's customer found by phone (normalised) or e-mail or made from the row, products found by
// code, and the orders registered through createOrders — all in one transaction that commits only
// when no row failed and this is not a dry run. A dry run does the same work and rolls it back, so
// it reports exactly what the import would (stock, sales periods, payment codes, time slots).
import { randomUUID } from 'node:crypto';
import { tokyoDate } from '../../../shared/calendar.js';
import type { Database, TenantTx } from '../../db/database.js';
import { audit } from '../../platform/audit/audit.js';
import { type AppError, toProblem } from '../../platform/errors.js';
import { type Locale, translate } from '../../platform/i18n/messages.js';
import {
  type CustomerRecord,
  customersByPhone,
  insertCustomers,
  searchCustomers,
  takeNumbers,
} from '../customers/customers.queries.js';
import { codeOf, createCustomerSchema } from '../customers/customers.schema.js';
import { newRecord } from '../customers/customers.service.js';
import { type FieldIssue, prepareCustomer, zodIssues } from '../customers/customers.validate.js';
import type { OrderInput } from '../orders/orders.pricing.js';
import { createOrders, readOrder } from '../orders/orders.service.js';
import { type OrderGroup, type ReadFile, type RowIssue, readOrderCsv } from './order-import.csv.js';
import { type Ctx, readPreset } from './order-import.presets.js';
import {
  type ImportError,
  type ImportOrder,
  type ImportResult,
  type Mapping,
  TARGET_KEYS,
  TARGETS,
  type Target,
} from './order-import.schema.js';

const MAX_ERRORS = 1000;
const MAX_ITEMS = 200;

/** Ends the transaction without committing: a dry run, or a file with a bad row. */
class Rollback extends Error {
  constructor(readonly result: ImportResult) {
    super('rollback');
  }
}

type Found = { id: string; code: string; name: string; match: 'phone' | 'email' | 'new' };

/** The customer fields of a group's first row as POST /customers would get them. */
function customerInput(g: OrderGroup): Record<string, unknown> {
  const h = g.head;
  const input: Record<string, unknown> = {
    name: h.name ?? '',
    nameKana: h.nameKana,
    phones: h.phone ? [{ number: h.phone }] : undefined,
    emails: h.email ? [h.email.normalize('NFKC')] : undefined,
    postalCode: h.postalCode,
    prefecture: h.prefecture,
    city: h.city,
    address1: h.address1,
    address2: h.address2,
    company: h.company,
  };
  for (const k of Object.keys(input)) if (input[k] === undefined) delete input[k];
  return input;
}

/** The import field a customer field path comes from ('phones.0.number' → phone). */
function targetOfCustomerPath(path: string): Target | null {
  const field = path.split('.')[0] ?? '';
  if (field === 'phones') return 'phone';
  if (field === 'emails') return 'email';
  return (TARGET_KEYS as string[]).includes(field) ? (field as Target) : null;
}

/** The import field an order field path comes from, and which of the order's rows ('lines.2.quantity' → row 3). */
function placeOfOrderPath(path: string, g: OrderGroup): { row: number; target: Target | null } {
  const [field, index, sub] = path.split('.');
  const first = g.rows[0]?.row ?? 0;
  if (field === 'lines') {
    const row = g.rows[Number(index)]?.row ?? first;
    return { row, target: sub === 'quantity' ? 'quantity' : sub === 'unitPrice' ? 'unitPrice' : 'productCode' };
  }
  if (field === 'paymentMethod' || field === 'paymentMethodId') return { row: first, target: 'paymentMethod' };
  if (field === 'desiredDeliveryDate' || field === 'deliveryTimeSlot' || field === 'note')
    return { row: first, target: field };
  return { row: first, target: null };
}

class Report {
  readonly errors: (ImportError & { order: number })[] = [];
  count = 0;
  constructor(
    private readonly locale: Locale,
    private readonly file: ReadFile,
  ) {}
  private column(target: Target | null): { name: string | null; order: number } {
    if (!target) return { name: null, order: -1 };
    return { name: this.file.headerOf.get(target) ?? TARGETS[target], order: TARGET_KEYS.indexOf(target) };
  }
  add(row: number, target: Target | null, code: string, message: string) {
    this.count++;
    const c = this.column(target);
    this.errors.push({ row, column: c.name, code, message, order: c.order });
  }
  issue(i: RowIssue) {
    this.add(i.row, i.target, i.code, translate(this.locale, i.key, i.params));
  }
  field(row: number, i: FieldIssue) {
    this.add(row, targetOfCustomerPath(i.path), i.code, translate(this.locale, i.key, i.params));
  }
  appError(g: OrderGroup, err: AppError) {
    const problem = toProblem(err, this.locale);
    const f = problem.errors?.[0];
    const place = placeOfOrderPath(f?.path ?? '', g);
    this.add(place.row, place.target, f?.code ?? problem.code, f?.message ?? problem.detail);
  }
  /** In file order (row, then the fields' order), at most MAX_ERRORS. */
  sorted(): ImportError[] {
    return this.errors
      .sort((a, b) => a.row - b.row || a.order - b.order)
      .slice(0, MAX_ERRORS)
      .map(({ order: _o, ...e }) => e);
  }
}

/** Groups already imported: their site order number → our order number. */
async function importedBefore(tx: TenantTx, numbers: string[]): Promise<Map<string, number>> {
  const rows = await tx.query<{ external_number: string; order_number: string }>(
    'SELECT external_number, order_number FROM order_import_refs WHERE tenant_id = $1 AND external_number = ANY($2::text[])',
    [tx.tenantId, numbers],
  );
  return new Map(rows.map((r) => [r.external_number, Number(r.order_number)]));
}

/** Product ids by upper-cased code (codes are unique regardless of case, 0007_catalogue.sql). */
async function productsByCode(tx: TenantTx, codes: string[]): Promise<Map<string, string>> {
  const rows = await tx.query<{ id: string; code: string }>(
    'SELECT id, upper(code) AS code FROM products WHERE tenant_id = $1 AND upper(code) = ANY($2::text[])',
    [tx.tenantId, codes],
  );
  return new Map(rows.map((r) => [r.code, r.id]));
}

/** The oldest customer holding the key, through the customers module's own look-ups. */
async function findCustomer(tx: TenantTx, key: NonNullable<OrderGroup['customerKey']>): Promise<Found | null> {
  const [row] =
    key.kind === 'phone'
      ? await customersByPhone(tx, key.e164, 1)
      : await searchCustomers(tx, { kind: 'email', email: key.email }, null, 1);
  return row ? { id: row.id, code: row.code, name: row.name, match: key.kind } : null;
}

const keyString = (key: OrderGroup['customerKey']) =>
  key === null ? null : key.kind === 'phone' ? `p:${key.e164}` : `e:${key.email}`;

async function work(tx: TenantTx, ctx: Ctx, file: ReadFile, locale: Locale, dryRun: boolean) {
  const report = new Report(locale, file);
  for (const i of file.issues) report.issue(i);
  const { groups } = file;

  const before = await importedBefore(
    tx,
    groups.map((g) => g.externalNumber),
  );
  for (const g of groups) {
    const number = before.get(g.externalNumber);
    if (number === undefined) continue;
    g.bad = true;
    for (const r of g.rows)
      report.add(
        r.row,
        'orderNumber',
        'already_imported',
        translate(locale, 'ordimp.already_imported', { number: g.externalNumber, order: number }),
      );
  }

  const codes = [...new Set(groups.flatMap((g) => g.rows.map((r) => r.productCode)).filter((c) => c !== ''))];
  const products = await productsByCode(tx, codes);
  for (const g of groups)
    for (const r of g.rows)
      if (r.productCode !== '' && !products.has(r.productCode)) {
        g.bad = true;
        report.add(
          r.row,
          'productCode',
          'product_unknown',
          translate(locale, 'ordimp.product_unknown', { code: r.values.productCode ?? '' }),
        );
      }

  // Customers: found once per key; a new one made once per key for all its orders in the file.
  const today = tokyoDate(ctx.now);
  const known = new Map<string, Found | null>();
  const fresh = new Map<string, { found: Found; record: CustomerRecord }>();
  const newRecords: CustomerRecord[] = [];
  const customerOf = new Map<OrderGroup, Found>();
  for (const g of groups) {
    const key = keyString(g.customerKey);
    if (key && g.customerKey) {
      if (!known.has(key)) known.set(key, await findCustomer(tx, g.customerKey));
      const found = known.get(key) ?? fresh.get(key)?.found;
      if (found) {
        customerOf.set(g, found);
        continue;
      }
    }
    if (g.customerKey === null && !g.head.phone) continue; // reported: no phone, no e-mail
    const first = g.rows[0]?.row ?? 0;
    const input = customerInput(g);
    const parsed = createCustomerSchema.safeParse(input);
    const issues = parsed.success ? prepareCustomer(parsed.data, today).issues : zodIssues(parsed.error, input);
    if (!parsed.success || issues.length > 0) {
      g.bad = true;
      for (const i of issues) report.field(first, i);
      continue;
    }
    const { values } = prepareCustomer(parsed.data, today);
    const record = newRecord({ ...values, name: parsed.data.name }, randomUUID(), 0);
    const found: Found = { id: record.id, code: '', name: record.name, match: 'new' };
    newRecords.push(record);
    if (key) fresh.set(key, { found, record });
    customerOf.set(g, found);
  }
  if (newRecords.length > 0) {
    const seq = await takeNumbers(tx, newRecords.length);
    newRecords.forEach((r, i) => {
      r.seq = seq + i;
    });
    const seqOf = new Map(newRecords.map((r) => [r.id, r.seq]));
    for (const f of customerOf.values()) {
      const s = f.match === 'new' ? seqOf.get(f.id) : undefined;
      if (s !== undefined) f.code = codeOf(s);
    }
    await insertCustomers(tx, newRecords);
  }

  // The orders of the groups whose rows are all good, priced and written in one batch.
  const good = groups.filter((g) => !g.bad && customerOf.has(g));
  const inputs: OrderInput[] = good.map((g) => {
    const note = [`Web注文番号: ${g.externalNumber}`, g.head.note].filter(Boolean).join(' / ');
    return {
      customerId: (customerOf.get(g) as Found).id,
      lines: g.rows.map((r) => ({
        productId: products.get(r.productCode) as string,
        quantity: r.quantity,
        ...(r.unitPrice !== undefined ? { unitPrice: r.unitPrice } : {}),
      })),
      channel: 'web',
      note,
      ...(g.desiredDeliveryDate ? { desiredDeliveryDate: g.desiredDeliveryDate } : {}),
      ...(g.head.deliveryTimeSlot ? { deliveryTimeSlot: g.head.deliveryTimeSlot } : {}),
      ...(g.head.paymentMethod ? { paymentMethod: g.head.paymentMethod } : {}),
    };
  });
  const results = inputs.length > 0 ? await createOrders(tx, ctx, inputs) : [];
  const made = new Map<OrderGroup, { id: string; number: number }>();
  results.forEach((r, i) => {
    const g = good[i] as OrderGroup;
    if (r.ok) made.set(g, { id: r.id, number: r.number });
    else {
      g.bad = true;
      report.appError(g, r.error);
    }
  });
  if (made.size > 0)
    await tx.query(
      `INSERT INTO order_import_refs (tenant_id, external_number, order_id, order_number, imported_at)
       SELECT $1, x.n, x.id, x.num, $5 FROM unnest($2::text[], $3::uuid[], $4::bigint[]) AS x(n, id, num)`,
      [
        tx.tenantId,
        [...made.keys()].map((g) => g.externalNumber),
        [...made.values()].map((m) => m.id),
        [...made.values()].map((m) => m.number),
        ctx.now,
      ],
    );

  const committing = report.count === 0 && !dryRun;
  const items: ImportOrder[] = [];
  for (const g of groups.slice(0, MAX_ITEMS)) {
    const f = customerOf.get(g);
    const m = made.get(g);
    const order = m ? await readOrder(tx, m.id) : null;
    items.push({
      externalNumber: g.externalNumber,
      row: g.rows[0]?.row ?? 0,
      lines: g.rows.length,
      customerId: f && (committing || f.match !== 'new') ? f.id : null,
      customerCode: f && (committing || f.match !== 'new') ? f.code : null,
      customerName: f?.name ?? g.head.name ?? '',
      customerMatch: f?.match ?? null,
      total: order?.total ?? null,
      orderId: committing && m ? m.id : null,
      orderNumber: committing && m ? m.number : null,
      ok: !g.bad,
    });
  }
  const result: ImportResult = {
    encoding: file.encoding,
    rows: file.rows,
    orders: groups.length,
    valid: groups.filter((g) => !g.bad).length,
    imported: committing ? made.size : 0,
    customersMatched: new Set([...customerOf.values()].filter((f) => f.match !== 'new').map((f) => f.id)).size,
    customersCreated: newRecords.length,
    errors: report.sorted(),
    errorsTruncated: report.count > MAX_ERRORS,
    items,
    itemsTruncated: groups.length > MAX_ITEMS,
  };
  if (!committing) throw new Rollback(result);
  await audit(tx, ctx.actor, {
    action: 'order.import',
    objectType: 'order',
    detail: {
      orders: made.size,
      customersCreated: newRecords.length,
      encoding: file.encoding,
      numbers: [...made.values()].map((m) => m.number).slice(0, 1000),
    },
  });
  return result;
}

export type ImportOptions = { mapping?: Mapping; presetId?: string; dryRun: boolean; locale: Locale };

/** Reads, checks and (unless a dry run or a row fails) imports a file; see the top of this file. */
export async function importOrders(db: Database, ctx: Ctx, body: Buffer, opts: ImportOptions): Promise<ImportResult> {
  let mapping: Mapping | null = opts.mapping ?? null;
  if (!mapping && opts.presetId) {
    const id = opts.presetId;
    mapping = (await db.withTenant(ctx.tenantId, (tx) => readPreset(tx, id))).mapping;
  }
  const file = readOrderCsv(body, mapping);
  try {
    return await db.withTenant(ctx.tenantId, (tx) => work(tx, ctx, file, opts.locale, opts.dryRun));
  } catch (err) {
    if (err instanceof Rollback) return err.result;
    throw err;
  }
}
