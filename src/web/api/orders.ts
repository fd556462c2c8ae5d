import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type {
  AdMedium,
  Campaign,
  Carrier,
  PaymentKind,
  PaymentMethod,
  Product,
  Reason,
  ShippingOrigin,
  TimeSlot,
} from './catalogue';
import { api, request } from './client';
import type { Page } from './types';

/** The order desk (CONTRACTS.md "Catalogue, orders, shipping"; src/server/modules/orders). */
export const ORDER_STATUSES = ['received', 'instructed', 'shipped', 'completed', 'cancelled', 'returned'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const ORDER_KINDS = ['normal', 'subscription'] as const;
export type OrderKind = (typeof ORDER_KINDS)[number];
/** 区分: how the order came in. */
export const ORDER_CHANNELS = ['phone', 'fax', 'mail', 'web', 'subscription', 'other'] as const;
export type OrderChannel = (typeof ORDER_CHANNELS)[number];
export const ORDER_CARRIERS = ['yamato', 'sagawa', 'japanpost'] as const satisfies readonly Carrier[];

export const STATUS_COLORS: Record<OrderStatus, string> = {
  received: 'blue',
  instructed: 'violet',
  shipped: 'teal',
  completed: 'gray',
  cancelled: 'red',
  returned: 'orange',
};

export interface OrderLine {
  lineNo?: number;
  /** item (sold), present (a campaign's, 0 yen), component (a set's content or a companion). */
  kind?: 'item' | 'present' | 'component';
  parentLine?: number | null;
  productId: string;
  productCode?: string;
  productName?: string;
  quantity: number;
  unitPrice: number;
  amount: number;
  taxRate: number;
  returnedQuantity?: number;
}

export interface TaxLine {
  rate: number;
  taxableAmount: number;
  tax: number;
}

export interface ShipTo {
  name: string;
  nameKana?: string | null;
  postalCode?: string | null;
  prefecture?: string | null;
  city?: string | null;
  address1?: string | null;
  address2?: string | null;
  company?: string | null;
  department?: string | null;
  phone?: string | null;
}

export interface OrderEvent {
  id: string;
  at: string;
  kind: string;
  userId?: string | null;
  userName?: string | null;
  data?: Record<string, unknown>;
}

/** GET /orders/{id} (and the items of GET /orders, with fewer details). */
export interface Order {
  id: string;
  number: number | string;
  customerId: string;
  customerName?: string | null;
  customerCode?: string | null;
  status: OrderStatus;
  kind?: OrderKind;
  channel?: OrderChannel;
  sortCode?: string | null;
  orderedAt?: string;
  orderDate?: string;
  shipDate: string;
  deliveryDate?: string | null;
  desiredDeliveryDate?: string | null;
  carrier?: Carrier;
  deliveryTimeSlot?: string | null;
  timeSlot?: string | null;
  originId?: string | null;
  addressId?: string | null;
  shipTo?: ShipTo | null;
  paymentMethodId?: string | null;
  paymentMethod?: string | null;
  paymentMethodName?: string | null;
  paymentKind?: PaymentKind | null;
  campaignId?: string | null;
  campaigns?: { id?: string; code: string; name: string }[];
  campaignCode?: string | null;
  campaignName?: string | null;
  adMediumId?: string | null;
  adMediumName?: string | null;
  staffId?: string | null;
  staffName?: string | null;
  note?: string | null;
  lines: OrderLine[];
  taxes: TaxLine[];
  subtotal: number;
  shippingFee: number;
  paymentFee?: number;
  codFee?: number;
  discount: number;
  taxTotal?: number;
  total: number;
  paidAmount?: number;
  trackingNumber?: string | null;
  trackingUrl?: string | null;
  cancelReasonId?: string | null;
  events?: OrderEvent[];
  version?: number;
  createdAt?: string;
  updatedAt?: string;
}

/** What the order form sends (POST /orders, POST /orders/quote, PATCH /orders/{id}); absent = none. */
export interface OrderInput {
  customerId: string;
  lines: { productId: string; quantity: number }[];
  kind?: OrderKind;
  channel?: OrderChannel;
  sortCode?: string;
  carrier?: Carrier;
  originId?: string;
  addressId?: string;
  adMediumId?: string;
  desiredDeliveryDate?: string;
  deliveryTimeSlot?: string;
  /** A payment method's code (CONTRACTS.md); the form sends paymentMethodId. */
  paymentMethod?: string;
  paymentMethodId?: string;
  campaignCode?: string;
  note?: string;
  staffId?: string;
}

/** POST /orders/quote: the order as it would be registered (nothing written). */
export interface Quote {
  lines: OrderLine[];
  taxes: TaxLine[];
  subtotal: number;
  shippingFee: number;
  paymentFee?: number;
  codFee?: number;
  discount: number;
  taxTotal?: number;
  total: number;
  orderDate?: string;
  shipDate?: string | null;
  deliveryDate?: string | null;
  earliestDeliveryDate?: string | null;
  campaignCode?: string | null;
  campaignName?: string | null;
  campaigns?: { id?: string; code: string; name: string }[];
  warnings?: { path?: string; code: string; message: string }[];
}

/** GET /orders/{id}/reorder: a new order's fields taken from an old one. */
export type ReorderDraft = {
  [K in Exclude<keyof OrderInput, 'lines'>]?: OrderInput[K] | null;
} & {
  lines: { productId: string; quantity: number }[];
  /** Products of the old order no longer on sale (left out of lines). */
  unavailable?: { productId: string; productName: string }[];
};

export interface OrderFilters {
  [key: string]: string | number | null | undefined;
  customerId?: string;
  status?: OrderStatus;
  carrier?: Carrier;
  staffId?: string;
  from?: string;
  to?: string;
  shipDate?: string;
  number?: string;
  q?: string;
}

export const ordersKey = ['orders'] as const;
const enc = encodeURIComponent;

/** The COD fee, whatever the server calls it. */
export const feeOf = (o: Pick<Order, 'paymentFee' | 'codFee'>) => o.paymentFee ?? o.codFee ?? 0;
export const timeSlotOf = (o: Pick<Order, 'deliveryTimeSlot' | 'timeSlot'>) => o.deliveryTimeSlot ?? o.timeSlot ?? null;

export function ordersPaged(filters: OrderFilters, limit = 50) {
  return infiniteQueryOptions({
    queryKey: [...ordersKey, 'list', filters],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Order>>('/orders', { ...filters, limit, cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last: Page<Order>) => last.nextCursor ?? undefined,
  });
}

export function orderQuery(id: string) {
  return queryOptions({
    queryKey: [...ordersKey, 'one', id],
    queryFn: ({ signal }) => api.get<Order>(`/orders/${enc(id)}`, undefined, signal),
  });
}

export function orderEventsQuery(id: string) {
  return queryOptions({
    queryKey: [...ordersKey, 'events', id],
    queryFn: ({ signal }) => api.get<{ items: OrderEvent[] }>(`/orders/${enc(id)}/events`, undefined, signal),
  });
}

/** An order's lines and choices as a new order's draft (再注文). */
export const fetchReorder = (id: string) => api.get<ReorderDraft>(`/orders/${enc(id)}/reorder`);

export const quoteOrder = (body: OrderInput, signal?: AbortSignal) =>
  request<Quote>('POST', '/orders/quote', { body, signal });

/** One key per order being entered: a retried click or a lost answer never makes two orders. */
export const createOrder = (body: OrderInput, idempotencyKey: string) =>
  request<Order>('POST', '/orders', { body, headers: { 'Idempotency-Key': idempotencyKey } });

export const etagOfOrder = (o: Pick<Order, 'version'>) => (o.version === undefined ? undefined : `"${o.version}"`);

export const updateOrder = (id: string, body: Partial<OrderInput>, etag: string | undefined) =>
  request<Order>('PATCH', `/orders/${enc(id)}`, { body, headers: etag ? { 'If-Match': etag } : undefined });

export const cancelOrder = (id: string, body: { reasonId?: string; note?: string }, etag?: string) =>
  request<Order>('POST', `/orders/${enc(id)}/cancel`, { body, headers: etag ? { 'If-Match': etag } : undefined });

// ---- The masters the form reads (src/server/modules/catalogue) ----

const list = <T>(path: string, query: Record<string, string | number | undefined>, signal?: AbortSignal) =>
  api.get<Page<T>>(path, { limit: 500, ...query }, signal);

/** GET /products?q=: code prefix or name/kana substring, on sale today. */
export function productSearchQuery(q: string) {
  return queryOptions({
    queryKey: ['master', 'products', 'search', q],
    queryFn: ({ signal }) => list<Product>('/products', { q, onSale: 'true', limit: 20 }, signal),
    enabled: q.trim() !== '',
    staleTime: 60_000,
  });
}

/** The product whose code is exactly this (case-insensitive, full-width typed codes too). */
export async function findProductByCode(code: string): Promise<Product | null> {
  const wanted = code.normalize('NFKC').trim().toUpperCase();
  if (!wanted) return null;
  const page = await list<Product>('/products', { q: wanted, onSale: 'true', limit: 20 });
  return page.items.find((p) => p.code.toUpperCase() === wanted) ?? null;
}

const master = <T>(name: string, path: string, query: Record<string, string | undefined> = {}) =>
  queryOptions({
    queryKey: ['master', name, 'desk', query],
    queryFn: ({ signal }) => list<T>(path, { active: 'true', ...query }, signal).then((p) => p.items),
    staleTime: 5 * 60_000,
  });

export const deskPaymentMethodsQuery = master<PaymentMethod>('payment-methods', '/payment-methods');
export const deskOriginsQuery = master<ShippingOrigin>('shipping-origins', '/shipping-origins');
export const deskAdMediaQuery = master<AdMedium>('ad-media', '/ad-media');
export const deskCampaignsQuery = (on: string) => master<Campaign>('campaigns', '/campaigns', { on });
export const cancelReasonsQuery = master<Reason>('reasons', '/reasons', { kind: 'cancel' });

export function deskTimeSlotsQuery(carrier: Carrier) {
  return queryOptions({
    queryKey: ['master', 'time-slots', 'desk', carrier],
    queryFn: ({ signal }) =>
      api
        .get<{ items: TimeSlot[] }>('/delivery-time-slots', { carrier }, signal)
        .then((a) => a.items.filter((s) => s.active)),
    staleTime: 5 * 60_000,
  });
}
