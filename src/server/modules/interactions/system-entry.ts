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
import { randomUUID } from 'node:crypto';
import { prepared, type TenantTx } from '../../db/database.js';
import type { Actor } from '../../platform/audit/audit.js';
import { touchContacts } from './contact-stats.js';
import { insertEvents, insertInteraction } from './interactions.queries.js';
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
  const pickKind = () =>
    tx.query<{ id: string; name: string }>(
      prepared(`SELECT id, name FROM interaction_kinds
        WHERE tenant_id = $1 AND active
        ORDER BY (code = $2) DESC NULLS LAST, (code = 'other') DESC NULLS LAST, position, id
        LIMIT 1`),
      [tx.tenantId, entry.kindCode],
    );
  let [kind] = await pickKind();
  if (!kind) {
    // A tenant's first entry: the default kinds come first.
    await ensureInteractionSetup(tx);
    [kind] = await pickKind();
  }
  if (!kind) throw new Error('the tenant has no active interaction kind');
  const staffId = actor.type === 'user' ? actor.id : null;
  const id = randomUUID();
  // The entry, its first event and the customer's last contact: one round trip.
  await Promise.all([
    insertInteraction(tx, {
      id,
      customerId: entry.customerId,
      kindId: kind.id,
      channel: entry.channel ?? 'other',
      callId: entry.callId ?? null,
      subject: entry.subject.slice(0, 200),
      body: entry.body.slice(0, 4000),
      status: 'done',
      staffId,
      assigneeId: null,
      dueAt: null,
      at: entry.at,
    }),
    insertEvents(tx, actor, id, entry.at, [{ field: 'created', from: null, to: 'done' }]),
    touchContacts(tx, 'interaction', [{ customerId: entry.customerId, at: entry.at, kind: kind.name }]),
  ]);
  return id;
}
