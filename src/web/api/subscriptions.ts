import { infiniteQueryOptions, type QueryClient, queryOptions } from '@tanstack/react-query';
import type { z } from 'zod';
// Types only (erased from the bundle): the shapes are the server's zod schemas themselves.
import type {
  CreateSubscription,
  CycleInput,
  Subscription,
  subscriptionEventSchema,
  UpdateSubscription,
} from '../../server/modules/subscriptions/subscriptions.schema';
import type { Reason } from './catalogue';
import { api, request } from './client';
import { customersKey } from './customers';
import { interactionsKey } from './interactions';
import { type Order, ordersKey, ordersPaged } from './orders';
import type { Page } from './types';

/** 定期 (docs/subscriptions.md; src/server/modules/subscriptions). */
export type { CreateSubscription, CycleInput, Subscription, UpdateSubscription };
export type SubscriptionStatus = Subscription['status'];
export type SubscriptionEvent = z.infer<typeof subscriptionEventSchema>;

/** GET /subscriptions/{id}/schedule: the next deliveries, the next one first. */
export interface SubscriptionSchedule {
  dates: string[];
  deliveries: { date: string; seq: number; moved: boolean; regularDate: string }[];
  status: string;
  pausedUntil: string | null;
}

/** What a 定期変更 event's before/after holds (the server's summary()). */
export interface SubscriptionSummary {
  status?: SubscriptionStatus;
  cycle?: string;
  nextDeliveryDate?: string | null;
  pausedUntil?: string | null;
  lines?: { productCode: string; quantity: number }[];
  timeSlot?: string | null;
  addressId?: string | null;
  paymentMethodId?: string | null;
  carrier?: string;
  /** Generated deliveries record these instead. */
  orderNumber?: number;
  seq?: number;
}

export const subscriptionsKey = ['subscriptions'] as const;
const enc = encodeURIComponent;

export function customerSubscriptionsQuery(customerId: string, limit = 50) {
  return infiniteQueryOptions({
    queryKey: [...subscriptionsKey, 'list', { customerId }],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Subscription>>('/subscriptions', { customerId, limit, cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last: Page<Subscription>) => last.nextCursor ?? undefined,
  });
}

export function subscriptionQuery(id: string) {
  return queryOptions({
    queryKey: [...subscriptionsKey, 'one', id],
    queryFn: ({ signal }) => api.get<Subscription>(`/subscriptions/${enc(id)}`, undefined, signal),
  });
}

export function subscriptionScheduleQuery(id: string, count = 12) {
  return queryOptions({
    queryKey: [...subscriptionsKey, 'schedule', id, count],
    queryFn: ({ signal }) => api.get<SubscriptionSchedule>(`/subscriptions/${enc(id)}/schedule`, { count }, signal),
  });
}

export function subscriptionHistoryQuery(id: string) {
  return queryOptions({
    queryKey: [...subscriptionsKey, 'history', id],
    queryFn: ({ signal }) =>
      api.get<{ items: SubscriptionEvent[] }>(`/subscriptions/${enc(id)}/history`, undefined, signal),
  });
}

/** The orders a subscription made (GET /orders?subscriptionId=), newest first. */
export const subscriptionOrdersQuery = (id: string, limit = 30) => ordersPaged({ subscriptionId: id }, limit);
/** An order as GET /orders answers it, with the delivery of the subscription it is. */
export type SubscriptionOrder = Order & { subscriptionId?: string | null; subscriptionDeliveryDate?: string | null };

/** The reasons master's subscription_cancel kind (解約理由). */
export const subscriptionCancelReasonsQuery = queryOptions({
  queryKey: ['master', 'reasons', 'desk', { kind: 'subscription_cancel' }],
  queryFn: ({ signal }) =>
    api
      .get<Page<Reason>>('/reasons', { kind: 'subscription_cancel', active: 'true', limit: 500 }, signal)
      .then((p) => p.items),
  staleTime: 5 * 60_000,
});

export const etagOfSubscription = (s: Pick<Subscription, 'version'>) => `"${s.version}"`;
const ifMatch = (s: Pick<Subscription, 'version'>) => ({ 'If-Match': etagOfSubscription(s) });

export const createSubscription = (body: CreateSubscription) => api.post<Subscription>('/subscriptions', body);

/** PATCH with If-Match (the version read): someone else's change in between → 412. */
export const updateSubscription = (s: Pick<Subscription, 'id' | 'version'>, body: UpdateSubscription) =>
  api.patch<Subscription>(`/subscriptions/${enc(s.id)}`, body, ifMatch(s));

const verb = (s: Pick<Subscription, 'id' | 'version'>, path: string, body: unknown = {}) =>
  request<Subscription>('POST', `/subscriptions/${enc(s.id)}/${path}`, { body, headers: ifMatch(s) });

export const skipSubscription = (s: Pick<Subscription, 'id' | 'version'>) => verb(s, 'skip');
export const moveSubscription = (s: Pick<Subscription, 'id' | 'version'>, date: string) => verb(s, 'move', { date });
export const pauseSubscription = (s: Pick<Subscription, 'id' | 'version'>, until?: string) =>
  verb(s, 'pause', until ? { until } : {});
export const resumeSubscription = (s: Pick<Subscription, 'id' | 'version'>) => verb(s, 'resume');
/** Under 回数縛り → 409 commitment_not_met until acknowledgeCommitment (isCommitmentNotMet). */
export const cancelSubscription = (
  s: Pick<Subscription, 'id' | 'version'>,
  body: { reasonId?: string; acknowledgeCommitment?: boolean; note?: string },
) => verb(s, 'cancel', body);

export const isCommitmentNotMet = (error: unknown) =>
  typeof error === 'object' &&
  error !== null &&
  (error as { status?: number }).status === 409 &&
  (error as { code?: string }).code === 'commitment_not_met';

/**
 * After any change: the lists, the one, its schedule and history, the orders it made, and the
 * customer's 対応履歴 (each change writes a 定期変更 entry) read again at once.
 */
export function invalidateAfterSubscriptionChange(queryClient: QueryClient, customerId: string): Promise<unknown> {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: subscriptionsKey }),
    queryClient.invalidateQueries({ queryKey: ordersKey }),
    queryClient.invalidateQueries({ queryKey: interactionsKey }),
    queryClient.invalidateQueries({ queryKey: ['actions', customerId] }),
    queryClient.invalidateQueries({ queryKey: [...customersKey, 'one', customerId] }),
  ]);
}
