import { api } from './client';
import { downloadFile, uploadFile } from './upload';

/** The carriers' file layouts (CONTRACTS.md "Catalogue, orders, shipping"). */
export const SHIPPING_LAYOUTS = ['yamato-b2', 'sagawa', 'japanpost'] as const;
export type ShippingLayout = (typeof SHIPPING_LAYOUTS)[number];

/** A field the carrier would refuse (too long, missing, wrong characters), or an order left out. */
export interface ShipmentProblem {
  orderId?: string | null;
  orderNumber?: string | null;
  field?: string | null;
  code: string;
  message: string;
}

export interface ShipmentPreviewRow {
  orderId: string;
  orderNumber: string;
  customerName: string;
  prefecture: string | null;
  address: string | null;
  parcels?: number;
  timeSlot?: string | null;
  deliveryDate?: string | null;
  cod?: number | null;
  status: string;
}

export interface ShipmentPreview {
  items: ShipmentPreviewRow[];
  problems: ShipmentProblem[];
}

export interface ShippedOrder {
  id: string;
  number: string;
  customerId: string;
  customerName?: string;
  status: string;
  shipDate: string | null;
  carrier?: string | null;
  trackingNumber?: string | null;
  total: number;
  prefecture?: string | null;
  lines?: { productCode?: string; productName?: string; quantity: number }[];
}

export const previewShipments = (carrier: ShippingLayout, shipDate: string) =>
  api.get<ShipmentPreview>('/shipments/preview', { carrier, shipDate });

/** Downloads the day's file (Shift_JIS, CRLF) and marks its orders 出荷指示 on the server. */
export const exportShipments = (carrier: ShippingLayout, shipDate: string) =>
  downloadFile('GET', '/shipments/export', { carrier, shipDate });

export const importTracking = (carrier: ShippingLayout, file: Blob) =>
  uploadFile('/shipments/tracking-import', file, { carrier });

export const downloadInvoices = (ids: string[]) => downloadFile('POST', '/invoices/pdf', {}, { orderIds: ids });
