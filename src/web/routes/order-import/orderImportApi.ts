import { queryOptions } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Mapping } from './mapping';

export { guessMapping, type Mapping, REQUIRED, TARGETS, type Target } from './mapping';

export interface Preset {
  id: string;
  name: string;
  mapping: Mapping;
  version: number;
}

/** One order of the file as the import (or its dry run) saw it. */
export interface ImportedOrder {
  externalNumber: string;
  row: number;
  lines: number;
  customerId: string | null;
  customerCode: string | null;
  customerName: string;
  customerMatch: 'phone' | 'email' | 'new' | null;
  total: number | null;
  orderId: string | null;
  orderNumber: number | null;
  ok: boolean;
}

export const presetsKey = ['order-import', 'presets'] as const;

export const presetsQuery = queryOptions({
  queryKey: presetsKey,
  queryFn: async () => (await api.get<{ items: Preset[] }>('/order-import/presets', { limit: 500 })).items,
});

export function savePreset(existing: Preset | undefined, name: string, mapping: Mapping): Promise<Preset> {
  if (existing)
    return api.patch<Preset>(
      `/order-import/presets/${existing.id}`,
      { mapping },
      { 'If-Match': `"${existing.version}"` },
    );
  return api.post<Preset>('/order-import/presets', { name, mapping });
}

export const deletePreset = (id: string) => api.del<void>(`/order-import/presets/${id}`);
