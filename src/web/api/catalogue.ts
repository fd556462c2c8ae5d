import { queryOptions } from '@tanstack/react-query';
import { api } from './client';

/** The order desk's masters as GET answers them (src/server/modules/catalogue/catalogue.schema.ts). */
export const CARRIERS = ['yamato', 'sagawa', 'japanpost'] as const;
export type Carrier = (typeof CARRIERS)[number];
export const PRODUCT_KINDS = ['normal', 'subscription', 'present', 'set'] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];
export const PAYMENT_KINDS = ['cod', 'bank_transfer', 'card', 'deferred', 'convenience', 'other'] as const;
export type PaymentKind = (typeof PAYMENT_KINDS)[number];
export const REASON_KINDS = ['cancel', 'return', 'subscription_cancel'] as const;
export type ReasonKind = (typeof REASON_KINDS)[number];

interface Stamps {
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface AdMedium extends Stamps {
  id: string;
  code: string;
  name: string;
  medium: string;
  monthlyCost: number;
  active: boolean;
  costs: { month: string; cost: number }[];
}

export interface ProductCategory extends Stamps {
  id: string;
  code: string;
  name: string;
  sortOrder: number;
  active: boolean;
}

export interface ProductLink {
  productId: string;
  code: string;
  name: string;
  quantity: number;
}

export interface Product extends Stamps {
  id: string;
  code: string;
  name: string;
  nameKana: string | null;
  categoryId: string | null;
  kind: ProductKind;
  taxRate: number;
  unitPrice: number;
  firstPrice: number | null;
  unitCost: number;
  salesFrom: string | null;
  salesUntil: string | null;
  stock: number | null;
  active: boolean;
  note: string | null;
  components: ProductLink[];
  companions: ProductLink[];
}

export interface ShippingOrigin extends Stamps {
  id: string;
  code: string;
  name: string;
  shipperName: string;
  shipperKana: string | null;
  postalCode: string;
  prefecture: string;
  city: string;
  address1: string;
  address2: string | null;
  phone: string;
  defaultCarrier: Carrier;
  isDefault: boolean;
  active: boolean;
}

export interface CarrierAccount {
  carrier: Carrier;
  account: Record<string, string>;
  trackingUrl: string | null;
  updatedAt: string | null;
}

export interface ShippingFee {
  id: string;
  carrier: Carrier | null;
  prefecture: string | null;
  fee: number;
  freeThreshold: number | null;
}

export interface LeadDays {
  id: string;
  carrier: Carrier;
  originId: string | null;
  prefecture: string;
  days: number;
}

export interface TimeSlot {
  carrier: Carrier;
  code: string;
  label: string;
  sortOrder: number;
  active: boolean;
}

export interface PaymentMethod extends Stamps {
  id: string;
  code: string;
  name: string;
  kind: PaymentKind;
  fee: number;
  dueDays: number | null;
  sortOrder: number;
  active: boolean;
  brackets: { upTo: number | null; fee: number }[];
}

export interface Campaign extends Stamps {
  id: string;
  code: string;
  name: string;
  startsOn: string;
  endsOn: string;
  automatic: boolean;
  adMediumId: string | null;
  rankId: string | null;
  firstOrderOnly: boolean;
  minAmount: number | null;
  freeShipping: boolean;
  discountAmount: number;
  active: boolean;
  note: string | null;
  prices: { productId: string; code: string; name: string; unitPrice: number }[];
  presents: {
    id: string;
    triggerProductId: string | null;
    presentProductId: string;
    presentCode: string;
    presentName: string;
    quantity: number;
  }[];
}

export interface Reason {
  id: string;
  kind: ReasonKind;
  code: string;
  name: string;
  sortOrder: number;
  active: boolean;
}

/** Where each master lives on the server. */
export const CATALOGUE_PATHS = {
  products: '/products',
  categories: '/product-categories',
  adMedia: '/ad-media',
  origins: '/shipping-origins',
  carrierAccounts: '/carrier-accounts',
  shippingFees: '/shipping-fees',
  leadDays: '/delivery-lead-days',
  timeSlots: '/delivery-time-slots',
  paymentMethods: '/payment-methods',
  campaigns: '/campaigns',
  reasons: '/reasons',
} as const;

const enc = encodeURIComponent;

export const carrierAccountsQuery = queryOptions({
  queryKey: ['master', 'carrier-accounts'],
  queryFn: ({ signal }) => api.get<{ items: CarrierAccount[] }>(CATALOGUE_PATHS.carrierAccounts, undefined, signal),
});
export const putCarrierAccount = (
  carrier: Carrier,
  body: { account: Record<string, string>; trackingUrl: string | null },
) => api.put<CarrierAccount>(`${CATALOGUE_PATHS.carrierAccounts}/${enc(carrier)}`, body);

export function timeSlotsQuery(carrier: Carrier) {
  return queryOptions({
    queryKey: ['master', 'time-slots', carrier],
    queryFn: ({ signal }) => api.get<{ items: TimeSlot[] }>(CATALOGUE_PATHS.timeSlots, { carrier }, signal),
  });
}
export const putTimeSlots = (
  carrier: Carrier,
  items: { code: string; label: string; sortOrder?: number; active: boolean }[],
) => api.put<{ items: TimeSlot[] }>(`${CATALOGUE_PATHS.timeSlots}/${enc(carrier)}`, { items });
