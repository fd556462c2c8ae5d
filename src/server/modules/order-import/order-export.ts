// GET /orders.csv: 受注一覧 as CSV for Excel — the orders GET /orders answers for the same filters,
// one row per order line with the order's fields repeated, streamed in keyset pages of the orders
// module's own list (memory stays flat; other requests run between pages).
import type { Readable } from 'node:stream';
import type { Database } from '../../db/database.js';
import { audit } from '../../platform/audit/audit.js';
import { type CsvEncoding, csvStream } from '../../platform/files/csv.js';
import type { ListOrdersQuery, Order } from '../orders/orders.schema.js';
import { listOrders } from '../orders/orders.service.js';
import type { Ctx } from './order-import.presets.js';

const PAGE = 500;

export const EXPORT_HEADER = [
  '受注番号',
  '受付日',
  '受注日時',
  '区分',
  '伝票種別',
  '状態',
  '顧客コード',
  '顧客名',
  'お届け先氏名',
  'お届け先郵便番号',
  'お届け先住所',
  'お届け先電話番号',
  '配送業者',
  '出荷予定日',
  'お届け予定日',
  'お届け希望日',
  '配達時間帯',
  '支払方法',
  '担当者',
  '明細No',
  '明細区分',
  '商品コード',
  '商品名',
  '数量',
  '単価',
  '金額',
  '税率',
  '商品合計',
  '送料',
  '手数料',
  '値引',
  '消費税',
  '合計',
  '入金額',
  '追跡番号',
  '備考',
];

const STATUS: Record<Order['status'], string> = {
  received: '受付',
  instructed: '出荷指示済',
  shipped: '出荷済',
  completed: '完了',
  cancelled: 'キャンセル',
  returned: '返品',
};
const CHANNEL: Record<Order['channel'], string> = {
  phone: '電話',
  fax: 'FAX',
  mail: '郵便',
  web: 'Web',
  subscription: '定期',
  other: 'その他',
};
const KIND: Record<Order['kind'], string> = { normal: '通常', subscription: '定期' };
const CARRIER: Record<Order['carrier'], string> = { yamato: 'ヤマト運輸', sagawa: '佐川急便', japanpost: '日本郵便' };
const LINE_KIND = { item: '商品', present: 'プレゼント', component: 'セット構成品' } as const;
const TOKYO = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

function rowsOfOrder(o: Order): unknown[][] {
  const s = o.shipTo;
  const head = [
    o.number,
    o.orderDate,
    TOKYO.format(new Date(o.orderedAt)),
    CHANNEL[o.channel],
    KIND[o.kind],
    STATUS[o.status],
    o.customerCode,
    o.customerName,
    s.name,
    s.postalCode,
    [s.prefecture, s.city, s.address1, s.address2].filter(Boolean).join(' '),
    s.phone,
    CARRIER[o.carrier],
    o.shipDate,
    o.deliveryDate,
    o.desiredDeliveryDate,
    o.deliveryTimeSlot,
    o.paymentMethodName,
    o.staffName,
  ];
  const tail = [
    o.subtotal,
    o.shippingFee,
    o.paymentFee,
    o.discount,
    o.taxTotal,
    o.total,
    o.paidAmount,
    o.trackingNumber,
    o.note,
  ];
  const lines = o.lines.length > 0 ? o.lines : [null];
  return lines.map((l) => [
    ...head,
    l?.lineNo,
    l ? LINE_KIND[l.kind] : '',
    l?.productCode,
    l?.productName,
    l?.quantity,
    l?.unitPrice,
    l?.amount,
    l ? `${l.taxRate}%` : '',
    ...tail,
  ]);
}

export type ExportFilters = Omit<ListOrdersQuery, 'limit' | 'cursor'>;

async function* rowsOf(db: Database, ctx: Pick<Ctx, 'tenantId'>, filters: ExportFilters): AsyncGenerator<unknown[]> {
  let cursor: string | undefined;
  for (;;) {
    const page = await listOrders(db, ctx, { ...filters, limit: PAGE, ...(cursor ? { cursor } : {}) });
    for (const o of page.items) for (const r of rowsOfOrder(o)) yield r;
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
  }
}

/** Audits the export (a bulk read of customers' names and addresses), then answers the CSV stream. */
export async function exportOrders(
  db: Database,
  ctx: Ctx,
  filters: ExportFilters,
  encoding: CsvEncoding,
): Promise<Readable> {
  await db.withTenant(ctx.tenantId, (tx) =>
    audit(tx, ctx.actor, { action: 'order.export', objectType: 'order', detail: { encoding, filters } }),
  );
  return csvStream(EXPORT_HEADER, rowsOf(db, ctx, filters), encoding);
}
