// The demo tenant's 対応履歴 beyond what orders and 定期 changes write themselves: ~150 calls,
// mails and web forms over the last 12 months (問い合わせ, クレーム, 基本変更, その他), the older
// ones done, the last days' ones still 対応中 or 保留 with an assignee. Written as
// createInteraction writes them (entry, first history rows, the call action, the customer's last
// contact), in one transaction. Answers the open ones (the cases demo escalates some).
import { tokyoDate } from '../../../shared/calendar.js';
import type { Database } from '../../db/database.js';
import type { Actor } from '../../platform/audit/audit.js';
import { addDate, type Rng, tokyoAt } from '../../platform/demo/random.js';
import { type ActionInput, recordActions } from './actions.service.js';
import { touchContacts } from './contact-stats.js';
import { type EventInput, insertEvents, insertInteraction } from './interactions.queries.js';
import type { Channel, InteractionStatus } from './interactions.schema.js';
import { ensureInteractionSetup } from './kinds.service.js';

type Topic = { kind: string; subject: string; body: string; channel?: Channel };

const TOPICS: Topic[] = [
  {
    kind: 'inquiry',
    subject: '青汁の飲み方について',
    body: '牛乳で割ってもよいかとのご質問。問題ない旨と、おすすめの飲み方をご案内。',
  },
  {
    kind: 'inquiry',
    subject: 'お届け日の確認',
    body: '先日注文した商品がいつ届くかのご確認。出荷予定日とお届け予定日をご案内。',
  },
  {
    kind: 'inquiry',
    subject: '成分・アレルギーについて',
    body: '大麦若葉のアレルギー表示についてご質問。原材料表示を読み上げてご案内。',
  },
  {
    kind: 'inquiry',
    subject: '定期便の仕組みについて',
    body: '定期便の割引と解約条件のご質問。2回目以降10%オフ、いつでも休止・解約可能とご案内。',
  },
  {
    kind: 'inquiry',
    subject: '支払方法の確認',
    body: '後払いの請求書がいつ届くかのご質問。商品に同封または別送で14日以内のお支払いとご案内。',
  },
  {
    kind: 'inquiry',
    subject: '美容液の使用順序',
    body: '化粧水の前か後かのご質問。洗顔→化粧水→美容液の順でご案内。',
    channel: 'mail',
  },
  {
    kind: 'inquiry',
    subject: 'サプリの飲み合わせ',
    body: '血圧の薬との飲み合わせのご質問。かかりつけ医へのご相談をお勧め。',
  },
  {
    kind: 'inquiry',
    subject: 'カタログ送付のご依頼',
    body: '最新カタログの送付をご希望。次回DM発送時に同封を手配。',
    channel: 'web_form',
  },
  {
    kind: 'complaint',
    subject: '商品破損のご連絡',
    body: '届いた美容液の箱が潰れていたとのご連絡。お詫びし、交換品の手配をご案内。',
  },
  {
    kind: 'complaint',
    subject: '配送遅延へのご不満',
    body: '指定日に届かなかったとのお叱り。配送業者に確認し折り返しのお約束。',
  },
  {
    kind: 'complaint',
    subject: '請求金額の相違',
    body: '代引き手数料が想定より高いとのご指摘。手数料表をご説明し、ご納得いただく。',
  },
  {
    kind: 'complaint',
    subject: '電話がつながりにくい',
    body: '昼休みの時間帯につながらなかったとのご不満。混雑時間帯をご案内しお詫び。',
  },
  {
    kind: 'basic_change',
    subject: '住所変更',
    body: '転居に伴う住所変更のご依頼。新住所を復唱確認の上、顧客情報を更新。',
  },
  { kind: 'basic_change', subject: '電話番号の追加', body: '携帯電話番号の追加のご依頼。顧客情報に登録。' },
  {
    kind: 'basic_change',
    subject: 'DM停止のご依頼',
    body: 'ダイレクトメールの送付停止をご希望。DM不可に変更。',
    channel: 'letter',
  },
  {
    kind: 'other',
    subject: 'キャンペーンのご案内(発信)',
    body: '新商品サンプルプレゼントのご案内。ご興味ありとのこと。',
    channel: 'outbound_call',
  },
  { kind: 'other', subject: 'お礼のお電話', body: '長くご愛用いただいているお礼をお伝え。', channel: 'outbound_call' },
];

const OPEN: Topic[] = [
  { kind: 'complaint', subject: '届いた商品が違う', body: '注文と異なる商品が届いたとのご連絡。出荷記録を確認中。' },
  {
    kind: 'complaint',
    subject: '返金がまだ反映されていない',
    body: '返品済みの商品の返金が確認できないとのお問い合わせ。経理に確認中。',
  },
  {
    kind: 'complaint',
    subject: '定期便の解約が反映されていない',
    body: '先月解約を申し出たのに請求が来たとのお叱り。通話記録を確認中。',
  },
  {
    kind: 'inquiry',
    subject: '領収書の再発行',
    body: '会社提出用に領収書の再発行をご希望。宛名を確認の上、発行予定。',
  },
  {
    kind: 'complaint',
    subject: '肌に合わなかった',
    body: '美容液の使用後に赤みが出たとのご連絡。使用中止をお願いし、返金対応を検討中。',
  },
  {
    kind: 'inquiry',
    subject: '大量購入のご相談',
    body: '社員向けにまとめて購入したいとのご相談。法人価格を確認して折り返し。',
  },
  {
    kind: 'inquiry',
    subject: 'ギフト配送のご相談',
    body: 'ご両親宛てにギフト配送したいとのご相談。のし・包装の可否を確認中。',
  },
];

export type OpenEntry = { id: string; customerId: string; subject: string; kind: string; at: Date };

export async function seedInteractionsDemo(
  db: Database,
  tenantId: string,
  opts: { now: Date; rng: Rng; days: number; staff: { id: string; actor: Actor }[]; customers: { id: string }[] },
): Promise<OpenEntry[]> {
  const { rng, now } = opts;
  const today = tokyoDate(now);
  return db.withTenant(tenantId, async (tx) => {
    await ensureInteractionSetup(tx);
    const kinds = new Map(
      (
        await tx.query<{ id: string; code: string; name: string }>(
          'SELECT id, code, name FROM interaction_kinds WHERE tenant_id = $1 AND code IS NOT NULL',
          [tenantId],
        )
      ).map((k) => [k.code, k]),
    );
    const open: OpenEntry[] = [];
    const actions: ActionInput[] = [];
    const contacts: { customerId: string; at: Date; kind: string }[] = [];
    const entries: { topic: Topic; daysAgo: number; status: InteractionStatus }[] = [];
    for (let i = 0; i < 150; i++)
      entries.push({ topic: rng.pick(TOPICS), daysAgo: rng.int(3, opts.days), status: 'done' });
    OPEN.forEach((topic, i) => {
      entries.push({
        topic,
        daysAgo: i < 2 ? rng.int(4, 6) : rng.int(0, 2),
        status: i % 3 === 2 ? 'on_hold' : 'in_progress',
      });
    });
    entries.sort((a, b) => b.daysAgo - a.daysAgo);
    for (const e of entries) {
      const kind = kinds.get(e.topic.kind) ?? kinds.get('other');
      if (!kind) continue;
      const clerk = rng.pick(opts.staff);
      let at = tokyoAt(addDate(today, -e.daysAgo), rng.int(9, 18), rng.int(0, 59));
      if (at.getTime() > now.getTime()) at = new Date(now.getTime() - rng.int(5, 120) * 60_000);
      const customerId = rng.pick(opts.customers).id;
      const channel =
        e.topic.channel ??
        rng.weighted<Channel>([
          ['inbound_call', 75],
          ['mail', 15],
          ['web_form', 10],
        ]);
      const assigneeId = e.status === 'done' ? null : clerk.id;
      const dueAt = e.status === 'done' ? null : new Date(at.getTime() + 3 * 86_400_000).toISOString();
      const id = await insertInteraction(tx, {
        customerId,
        kindId: kind.id,
        channel,
        callId: null,
        subject: e.topic.subject,
        body: e.topic.body,
        status: e.status,
        staffId: clerk.id,
        assigneeId,
        dueAt,
        at,
      });
      const events: EventInput[] = [{ field: 'created', from: null, to: e.status }];
      if (assigneeId) events.push({ field: 'assignee', from: null, to: assigneeId });
      if (dueAt) events.push({ field: 'due', from: null, to: dueAt });
      await insertEvents(tx, clerk.actor, id, at, events);
      if (channel === 'inbound_call' || channel === 'outbound_call')
        actions.push({
          customerId,
          kind: 'call',
          at,
          note: e.topic.subject,
          refType: 'interaction',
          refId: id,
          staffId: clerk.id,
        });
      contacts.push({ customerId, at, kind: kind.name });
      if (e.status !== 'done') open.push({ id, customerId, subject: e.topic.subject, kind: e.topic.kind, at });
    }
    await recordActions(tx, (opts.staff[0] as { actor: Actor }).actor, actions);
    await touchContacts(tx, 'interaction', contacts);
    return open;
  });
}

/**
 * The 注文 entry each order the desk registered would have (createOrder writes one; the demo
 * registers its orders in batches, which write none): one statement for the entries, one for their
 * first history rows, one for the customers' last contacts.
 */
export async function seedOrderEntriesDemo(db: Database, tenantId: string): Promise<number> {
  return db.withTenant(tenantId, async (tx) => {
    await ensureInteractionSetup(tx);
    const rows = await tx.query<{ id: string; customer_id: string; at: Date; staff_id: string | null; kind: string }>(
      `WITH k AS (SELECT id, name FROM interaction_kinds WHERE tenant_id = $1 AND code = 'order' LIMIT 1)
       INSERT INTO interactions AS i (tenant_id, customer_id, kind_id, channel, subject, body, status, staff_id, at)
       SELECT o.tenant_id, o.customer_id, k.id, CASE WHEN o.channel = 'web' THEN 'web_form' ELSE 'other' END,
              '受注 #' || o.number,
              (SELECT string_agg(l.product_name || '×' || l.quantity, '、' ORDER BY l.line_no) FROM order_lines l
                WHERE l.tenant_id = o.tenant_id AND l.order_id = o.id AND l.kind = 'item')
                || '。合計 ¥' || to_char(o.total, 'FM999,999,999') || '、出荷予定 ' || o.ship_date
                || '、お届け予定 ' || coalesce(o.delivery_date, o.ship_date) || '。',
              'done', o.staff_id, o.ordered_at
         FROM orders o CROSS JOIN k
        WHERE o.tenant_id = $1 AND o.kind = 'normal'
        ORDER BY o.ordered_at, o.number
       RETURNING i.id, i.customer_id, i.at, i.staff_id, (SELECT name FROM k) AS kind`,
      [tenantId],
    );
    if (rows.length === 0) return 0;
    await tx.query(
      `INSERT INTO interaction_events (tenant_id, interaction_id, at, actor_type, actor_id, actor_label, field, old_value, new_value)
       SELECT $1, x.id, x.at, CASE WHEN u.id IS NULL THEN 'system' ELSE 'user' END, u.id, coalesce(u.name, 'system'),
              'created', NULL, 'done'
         FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, at timestamptz, staff_id uuid)
         LEFT JOIN users u ON u.tenant_id = $1 AND u.id = x.staff_id`,
      [tenantId, JSON.stringify(rows.map((r) => ({ id: r.id, at: r.at, staff_id: r.staff_id })))],
    );
    await touchContacts(
      tx,
      'interaction',
      rows.map((r) => ({ customerId: r.customer_id, at: new Date(r.at), kind: r.kind })),
    );
    return rows.length;
  });
}
