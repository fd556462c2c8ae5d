// GET /shipments/export: the day's parcels in the carrier's import layout (Shift_JIS, CRLF, header
// row), in ONE transaction that also marks them instructed — the file and the status change commit
// together. One pass over the day in batches reads and locks each parcel with its lines, checks it
// and spools the valid ones' rows to a temporary file, so that the response headers can say what
// was left out before the first byte is sent; the file is then streamed to the client, and its end
// is sent once the transaction has committed. Memory holds one batch and the problem list, never the file.
import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import iconv from 'iconv-lite';
import type { Database, TenantTx } from '../../db/database.js';
import { audit } from '../../platform/audit/audit.js';
import type { ctxOf } from '../../platform/http/context.js';
import type { Locale, MessageKey } from '../../platform/i18n/messages.js';
import { translate } from '../../platform/i18n/messages.js';
import { type ExportCarrier, type FieldProblem, LAYOUTS, ORDER_CARRIER, type Parcel } from './shipping.layouts.js';
import {
  EXPORTABLE,
  type ExportContext,
  loadExportContext,
  markInstructed,
  parcelBatches,
} from './shipping.queries.js';
import { csvLine } from './shipping.sjis.js';

export type Ctx = ReturnType<typeof ctxOf>;

export type ParcelProblem = {
  orderId: string;
  number: string;
  field: string;
  column: string;
  code: string;
  message: string;
};
export type ExportWarning = { field: string; code: string; message: string };
export type Preview = { total: number; parcels: number; problems: ParcelProblem[]; warnings: ExportWarning[] };

/** Problems about the shipper are the tenant's set-up, reported once, not held against a parcel. */
const isShipperField = (f: FieldProblem) => f.field.startsWith('shipper');

function message(locale: Locale, f: FieldProblem): string {
  return translate(locale, `shipping.problem.${f.code}` as MessageKey, { column: f.column, ...f.params });
}

class Checker {
  total = 0;
  valid = 0;
  readonly problems: ParcelProblem[] = [];
  readonly warnings = new Map<string, ExportWarning>();

  constructor(
    private readonly carrier: ExportCarrier,
    private readonly ctx: ExportContext,
    private readonly locale: Locale,
  ) {
    if (ctx.noOrigin) {
      this.warnings.set('origin', {
        field: 'shipper',
        code: 'no_origin',
        message: translate(locale, 'shipping.warning.no_origin'),
      });
    }
  }

  /** The parcel's row, or null when it cannot be sent (its problems recorded). */
  check(p: Parcel): string[] | null {
    this.total++;
    const { cells, problems } = LAYOUTS[this.carrier].build(p, this.ctx.contextOf(p));
    let blocking = false;
    for (const f of problems) {
      if (isShipperField(f)) {
        const key = `${f.field}:${f.code}`;
        if (!this.warnings.has(key))
          this.warnings.set(key, { field: f.field, code: f.code, message: message(this.locale, f) });
        continue;
      }
      blocking = true;
      this.problems.push({
        orderId: p.id,
        number: p.number,
        field: f.field,
        column: f.column,
        code: f.code,
        message: message(this.locale, f),
      });
    }
    if (blocking) return null;
    this.valid++;
    return cells;
  }

  summary(): Preview {
    return { total: this.total, parcels: this.valid, problems: this.problems, warnings: [...this.warnings.values()] };
  }
}

/** What the export would send and what it would leave out; nothing changes. */
export function previewExport(
  db: Database,
  ctx: Ctx,
  carrier: ExportCarrier,
  shipDate: string,
  locale: Locale,
): Promise<Preview> {
  const orderCarrier = ORDER_CARRIER[carrier];
  return db.withTenant(ctx.tenantId, async (tx) => {
    const checker = new Checker(carrier, await loadExportContext(tx, orderCarrier), locale);
    // The lines only feed columns that are cut, never refused: the preview leaves them out.
    const query = { shipDate, carrier: orderCarrier, statuses: EXPORTABLE, withLines: false };
    for await (const batch of parcelBatches(tx, query)) {
      for (const p of batch) checker.check(p);
    }
    return checker.summary();
  });
}

export type ExportResult = Preview & { stream: Readable; instructed: number };

/** Writes to a stream with backpressure; throws when the client went away (the transaction rolls back). */
async function write(out: PassThrough, chunk: Buffer): Promise<void> {
  if (out.destroyed) throw new Error('export: the client closed the connection');
  if (out.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const done = () => {
      out.off('drain', done);
      out.off('close', closed);
      resolve();
    };
    const closed = () => {
      out.off('drain', done);
      reject(new Error('export: the client closed the connection'));
    };
    out.once('drain', done);
    out.once('close', closed);
  });
}

const encode = (s: string) => iconv.encode(s, 'cp932');

/**
 * Starts the export: resolves once every parcel is checked, its row spooled and the valid ones
 * marked instructed (the summary for the response headers); the file then flows into `stream`
 * while the transaction is still open, and the stream ends once it has committed. A failure while
 * streaming or committing aborts the response and rolls everything back, so a half-sent file never
 * leaves orders marked.
 */
export function startExport(
  db: Database,
  ctx: Ctx,
  carrier: ExportCarrier,
  shipDate: string,
  locale: Locale,
): Promise<ExportResult> {
  const orderCarrier = ORDER_CARRIER[carrier];
  const layout = LAYOUTS[carrier];
  const out = new PassThrough();
  let ready!: (r: ExportResult) => void;
  let failed!: (e: unknown) => void;
  const started = new Promise<ExportResult>((res, rej) => {
    ready = res;
    failed = rej;
  });
  let announced = false;
  const query = { shipDate, carrier: orderCarrier, statuses: EXPORTABLE, lock: true };

  const work = db.withTenant(ctx.tenantId, async (tx: TenantTx) => {
    const dir = await mkdtemp(join(tmpdir(), 'madoguchi-export-'));
    try {
      const file = join(dir, 'parcels.csv');
      const checker = new Checker(carrier, await loadExportContext(tx, orderCarrier), locale);
      // The rows are locked as they are read: what is checked and spooled is what gets marked.
      const valid: string[] = [];
      const spool = await open(file, 'w');
      try {
        await spool.write(encode(csvLine(layout.header)));
        for await (const batch of parcelBatches(tx, query)) {
          let text = '';
          for (const p of batch) {
            const cells = checker.check(p);
            if (cells === null) continue;
            valid.push(p.id);
            text += csvLine(cells);
          }
          if (text) await spool.write(encode(text));
        }
      } finally {
        await spool.close();
      }
      const instructed = await markInstructed(tx, valid, ctx.now, ctx.actor, { carrier, shipDate });
      const summary = checker.summary();
      await audit(tx, ctx.actor, {
        action: 'shipment.export',
        objectType: 'order',
        detail: { carrier, shipDate, parcels: summary.parcels, skipped: summary.total - summary.parcels, instructed },
      });
      announced = true;
      ready({ ...summary, stream: out, instructed });
      for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 }))
        await write(out, chunk as Buffer);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  // The file ends once the transaction has committed: a client that got the whole file knows its
  // orders are marked.
  work.then(
    () => out.end(),
    (err: unknown) => {
      if (announced) out.destroy(err instanceof Error ? err : new Error(String(err)));
      else failed(err);
    },
  );
  return started;
}
