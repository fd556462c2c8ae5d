import { queryOptions } from '@tanstack/react-query';
import { api } from './client';

export const PHONE_KINDS = ['home', 'mobile', 'work', 'fax', 'other'] as const;
export type PhoneKind = (typeof PHONE_KINDS)[number];
export const GENDERS = ['female', 'male', 'other', 'unknown'] as const;
export type Gender = (typeof GENDERS)[number];

export interface Phone {
  number: string;
  e164: string;
  national: string;
  kind: PhoneKind;
}

/** GET /customers/{id} (CONTRACTS.md "Customers"). The karte is never part of it. */
export interface Customer {
  id: string;
  code: string;
  name: string;
  nameKana: string | null;
  familyName: string | null;
  givenName: string | null;
  familyNameKana: string | null;
  givenNameKana: string | null;
  phones: Phone[];
  emails: string[];
  postalCode: string | null;
  prefecture: string | null;
  city: string | null;
  address1: string | null;
  address2: string | null;
  company: string | null;
  department: string | null;
  birthDate: string | null;
  gender: Gender | null;
  dmOptIn: boolean;
  mailOptIn: boolean;
  staffId: string | null;
  adMedium: string | null;
  tags: string[];
  note: string | null;
  alert: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** POST /customers and PATCH /customers/{id}: null clears an optional field on PATCH. */
export interface CustomerInput {
  name: string;
  nameKana?: string | null;
  phones?: { number: string; kind?: PhoneKind }[];
  emails?: string[];
  postalCode?: string | null;
  prefecture?: string | null;
  city?: string | null;
  address1?: string | null;
  address2?: string | null;
  company?: string | null;
  department?: string | null;
  birthDate?: string | null;
  gender?: Gender | null;
  dmOptIn?: boolean;
  mailOptIn?: boolean;
  staffId?: string | null;
  adMedium?: string | null;
  tags?: string[];
  note?: string | null;
  alert?: string | null;
}

export interface DeliveryAddress {
  id: string;
  customerId: string;
  label: string | null;
  name: string;
  nameKana: string | null;
  postalCode: string | null;
  prefecture: string | null;
  city: string | null;
  address1: string | null;
  address2: string | null;
  company: string | null;
  department: string | null;
  phone: string | null;
  note: string | null;
  createdAt: string;
  updatedAt: string;
}
export type DeliveryAddressInput = Omit<DeliveryAddress, 'id' | 'customerId' | 'createdAt' | 'updatedAt'>;

export interface PostalTown {
  postalCode: string;
  prefecture: string;
  city: string;
  town: string;
  street: string;
  office: string;
}

export interface RankRef {
  id: string;
  name: string;
  color: string | null;
}

export interface CustomerRank {
  customerId: string;
  rank: RankRef | null;
  source: 'rule' | 'manual';
  reason: string | null;
  pending: boolean;
  stats: { purchaseCount: number; purchaseAmount: number; lastPurchaseAt: string | null };
}

export interface Karte {
  customerId: string;
  conditions: string | null;
  allergies: string | null;
  medication: string | null;
  notes: string | null;
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
}
export type KarteInput = Pick<Karte, 'conditions' | 'allergies' | 'medication' | 'notes'>;

export const customersKey = ['customers'] as const;
const enc = encodeURIComponent;

export function customerQuery(id: string) {
  return queryOptions({
    queryKey: [...customersKey, 'one', id],
    queryFn: ({ signal }) => api.get<Customer>(`/customers/${enc(id)}`, undefined, signal),
  });
}

export function customerRankQuery(id: string) {
  return queryOptions({
    queryKey: [...customersKey, 'rank', id],
    queryFn: ({ signal }) => api.get<CustomerRank>(`/customers/${enc(id)}/rank`, undefined, signal),
    staleTime: 60_000,
  });
}

export function addressesQuery(id: string) {
  return queryOptions({
    queryKey: [...customersKey, 'addresses', id],
    queryFn: ({ signal }) =>
      api.get<{ items: DeliveryAddress[] }>(`/customers/${enc(id)}/addresses`, undefined, signal),
  });
}

/** Whether the signed-in user may see kartes (the karte tab is shown only then). */
export const karteAccessQuery = queryOptions({
  queryKey: ['karte', 'access'],
  queryFn: ({ signal }) => api.get<{ granted: boolean }>('/karte/access', undefined, signal),
  staleTime: 5 * 60_000,
});

/** Every read is audited on the server: fetched only when the karte tab is opened. */
export function karteQuery(id: string) {
  return queryOptions({
    queryKey: ['karte', id],
    queryFn: ({ signal }) => api.get<Karte>(`/customers/${enc(id)}/karte`, undefined, signal),
    staleTime: 0,
    gcTime: 0,
  });
}

export const createCustomer = (body: CustomerInput) => api.post<Customer>('/customers', body);
export const updateCustomer = (id: string, body: Partial<CustomerInput>, version?: number) =>
  api.patch<Customer>(
    `/customers/${enc(id)}`,
    body,
    version === undefined ? undefined : { 'If-Match': `"${version}"` },
  );
export const putKarte = (id: string, body: KarteInput, ifMatch?: string) =>
  api.put<Karte>(`/customers/${enc(id)}/karte`, body, ifMatch ? { 'If-Match': ifMatch } : undefined);
export const createAddress = (id: string, body: DeliveryAddressInput) =>
  api.post<DeliveryAddress>(`/customers/${enc(id)}/addresses`, body);
export const updateAddress = (id: string, addressId: string, body: DeliveryAddressInput) =>
  api.patch<DeliveryAddress>(`/customers/${enc(id)}/addresses/${enc(addressId)}`, body);
export const deleteAddress = (id: string, addressId: string) =>
  api.del<void>(`/customers/${enc(id)}/addresses/${enc(addressId)}`);

/** Japan Post's towns of a postal code; [] when unknown (or the data set is still loading). */
export async function lookupPostal(code: string): Promise<PostalTown[]> {
  const answer = await api.get<{ items: PostalTown[] }>(`/postal/${enc(code)}`);
  return answer.items;
}
