import { queryOptions } from '@tanstack/react-query';
import type { Reason } from './catalogue';
import { api, request } from './client';
import type { Page } from './types';
import { downloadFile, type ImportAnswer, uploadFile } from './upload';

/**
 * 入金管理 and 返品入力 (src/server/modules/payments, src/server/modules/returns; docs/payments.md):
 * payments by hand, statement imports with their matching, the unmatched queue, the unpaid list
 * with reminders, an order's money, returns.
 */

export const PAYMENT_METHODS = ['bank_transfer', 'cod', 'card', 'deferred', 'convenience', 'cash', 'other'] as const;
export type PaymentMethodKind = (typeof PAYMENT_METHODS)[number];
export const IMPORT_KINDS = ['zengin', 'bank_csv', 'cod', 'deferred'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export type PaymentStatus = 'unpaid' | 'partial' | 'paid' | 'over';
export type LineStatus = 'unmatched' | 'matched' | 'dismissed';
/** CSV columns the import reads, by header label or 1-based number (docs/payments.md). */
export const IMPORT_COLUMNS = ['date', 'amount', 'name', 'reference', 'tracking', 'orderNumber'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** GET /payments/{id}, an item of GET /payments. */
export interface Payment {
  id: string;
  kind: 'receipt' | 'refund' | 'reversal';
  orderId: string | null;
  orderNumber: number | null;
  customerId: string;
  customerName: string;
  amount: number;
  method: PaymentMethodKind;
  paidOn: string;
  payerName: string | null;
  payerKana: string | null;
  reference: string | null;
  note: string | null;
  source: 'manual' | 'import' | 'queue';
  statementLineId: string | null;
  reversesId: string | null;
  reversedById: string | null;
  createdAt: string;
}

export interface PaymentInput {
  orderId?: string;
  customerId?: string;
  kind?: 'receipt' | 'refund';
  amount: number;
  method: PaymentMethodKind;
  paidOn?: string;
  payerName?: string;
  payerKana?: string;
  reference?: string;
  note?: string;
}

/** GET /payments/orders/{id}: what the order is due, what was paid, the balance (negative: a credit). */
export interface OrderMoney {
  orderId: string;
  orderNumber: number;
  customerId: string;
  orderStatus: string;
  total: number;
  refunded: number;
  due: number;
  paidAmount: number;
  balance: number;
  credit: number;
  status: PaymentStatus;
  payments: Payment[];
}

export interface Candidate {
  orderId: string;
  number: number;
  customerId: string;
  customerName: string;
  balance: number;
}

/** A statement line of the matching queue (GET /payments/unmatched). */
export interface StatementLine {
  id: string;
  importId: string;
  row: number;
  kind: ImportKind;
  paidOn: string;
  amount: number;
  payerName: string | null;
  reference: string | null;
  trackingNumber: string | null;
  orderNumber: number | null;
  status: LineStatus;
  matchRule: string | null;
  queueReason: string | null;
  candidates: Candidate[];
  paymentId: string | null;
  dismissNote: string | null;
  createdAt: string;
}

/** The answer of POST /payments/imports (a dry run's plan or the import's result). */
export interface ImportResult {
  importId: string | null;
  lines: number;
  imported: number;
  duplicates: number;
  matched: number;
  queued: number;
  skipped: number;
  amount: number;
  items: {
    row: number;
    paidOn: string;
    amount: number;
    payerName: string;
    outcome: 'matched' | 'queued' | 'duplicate';
    rule: string | null;
    orderId: string | null;
    orderNumber: number | null;
    queueReason: string | null;
    candidates: Candidate[];
  }[];
}

/** An item of GET /payments/unpaid. */
export interface UnpaidOrder {
  orderId: string;
  orderNumber: number;
  customerId: string;
  customerCode: string;
  customerName: string;
  customerKana: string | null;
  paymentKind: string;
  orderDate: string;
  dueDate: string;
  daysOverdue: number;
  total: number;
  paidAmount: number;
  balance: number;
  reminders: number;
  lastReminderAt: string | null;
}

export interface ReminderMailAnswer {
  sent: { orderId: string; reminderId: string }[];
  skipped: { orderId: string; reason: 'nothing_owed' | 'no_email' }[];
}

/** GET /returns/{id}, an item of GET /returns, the answer of POST /orders/{id}/returns. */
export interface ReturnRecord {
  id: string;
  orderId: string;
  orderNumber: number;
  customerId: string;
  customerName: string;
  reasonId: string;
  reasonName: string;
  receivedOn: string;
  resolution: 'refund' | 'exchange';
  restock: boolean;
  computedRefund: number;
  refundAmount: number;
  exchangeLines: { productId: string; quantity: number }[];
  exchangeOrderId: string | null;
  note: string | null;
  orderStatus: string;
  lines: {
    lineNo: number;
    productId: string;
    productCode: string;
    productName: string;
    quantity: number;
    amount: number;
  }[];
  createdAt: string;
}

export interface ReturnInput {
  reasonId: string;
  receivedOn?: string;
  lines: { lineNo: number; quantity: number }[];
  restock: boolean;
  resolution: 'refund' | 'exchange';
  refundAmount?: number;
  exchange?: { lines: { productId: string; quantity: number }[]; charge: boolean };
  note?: string;
}

const enc = encodeURIComponent;
export const paymentsKey = ['payments'] as const;
export const returnsKey = ['returns'] as const;

/** One key per payment being entered: a retried click never records it twice. */
export const recordPayment = (body: PaymentInput, idempotencyKey: string) =>
  request<Payment>('POST', '/payments', { body, headers: { 'Idempotency-Key': idempotencyKey } });

export const cancelPayment = (id: string, note?: string) =>
  api.post<Payment>(`/payments/${enc(id)}/cancel`, note ? { note } : {});

export function orderMoneyQuery(orderId: string) {
  return queryOptions({
    queryKey: [...paymentsKey, 'order', orderId],
    queryFn: ({ signal }) => api.get<OrderMoney>(`/payments/orders/${enc(orderId)}`, undefined, signal),
  });
}

/** The order of this number, to match a line or record a payment by the number a person reads. */
export async function findOrderByNumber(
  number: string,
): Promise<{ id: string; number: number; customerId: string; customerName?: string | null } | null> {
  const n = number.normalize('NFKC').replace(/\D/g, '');
  if (!n) return null;
  const page = await api.get<Page<{ id: string; number: number; customerId: string; customerName?: string | null }>>(
    '/orders',
    { number: n, limit: 1 },
  );
  return page.items[0] ?? null;
}

export const matchLine = (id: string, target: { orderId: string } | { customerId: string }, note?: string) =>
  api.post<StatementLine>(`/payments/unmatched/${enc(id)}/match`, note ? { ...target, note } : target);

export const dismissLine = (id: string, note?: string) =>
  api.post<StatementLine>(`/payments/unmatched/${enc(id)}/dismiss`, note ? { note } : {});

/**
 * POST /payments/imports: the file as it came from the bank or the carrier (全銀 files are bytes,
 * not text). 200/201 and 422 (every bad line, nothing written) are answers.
 */
export function importStatement(
  file: Blob,
  kind: ImportKind,
  dryRun: boolean,
  columns: Partial<Record<ImportColumn, string>> = {},
): Promise<ImportAnswer> {
  const query: Record<string, string> = { kind };
  if (dryRun) query.dryRun = 'true';
  if (kind !== 'zengin')
    for (const [key, value] of Object.entries(columns)) if (value?.trim()) query[key] = value.trim();
  return uploadFile('/payments/imports', file, query, kind === 'zengin' ? 'application/octet-stream' : 'text/csv');
}

export const sendReminderMails = (orderIds: string[]) =>
  api.post<ReminderMailAnswer>('/payments/reminders/email', { orderIds });

/** 督促状: one PDF, a page per order, handed to the browser as a download. */
export const downloadReminderLetters = (orderIds: string[]) =>
  downloadFile('POST', '/payments/reminders/letters', {}, { orderIds });

export const createReturn = (orderId: string, body: ReturnInput) =>
  api.post<ReturnRecord>(`/orders/${enc(orderId)}/returns`, body);

export function returnReasonsQuery() {
  return queryOptions({
    queryKey: ['master', 'reasons', 'desk', { kind: 'return' }],
    queryFn: ({ signal }) =>
      api.get<Page<Reason>>('/reasons', { kind: 'return', active: 'true', limit: 500 }, signal).then((p) => p.items),
    staleTime: 5 * 60_000,
  });
}
