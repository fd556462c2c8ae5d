import { queryOptions } from '@tanstack/react-query';
import { api } from './client';
import type { Page } from './types';

export const CHANNELS = ['inbound_call', 'outbound_call', 'mail', 'web_form', 'letter', 'other'] as const;
export type Channel = (typeof CHANNELS)[number];
export const STATUSES = ['in_progress', 'on_hold', 'escalated', 'done'] as const;
export type InteractionStatus = (typeof STATUSES)[number];
/** What a person may set: `escalated` comes from opening a case (F4). */
export const SETTABLE_STATUSES = ['in_progress', 'on_hold', 'done'] as const;
export type SettableStatus = (typeof SETTABLE_STATUSES)[number];
export const ACTION_KINDS = ['call', 'dm', 'catalogue', 'mail_magazine', 'sample', 'other'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];
export const STATUS_COLORS: Record<InteractionStatus, string> = {
  in_progress: 'blue',
  on_hold: 'yellow',
  escalated: 'red',
  done: 'gray',
};

export interface InteractionKind {
  id: string;
  code: string | null;
  name: string;
  position: number;
  active: boolean;
}

/** 対応履歴: one contact with a customer. */
export interface Interaction {
  id: string;
  customerId: string;
  customerCode: string;
  customerName: string;
  kindId: string;
  kindName: string;
  channel: Channel;
  callId: string | null;
  subject: string | null;
  body: string;
  status: InteractionStatus;
  staffId: string | null;
  staffName: string | null;
  assigneeId: string | null;
  assigneeName: string | null;
  dueAt: string | null;
  at: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface NewInteraction {
  customerId: string;
  kindId: string;
  channel: Channel;
  callId?: string | null;
  subject?: string | null;
  body: string;
  status: SettableStatus;
  assigneeId?: string | null;
  dueAt?: string | null;
}

/** AC履歴: something done towards a customer (call, DM, catalogue …). */
export interface CustomerAction {
  id: string;
  customerId: string;
  kind: ActionKind;
  at: string;
  note: string | null;
  refType: string | null;
  refId: string | null;
  staffId: string | null;
  staffName: string | null;
  createdAt: string;
}

export interface Template {
  id: string;
  kind: 'talk' | 'reply';
  name: string;
  subject: string | null;
  body: string;
  interactionKindId: string | null;
  active: boolean;
}

export interface RenderedTemplate {
  subject: string | null;
  text: string;
  unknown: string[];
  empty: string[];
}

export interface StaffCount {
  staffId: string | null;
  staffName: string | null;
  count: number;
  open: number;
}

export interface NeglectedCustomer {
  customerId: string;
  code: string;
  name: string;
  nameKana: string | null;
  phone: string | null;
  prefecture: string | null;
  city: string | null;
  staffId: string | null;
  staffName: string | null;
  registeredAt: string;
  lastContactAt: string | null;
  lastContactType: 'interaction' | 'action' | 'purchase' | null;
  lastContactLabel: string | null;
  days: number;
}

export const interactionsKey = ['interactions'] as const;
const enc = encodeURIComponent;

export const kindsQuery = queryOptions({
  queryKey: ['interaction-kinds'],
  queryFn: ({ signal }) => api.get<{ items: InteractionKind[] }>('/interaction-kinds', undefined, signal),
  staleTime: 5 * 60_000,
});

export const templatesQuery = queryOptions({
  queryKey: ['templates', 'active'],
  queryFn: ({ signal }) => api.get<Page<Template>>('/templates', { active: 'true', limit: 500 }, signal),
  staleTime: 5 * 60_000,
});

export const interactionSettingsQuery = queryOptions({
  queryKey: ['interactions', 'settings'],
  queryFn: ({ signal }) => api.get<{ neglectDays: number }>('/interactions/settings', undefined, signal),
  staleTime: 5 * 60_000,
});

/** PUT /interactions/settings (admin): the default N of 長期未対応顧客. */
export const saveInteractionSettings = (body: { neglectDays: number }) =>
  api.put<{ neglectDays: number }>('/interactions/settings', body);

export function todaySummaryQuery(date: string) {
  return queryOptions({
    queryKey: [...interactionsKey, 'today-summary', date],
    queryFn: ({ signal }) =>
      api.get<{ date: string; items: StaffCount[] }>('/interactions/today/summary', { date }, signal),
  });
}

export const createInteraction = (body: NewInteraction) => api.post<Interaction>('/interactions', body);
export const updateInteraction = (id: string, body: Partial<Omit<NewInteraction, 'customerId'>>) =>
  api.patch<Interaction>(`/interactions/${enc(id)}`, body);
export const renderTemplate = (id: string, customerId: string) =>
  api.post<RenderedTemplate>(`/templates/${enc(id)}/render`, { customerId });
