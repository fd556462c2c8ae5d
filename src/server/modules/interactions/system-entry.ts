// The one door through which other modules write a 対応履歴 entry inside their own transaction
// (an order registered → 注文, a subscription changed → 定期変更, a return → その他 …):
//
//   import { recordSystemInteraction } from '../interactions/system-entry.js';
//   await recordSystemInteraction(tx, actor, { customerId, kindCode: 'subscription_change',
//     subject: '次回お届けをスキップ', body: '…', at: now });
//
// kindCode names one of the default kinds (kinds.service.ts DEFAULT_KINDS); a tenant that
// deleted or renamed that kind gets その他, then any active kind. The entry is done (完了), on the
// web channel unless told, with the acting user as staff; the customer's last contact follows.
import { v7 as uuidv7 } from 'uuid';
import { prepared, type TenantTx } from '../../db/database.js';
import type { Actor } from '../../platform/audit/audit.js';
import { touchContacts } from './contact-stats.js';
import type { Channel } from './interactions.schema.js';
import { type DEFAULT_KINDS, ensureInteractionSetup } from './kinds.service.js';

export type SystemInteraction = {
  customerId: string;
  kindCode: (typeof DEFAULT_KINDS)[number]['code'];
  subject: string;
  body: string;
  at: Date;
  channel?: Channel;
  callId?: string | null;
};

export async function recordSystemInteraction(tx: TenantTx, actor: Actor, entry: SystemInteraction): Promise<string> {
  const [id] = await recordSystemInteractions(tx, [{ actor, entry }]);
  return id as string;
}

export type InteractionKind = { id: string; name: string };

/**
 * The kind an entry of `code` gets (a default kind's code; その他, then any active kind, when the
 * tenant has none such). Callers that write entries later in the transaction may ask for it
 * early, beside their other reads, and hand it to recordSystemInteractions.
 */
export async function interactionKind(tx: TenantTx, code: SystemInteraction['kindCode']): Promise<InteractionKind> {
  const pick = () =>
    tx.query<InteractionKind>(
      prepared(`SELECT id, name FROM interaction_kinds
        WHERE tenant_id = $1 AND active
        ORDER BY (code = $2) DESC NULLS LAST, (code = 'other') DESC NULLS LAST, position, id
        LIMIT 1`),
      [tx.tenantId, code],
    );
  let [kind] = await pick();
  if (!kind) {
    // A tenant's first entry: the default kinds come first.
    await ensureInteractionSetup(tx);
    [kind] = await pick();
  }
  if (!kind) throw new Error('the tenant has no active interaction kind');
  return kind;
}

const INSERT_MANY =
  prepared(`INSERT INTO interactions (id, tenant_id, customer_id, kind_id, channel, call_id, subject, body, status,
                                staff_id, assignee_id, due_at, at)
   SELECT x.id, $1, x.customer_id, x.kind_id, x.channel, x.call_id, x.subject, x.body, 'done', x.staff_id, NULL, NULL, x.at
     FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, customer_id uuid, kind_id uuid, channel text, call_id text,
          subject text, body text, staff_id uuid, at timestamptz)`);
const EVENTS_MANY =
  prepared(`INSERT INTO interaction_events (tenant_id, interaction_id, at, actor_type, actor_id, actor_label, field,
                                      old_value, new_value)
   SELECT $1, x.id, x.at, x.actor_type, x.actor_id, x.actor_label, 'created', NULL, 'done'
     FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, at timestamptz, actor_type text, actor_id uuid, actor_label text)`);

/**
 * recordSystemInteraction for many entries at once (each with its own actor: several requests
 * written together), in a fixed number of statements. Answers the entries' ids in order.
 */
export async function recordSystemInteractions(
  tx: TenantTx,
  entries: { actor: Actor; entry: SystemInteraction }[],
  known?: Map<string, InteractionKind>,
): Promise<string[]> {
  if (entries.length === 0) return [];
  const kinds = new Map<string, InteractionKind>(known ? [...known] : []);
  for (const code of new Set(entries.map((e) => e.entry.kindCode))) {
    if (!kinds.has(code)) kinds.set(code, await interactionKind(tx, code));
  }
  const rows = entries.map(({ actor, entry }) => ({
    id: uuidv7(),
    customer_id: entry.customerId,
    kind: kinds.get(entry.kindCode) as InteractionKind,
    channel: entry.channel ?? 'other',
    call_id: entry.callId ?? null,
    subject: entry.subject.slice(0, 200),
    body: entry.body.slice(0, 4000),
    staff_id: actor.type === 'user' ? actor.id : null,
    at: entry.at.toISOString(),
    actor,
  }));
  await Promise.all([
    tx.query(INSERT_MANY, [
      tx.tenantId,
      JSON.stringify(rows.map(({ kind, actor: _actor, ...r }) => ({ ...r, kind_id: kind.id }))),
    ]),
    tx.query(EVENTS_MANY, [
      tx.tenantId,
      JSON.stringify(
        rows.map((r) => ({
          id: r.id,
          at: r.at,
          actor_type: r.actor.type,
          actor_id: r.actor.id,
          actor_label: r.actor.label,
        })),
      ),
    ]),
    touchContacts(
      tx,
      'interaction',
      rows.map((r) => ({ customerId: r.customer_id, at: new Date(r.at), kind: r.kind.name })),
    ),
  ]);
  return rows.map((r) => r.id);
}
