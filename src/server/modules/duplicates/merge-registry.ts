// Merge hooks: how a module's rows follow a customer merge (POST /customers/merge).
//
// A merge moves everything of the merged customer to the kept one in ONE transaction: the
// customers module's phones, e-mails and delivery addresses, the karte, purchase statistics and
// manual rank are moved by merge.service.ts itself; every other module that stores rows by
// customer id registers a handler that re-points its own rows, once, when its routes are set up:
//
//   // src/server/modules/interactions/interactions.routes.ts
//   import { registerMergeHandler } from '../duplicates/merge-registry.js';
//   export function interactionsRoutes(app: App, deps: Deps) {
//     registerMergeHandler('interactions', async (tx, keepId, mergeId) => {
//       const rows = await tx.query(
//         `UPDATE interactions SET customer_id = $2 WHERE tenant_id = $1 AND customer_id = $3 RETURNING 1`,
//         [tx.tenantId, keepId, mergeId]);
//       return rows.length;   // recorded in the merge record and its audit row
//     });
//     …
//   }
//
// Rules for handlers: use only `tx` (it runs as the application role with the tenant set, and
// sees merged customers); keep history rows as they are, only change their customer id; make
// rows unique per customer fit together (dedupe, never fail on the keeper's own rows); throw to
// abort the whole merge (nothing is then changed anywhere). Registering a name again replaces
// its handler (each test app registers again). Handlers run in registration order, after the
// built-in moves and before the merged customer is marked merged.
import type { TenantTx } from '../../db/database.js';

/** Answers how many rows it moved (or nothing). */
// biome-ignore lint/suspicious/noConfusingVoidType: a handler with nothing to report returns nothing
export type MergeHandler = (tx: TenantTx, keepId: string, mergeId: string) => Promise<number | undefined | void>;

const handlers = new Map<string, MergeHandler>();
const NAME = /^[a-z][a-z0-9_.-]{0,49}$/;

/** Registers (or replaces) the merge handler of a module; answers a function that removes it. */
export function registerMergeHandler(name: string, handler: MergeHandler): () => void {
  if (!NAME.test(name)) throw new Error(`merge handler name ${name} is not allowed`);
  handlers.set(name, handler);
  return () => {
    if (handlers.get(name) === handler) handlers.delete(name);
  };
}

/** Runs every registered handler in the merge's transaction; answers the rows moved per handler. */
export async function runMergeHandlers(tx: TenantTx, keepId: string, mergeId: string): Promise<Record<string, number>> {
  const moved: Record<string, number> = {};
  for (const [name, handler] of handlers) {
    const n = await handler(tx, keepId, mergeId);
    moved[name] = typeof n === 'number' ? n : 0;
  }
  return moved;
}
