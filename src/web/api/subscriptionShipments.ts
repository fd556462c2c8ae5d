import { queryOptions } from '@tanstack/react-query';
import { api } from './client';
import type { Page } from './types';

/** 定期発送一覧 and the 定期 forecast (server: src/server/modules/subscriptions/lists.routes.ts). */
export type ShipmentsBy = 'ship' | 'delivery';
export type ShipmentLineKind = 'item' | 'present' | 'component';
export type ShipmentStatus = 'received' | 'instructed' | 'shipped' | 'completed' | 'cancelled' | 'returned';

export interface SubscriptionShipment {
  orderId: string;
  orderNumber: number;
  subscriptionId: string;
  subscriptionNumber: number;
  deliverySeq: number | null;
  customerId: string;
  customerCode: string;
  customerName: string;
  customerKana: string | null;
  shipDate: string;
  deliveryDate: string | null;
  scheduledDate: string;
  timeSlot: string | null;
  timeSlotLabel: string | null;
  carrier: 'yamato' | 'sagawa' | 'japanpost';
  prefecture: string | null;
  amount: number;
  late: boolean;
  status: ShipmentStatus;
  lines: { kind: ShipmentLineKind; productId: string; productCode: string; productName: string; quantity: number }[];
}

export interface ShipmentsPage extends Page<SubscriptionShipment> {
  date: string;
  by: ShipmentsBy;
}

export interface ShipmentsSummary {
  date: string;
  by: ShipmentsBy;
  orders: number;
  items: {
    productId: string;
    productCode: string;
    productName: string;
    kind: ShipmentLineKind;
    quantity: number;
    orders: number;
  }[];
}

export interface SubscriptionForecast {
  from: string;
  to: string;
  days: string[];
  products: {
    productId: string;
    productCode: string;
    productName: string;
    total: number;
    presents: number;
    units: number[];
  }[];
  totals: number[];
  deliveries: number;
}

export interface GenerateResult {
  date: string;
  created: number;
  late: number;
  exceptions: number;
}

export const FORECAST_DAYS = [30, 60, 90] as const;
export type ForecastDays = (typeof FORECAST_DAYS)[number];

export const subscriptionShipmentsKey = ['subscriptions', 'shipments'] as const;

export function shipmentsSummaryQuery(date: string | undefined, by: ShipmentsBy) {
  return queryOptions({
    queryKey: [...subscriptionShipmentsKey, 'summary', { date, by }],
    queryFn: ({ signal }) => api.get<ShipmentsSummary>('/subscriptions/shipments/summary', { date, by }, signal),
  });
}

export function forecastQuery(from: string, days: ForecastDays) {
  return queryOptions({
    queryKey: ['subscriptions', 'forecast', { from, days }],
    queryFn: ({ signal }) => api.get<SubscriptionForecast>('/subscriptions/forecast', { from, days }, signal),
  });
}

export function generateSubscriptions(date?: string): Promise<GenerateResult> {
  return api.post<GenerateResult>('/subscriptions/generate', date ? { date } : {});
}

/** A delivery generation could not make (GET /subscriptions/exceptions): retried by every run until resolved. */
export interface GenerationException {
  id: string;
  subscriptionId: string;
  subscriptionNumber: number;
  customerId: string;
  customerName: string;
  deliveryDate: string;
  code: string;
  message: string;
  attempts: number;
  firstAt: string;
  lastAt: string;
}

export const exceptionsQuery = () =>
  queryOptions({
    queryKey: ['subscriptions', 'exceptions'],
    queryFn: ({ signal }) => api.get<{ items: GenerationException[] }>('/subscriptions/exceptions', {}, signal),
  });

export function resolveGenerationException(id: string): Promise<void> {
  return api.post<void>(`/subscriptions/exceptions/${id}/resolve`, {});
}
