// POST /orders of one caller are placed together when they come faster than one at a time.
//
// A request that finds nothing of its caller running is placed at once, alone, so an operator
// never waits for anybody. Requests that arrive while RUNNING transactions of the same
// tenant and caller (an integration posting web orders, a load test) are busy queue up, and the
// next free slot places up to MAX_BATCH of them in one transaction (placeOrders): the masters are
// read once and the rows written in a fixed number of statements, which is what lets two cores
// take hundreds of orders a second (docs/performance-history.md). Each request still gets its own answer,
// error, audit row and 対応履歴 entry; a batch that fails as a whole is placed again one by one.
import type { Database } from '../../db/database.js';
import type { OrderInput } from './orders.pricing.js';
import type { Order } from './orders.schema.js';
import { type Ctx, type Placement, placeOrders } from './orders.service.js';

const MAX_BATCH = 100;
/** Transactions at once per caller: a core each for PostgreSQL on a server; PGlite runs one at a time. */
const RUNNING = { pg: 2, pglite: 1 } as const;

type Waiting = Placement & { resolve: (r: { order: Order; replayed: boolean }) => void; reject: (e: unknown) => void };
type Line = { waiting: Waiting[]; running: number };

export function placementQueue(db: Database) {
  const lines = new Map<string, Line>();
  const limit = RUNNING[db.kind];

  const pump = (name: string, line: Line) => {
    while (line.running < limit && line.waiting.length > 0) {
      const batch = line.waiting.splice(0, MAX_BATCH);
      line.running++;
      run(batch).finally(() => {
        line.running--;
        if (line.running === 0 && line.waiting.length === 0) lines.delete(name);
        else pump(name, line);
      });
    }
  };

  const run = async (batch: Waiting[]) => {
    try {
      const placed = await placeOrders(db, batch);
      batch.forEach((w, i) => {
        const r = placed[i];
        if (r?.ok) w.resolve({ order: r.order, replayed: r.replayed });
        else w.reject(r ? r.error : new Error('not placed'));
      });
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  };

  return {
    /** Places one order as placeOrder does; answers when its transaction has committed. */
    place(ctx: Ctx, input: OrderInput, key: string | undefined): Promise<{ order: Order; replayed: boolean }> {
      const name = `${ctx.tenantId}\u0000${ctx.actor.type}\u0000${ctx.actor.id ?? ''}`;
      let line = lines.get(name);
      if (!line) {
        line = { waiting: [], running: 0 };
        lines.set(name, line);
      }
      const current = line;
      return new Promise((resolve, reject) => {
        current.waiting.push({ ctx, input, key, resolve, reject });
        pump(name, current);
      });
    },
  };
}
