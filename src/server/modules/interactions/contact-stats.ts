// Each customer's last contact (customer_contact_stats), kept in the transaction of the contact.
// The 長期未対応顧客 list reads it; the orders module feeds purchases through notePurchase().
import { prepared, type TenantTx } from '../../db/database.js';
import { registerMergeHandler } from '../duplicates/merge-registry.js';

export type ContactType = 'interaction' | 'action' | 'purchase';
export type Contact = { customerId: string; at: Date; kind: string };

// Column names come from this map only, never from a caller.
const COLUMNS: Record<ContactType, { last: string; count: string | null }> = {
  interaction: { last: 'last_interaction_at', count: 'interaction_count' },
  action: { last: 'last_action_at', count: 'action_count' },
  purchase: { last: 'last_purchase_at', count: null },
};

/**
 * Records contacts of one type: one statement whatever their number. A contact older than the
 * customer's last one (a letter entered days later) moves only its own type's date. A customer
 * with no row yet (none should lack one: a trigger makes it) gets one registered at the contact.
 */
export async function touchContacts(tx: TenantTx, type: ContactType, contacts: Contact[]): Promise<void> {
  if (contacts.length === 0) return;
  const { last, count } = COLUMNS[type];
  const rows = contacts.map((c) => ({ customer_id: c.customerId, at: c.at.toISOString(), kind: c.kind.slice(0, 100) }));
  // One text per contact type: each prepared once per connection.
  await tx.query(
    prepared(`INSERT INTO customer_contact_stats AS s (tenant_id, customer_id, registered_at, ${last}, last_contact_at,
            last_contact_type, last_contact_kind, last_touch_at${count ? `, ${count}` : ''})
     SELECT $1, r.customer_id, r.at, r.at, r.at, $3, r.kind, r.at${count ? ', r.n' : ''}
       FROM (SELECT DISTINCT ON (x.customer_id) x.customer_id, x.at, x.kind,
                    count(*) OVER (PARTITION BY x.customer_id) AS n
               FROM jsonb_to_recordset($2::jsonb) AS x(customer_id uuid, at timestamptz, kind text)
              ORDER BY x.customer_id, x.at DESC) AS r
     ON CONFLICT (tenant_id, customer_id) DO UPDATE SET
       ${last} = greatest(s.${last}, EXCLUDED.${last}),
       ${count ? `${count} = s.${count} + EXCLUDED.${count},` : ''}
       last_contact_type = CASE WHEN s.last_contact_at IS NULL OR EXCLUDED.last_contact_at >= s.last_contact_at
                                THEN EXCLUDED.last_contact_type ELSE s.last_contact_type END,
       last_contact_kind = CASE WHEN s.last_contact_at IS NULL OR EXCLUDED.last_contact_at >= s.last_contact_at
                                THEN EXCLUDED.last_contact_kind ELSE s.last_contact_kind END,
       last_contact_at = greatest(s.last_contact_at, EXCLUDED.last_contact_at),
       last_touch_at = greatest(s.last_touch_at, EXCLUDED.last_contact_at),
       updated_at = now()`),
    [tx.tenantId, JSON.stringify(rows), type],
  );
}

/**
 * For the orders module: a purchase is a contact too (the 長期未対応 list counts it). Call it in
 * the order's transaction; `label` is what the list shows as the last contact (e.g. 受注).
 */
export async function notePurchase(tx: TenantTx, customerId: string, at: Date, label = '受注'): Promise<void> {
  await touchContacts(tx, 'purchase', [{ customerId, at, kind: label }]);
}

type StatsRow = {
  registered_at: Date;
  last_interaction_at: Date | null;
  last_action_at: Date | null;
  last_purchase_at: Date | null;
  last_contact_at: Date | null;
  last_contact_type: ContactType | null;
  last_contact_kind: string | null;
  interaction_count: number;
  action_count: number;
};

/** A customer's contact summary (for the monitor's header): null when the customer is unknown. */
export async function contactStats(tx: TenantTx, customerId: string) {
  const [r] = await tx.query<StatsRow>(
    `SELECT registered_at, last_interaction_at, last_action_at, last_purchase_at, last_contact_at, last_contact_type,
            last_contact_kind, interaction_count, action_count
       FROM customer_contact_stats WHERE tenant_id = $1 AND customer_id = $2`,
    [tx.tenantId, customerId],
  );
  if (!r) return null;
  return {
    lastInteractionAt: r.last_interaction_at?.toISOString() ?? null,
    lastActionAt: r.last_action_at?.toISOString() ?? null,
    lastPurchaseAt: r.last_purchase_at?.toISOString() ?? null,
    lastContactAt: r.last_contact_at?.toISOString() ?? null,
    lastContactType: r.last_contact_type,
    lastContactKind: r.last_contact_kind,
    interactionCount: r.interaction_count,
    actionCount: r.action_count,
  };
}

/** Merge: re-points the merged customer's interactions to the kept one; answers how many. */
export async function moveInteractions(tx: TenantTx, keepId: string, mergeId: string): Promise<number> {
  const rows = await tx.query(
    'UPDATE interactions SET customer_id = $2 WHERE tenant_id = $1 AND customer_id = $3 RETURNING 1',
    [tx.tenantId, keepId, mergeId],
  );
  return rows.length;
}

/**
 * Merge: re-points the merged customer's actions. An action whose reference the kept customer
 * holds already (the same DM campaign sent to both records) stays in the history without its
 * reference, which is unique per customer and kind.
 */
export async function moveActions(tx: TenantTx, keepId: string, mergeId: string): Promise<number> {
  await tx.query(
    `UPDATE customer_actions m SET ref_type = NULL, ref_id = NULL
      WHERE m.tenant_id = $1 AND m.customer_id = $3 AND m.ref_type IS NOT NULL
        AND EXISTS (SELECT 1 FROM customer_actions k WHERE k.tenant_id = $1 AND k.customer_id = $2
                       AND k.ref_type = m.ref_type AND k.ref_id = m.ref_id AND k.kind = m.kind)`,
    [tx.tenantId, keepId, mergeId],
  );
  const rows = await tx.query(
    'UPDATE customer_actions SET customer_id = $2 WHERE tenant_id = $1 AND customer_id = $3 RETURNING 1',
    [tx.tenantId, keepId, mergeId],
  );
  return rows.length;
}

/** Merge: folds the merged customer's last contacts into the kept one's, and drops its row. */
export async function foldContactStats(tx: TenantTx, keepId: string, mergeId: string): Promise<number> {
  const folded = await tx.query(
    `UPDATE customer_contact_stats AS s SET
       registered_at = least(s.registered_at, f.registered_at),
       last_interaction_at = greatest(s.last_interaction_at, f.last_interaction_at),
       last_action_at = greatest(s.last_action_at, f.last_action_at),
       last_purchase_at = greatest(s.last_purchase_at, f.last_purchase_at),
       last_contact_type = CASE WHEN f.last_contact_at > s.last_contact_at OR s.last_contact_at IS NULL
                                THEN coalesce(f.last_contact_type, s.last_contact_type) ELSE s.last_contact_type END,
       last_contact_kind = CASE WHEN f.last_contact_at > s.last_contact_at OR s.last_contact_at IS NULL
                                THEN coalesce(f.last_contact_kind, s.last_contact_kind) ELSE s.last_contact_kind END,
       last_contact_at = greatest(s.last_contact_at, f.last_contact_at),
       last_touch_at = greatest(least(s.registered_at, f.registered_at), s.last_contact_at, f.last_contact_at),
       interaction_count = s.interaction_count + f.interaction_count,
       action_count = s.action_count + f.action_count,
       updated_at = now()
      FROM customer_contact_stats f
     WHERE s.tenant_id = $1 AND s.customer_id = $2 AND f.tenant_id = $1 AND f.customer_id = $3
     RETURNING 1`,
    [tx.tenantId, keepId, mergeId],
  );
  await tx.query('DELETE FROM customer_contact_stats WHERE tenant_id = $1 AND customer_id = $2', [
    tx.tenantId,
    mergeId,
  ]);
  return folded.length;
}

/**
 * Moves a customer's whole contact history (interactions, actions, last contacts) to another
 * customer in the caller's transaction. The customer merge (duplicates module) runs the same
 * three steps through its merge handlers (registerContactMergeHandlers).
 */
export async function moveContactHistory(
  tx: TenantTx,
  keepId: string,
  mergeId: string,
): Promise<{ interactions: number; actions: number }> {
  const interactions = await moveInteractions(tx, keepId, mergeId);
  const actions = await moveActions(tx, keepId, mergeId);
  await foldContactStats(tx, keepId, mergeId);
  return { interactions, actions };
}

/** Hooks the moves into POST /customers/merge (duplicates/merge-registry.ts). */
export function registerContactMergeHandlers(): void {
  registerMergeHandler('interactions', moveInteractions);
  registerMergeHandler('customer_actions', moveActions);
  registerMergeHandler('contact_stats', foldContactStats);
}
