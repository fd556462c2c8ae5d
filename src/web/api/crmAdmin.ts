import { api } from './client';

/** The rank master (GET /ranks). */
export interface Rank {
  id: string;
  name: string;
  color: string | null;
  priority: number;
  minCount: number | null;
  minAmount: number | null;
  combine: 'all' | 'any';
  periodDays: number;
  recencyDays: number | null;
  active: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Template {
  id: string;
  kind: 'talk' | 'reply';
  name: string;
  subject: string | null;
  body: string;
  interactionKindId: string | null;
  active: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface EscalationGroup {
  id: string;
  name: string;
  description: string | null;
  active: boolean;
  members: { id: string; name: string; role: string; active: boolean }[];
  createdAt: string;
  updatedAt: string;
}

/** One customer of a likely-duplicate pair (GET /customers/duplicates). */
export interface DuplicateCustomer {
  id: string;
  code: string;
  name: string;
  nameKana: string | null;
  phones: string[];
  postalCode: string | null;
  prefecture: string | null;
  city: string | null;
  address1: string | null;
  createdAt: string;
}

export interface DuplicatePair {
  reason: 'phone' | 'name_address';
  key: string;
  customers: [DuplicateCustomer, DuplicateCustomer];
}

export interface MergeAnswer {
  keepId: string;
  mergeId: string;
  mergedAt: string;
  moved: Record<string, number>;
}

export const mergeCustomers = (keepId: string, mergeId: string) =>
  api.post<MergeAnswer>('/customers/merge', { keepId, mergeId });
