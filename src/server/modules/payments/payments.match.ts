// Matching statement lines to open orders (消込). For bank deposits, in this order:
//   1. reference: an order number written in the payer's text (振込依頼人名, 摘要, EDI). One open
//      order with it → matched, if the amount is what it still owes or the payer's kana is its
//      customer's (else the queue, the order suggested: a stray number must not pay an order);
//   2. amount + kana: the open orders owing exactly the amount whose customer's kana is the
//      payer's (full/half width, hiragana/katakana, small kana folded by normalizeName). Exactly
//      one → matched; several → the queue (ambiguous);
//   3. else the queue, with the open orders of customers of that kana as suggestions.
// COD files match by tracking number (or order number), 後払い files by order number.
// Lines are taken in file order against balances kept as they go, so two deposits for one order
// do not both "pay it in full".
import { normalizeName, queryGrams } from '../../../shared/japanese/name.js';
import type { TenantTx } from '../../db/database.js';
import type { ImportKind } from './payments.schema.js';

export type MatchLine = {
  kind: ImportKind;
  amount: number;
  payerName: string;
  reference: string;
  tracking: string | null;
  orderNumber: number | null;
};

export type Candidate = { orderId: string; number: number; customerId: string; customerName: string; balance: number };
export type Rule = 'reference' | 'amount_kana' | 'tracking' | 'order_number';
export type QueueReason = 'no_candidate' | 'ambiguous' | 'unconfirmed_reference' | 'not_open';
export type Decision =
  | { outcome: 'matched'; rule: Rule; order: Candidate }
  | { outcome: 'queued'; reason: QueueReason; candidates: Candidate[] };

type OrderRow = {
  id: string;
  number: string;
  customer_id: string;
  customer_name: string;
  name_search: string;
  status: string;
  total: number;
  paid_amount: number;
  refunded: number;
  tracking_number: string | null;
};

type OpenOrder = {
  id: string;
  number: number;
  customerId: string;
  customerName: string;
  kanaKeys: string[];
  status: string;
  due: number;
  paid: number;
  tracking: string | null;
};

const MAX_CANDIDATES = 10;
const CORPORATE = /^(?:カ|ユ|ド|シヤ|シャ|ザイ|イ|ガク)[)）]|[(（](?:カ|ユ|ド)$/u;

/** The payer's name as the customers' kana are kept: digits and 株式会社-style marks left out. */
export function payerKey(name: string): string {
  const s = name.normalize('NFKC').replace(/[0-9]/g, ' ').trim().replace(CORPORATE, '');
  return normalizeName(s);
}

/** Order numbers a payer may have written: runs of 3 to 12 digits (full-width folded). */
export function numbersIn(text: string): number[] {
  const runs = text.normalize('NFKC').match(/\d+/g) ?? [];
  return [...new Set(runs.filter((r) => r.length >= 3 && r.length <= 12).map(Number))];
}

const ORDER_SELECT = `SELECT o.id, o.number, o.customer_id, c.name AS customer_name, c.name_search, o.status, o.total,
    o.paid_amount, o.tracking_number,
    coalesce((SELECT sum(r.refund_amount) FROM returns r WHERE r.tenant_id = o.tenant_id AND r.order_id = o.id), 0)::int AS refunded
  FROM orders o JOIN customers c ON c.tenant_id = o.tenant_id AND c.id = o.customer_id`;

const OPEN = `o.paid_amount < o.total AND o.status NOT IN ('cancelled', 'returned')`;

export class Matcher {
  private orders = new Map<string, OpenOrder>();
  private byNumber = new Map<number, string>();
  private byTracking = new Map<string, string[]>();

  private constructor(private tx: TenantTx) {}

  private add(rows: OrderRow[]) {
    for (const r of rows) {
      if (this.orders.has(r.id)) continue;
      const o: OpenOrder = {
        id: r.id,
        number: Number(r.number),
        customerId: r.customer_id,
        customerName: r.customer_name,
        kanaKeys: r.name_search.split(' ').filter(Boolean),
        status: r.status,
        due: r.status === 'cancelled' ? 0 : Math.max(r.total - r.refunded, 0),
        paid: r.paid_amount,
        tracking: r.tracking_number,
      };
      this.orders.set(o.id, o);
      this.byNumber.set(o.number, o.id);
      if (o.tracking) this.byTracking.set(o.tracking, [...(this.byTracking.get(o.tracking) ?? []), o.id]);
    }
  }

  /** Loads, in three statements, every order the lines may name or pay. */
  static async load(tx: TenantTx, lines: MatchLine[]): Promise<Matcher> {
    const m = new Matcher(tx);
    const numbers = new Set<number>();
    const tracking = new Set<string>();
    const amounts = new Set<number>();
    const kanas = new Set<string>();
    for (const l of lines) {
      if (l.orderNumber !== null) numbers.add(l.orderNumber);
      if (l.tracking) tracking.add(l.tracking);
      if (l.kind === 'zengin' || l.kind === 'bank_csv') {
        for (const n of numbersIn(`${l.payerName} ${l.reference}`)) numbers.add(n);
        const key = payerKey(l.payerName);
        if (key) {
          amounts.add(l.amount);
          kanas.add(key);
        }
      }
    }
    const where = (sql: string, values: unknown[]) =>
      tx.query<OrderRow>(`${ORDER_SELECT} WHERE o.tenant_id = $1 AND ${sql}`, [tx.tenantId, ...values]);
    if (numbers.size > 0)
      m.add(await where('o.number = ANY($2::bigint[])', [[...numbers].filter((n) => n <= Number.MAX_SAFE_INTEGER)]));
    if (tracking.size > 0) m.add(await where('o.tracking_number = ANY($2::text[])', [[...tracking]]));
    if (amounts.size > 0)
      m.add(
        await where(
          `(o.total - o.paid_amount) = ANY($2::int[]) AND ${OPEN} AND string_to_array(c.name_search, ' ') && $3::text[]`,
          [[...amounts], [...kanas]],
        ),
      );
    return m;
  }

  private balance(o: OpenOrder) {
    return o.due - o.paid;
  }
  private isOpen(o: OpenOrder) {
    return o.status !== 'cancelled' && o.status !== 'returned' && this.balance(o) > 0;
  }
  private candidate(o: OpenOrder): Candidate {
    return {
      orderId: o.id,
      number: o.number,
      customerId: o.customerId,
      customerName: o.customerName,
      balance: this.balance(o),
    };
  }
  private matched(rule: Rule, o: OpenOrder, amount: number): Decision {
    const order = this.candidate(o);
    o.paid += amount;
    return { outcome: 'matched', rule, order };
  }
  private queued(reason: QueueReason, orders: OpenOrder[]): Decision {
    return { outcome: 'queued', reason, candidates: orders.slice(0, MAX_CANDIDATES).map((o) => this.candidate(o)) };
  }

  /** Decides one line and, when it is matched, counts its amount as paid for the next lines. */
  decide(l: MatchLine): Decision {
    if (l.kind === 'cod' || l.kind === 'deferred') {
      const ids = (l.tracking ? this.byTracking.get(l.tracking) : undefined) ?? [];
      const rule: Rule = ids.length > 0 ? 'tracking' : 'order_number';
      const byNumber = l.orderNumber !== null ? this.byNumber.get(l.orderNumber) : undefined;
      const found = (ids.length > 0 ? ids : byNumber ? [byNumber] : []).map((id) => this.orders.get(id) as OpenOrder);
      if (found.length === 0) return this.queued('no_candidate', []);
      if (found.length > 1) return this.queued('ambiguous', found);
      const o = found[0] as OpenOrder;
      return this.isOpen(o) ? this.matched(rule, o, l.amount) : this.queued('not_open', [o]);
    }
    const key = payerKey(l.payerName);
    const kanaOf = (o: OpenOrder) => key !== '' && o.kanaKeys.includes(key);
    const refs = numbersIn(`${l.payerName} ${l.reference}`)
      .map((n) => this.byNumber.get(n))
      .filter((id): id is string => id !== undefined)
      .map((id) => this.orders.get(id) as OpenOrder);
    const openRefs = refs.filter((o) => this.isOpen(o));
    if (openRefs.length === 1) {
      const o = openRefs[0] as OpenOrder;
      if (l.amount === this.balance(o) || kanaOf(o)) return this.matched('reference', o, l.amount);
      return this.queued('unconfirmed_reference', [o]);
    }
    if (openRefs.length > 1) return this.queued('ambiguous', openRefs);
    const exact = [...this.orders.values()].filter((o) => this.isOpen(o) && this.balance(o) === l.amount && kanaOf(o));
    if (exact.length === 1) return this.matched('amount_kana', exact[0] as OpenOrder, l.amount);
    if (exact.length > 1) return this.queued('ambiguous', exact);
    return this.queued(refs.length > 0 ? 'not_open' : 'no_candidate', refs);
  }

  /** Suggestions for a bank line nobody claimed: open orders of customers with the payer's kana. */
  async suggest(l: MatchLine): Promise<Candidate[]> {
    const key = payerKey(l.payerName);
    if (Array.from(key).length < 2) return [];
    const rows = await this.tx.query<OrderRow>(
      `${ORDER_SELECT}
        WHERE o.tenant_id = $1 AND ${OPEN}
          AND o.customer_id IN (SELECT k.id FROM customer_ids_by_name($2::text[], $3, 0, 50) s
                                  JOIN customers k ON k.tenant_id = $1 AND k.id = s.customer_id
                                 WHERE $3 = ANY(string_to_array(k.name_search, ' ')))
        ORDER BY o.order_date, o.number LIMIT ${MAX_CANDIDATES}`,
      [this.tx.tenantId, queryGrams(key), key],
    );
    this.add(rows);
    return rows
      .map((r) => this.orders.get(r.id) as OpenOrder)
      .filter((o) => this.isOpen(o))
      .map((o) => this.candidate(o));
  }
}
