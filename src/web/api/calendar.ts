import { queryOptions } from '@tanstack/react-query';
import { api } from './client';
import type { Holiday } from './types';

export function holidaysQuery(from: string, to: string) {
  return queryOptions({
    queryKey: ['calendar', 'holidays', from, to],
    queryFn: ({ signal }) => api.get<{ items: Holiday[] }>('/calendar/holidays', { from, to }, signal),
    staleTime: 10 * 60_000,
  });
}
