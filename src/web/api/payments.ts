import { api } from './client';

/** 入金管理 (src/server/modules/payments): payments, statement imports, the unmatched queue, unpaid orders. */
export interface UnpaidOrder {
  orderId: string;
  orderNumber: string;
  customerId: string;
  customerName: string;
  paymentMethod: string | null;
  total: number;
  paid: number;
  balance: number;
  dueDate: string | null;
  overdueDays: number | null;
  lastReminderAt: string | null;
}

export interface UnmatchedPayment {
  id: string;
  receivedOn: string;
  amount: number;
  payerName: string | null;
  reference: string | null;
  source: string;
  candidates: { orderId: string; orderNumber: string; customerName: string; balance: number }[];
}

export interface ReturnItem {
  id: string;
  orderId: string;
  orderNumber: string;
  customerName: string;
  returnedOn: string;
  reasonName: string | null;
  resolution: 'refund' | 'exchange' | 'none';
  refundAmount: number;
  restocked: boolean;
  lines: { productCode: string; productName: string; quantity: number }[];
}

export const recordPayment = (body: { orderId: string; amount: number; receivedOn: string; note?: string | null }) =>
  api.post('/payments', body);
export const matchPayment = (id: string, orderId: string) =>
  api.post(`/payments/unmatched/${encodeURIComponent(id)}/match`, { orderId });
export const dismissPayment = (id: string) => api.post(`/payments/unmatched/${encodeURIComponent(id)}/dismiss`, {});
export const sendReminders = (orderIds: string[], channel: 'letter' | 'mail') =>
  api.post<{ sent: number }>('/payments/reminders', { orderIds, channel });
