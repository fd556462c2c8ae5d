import { infiniteQueryOptions, type QueryKey } from '@tanstack/react-query';
import { api } from './client';
import type { Page } from './types';

export type Filters = Record<string, string | number | null | undefined>;

/** Keyset pagination: { items, nextCursor } pages fetched one after another ("more"). */
export function pagedQuery<P extends Page<unknown>>(key: QueryKey, path: string, filters: Filters = {}, limit = 50) {
  return infiniteQueryOptions({
    queryKey: [...key, filters],
    queryFn: ({ pageParam, signal }) => api.get<P>(path, { ...filters, limit, cursor: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last: P) => last.nextCursor ?? undefined,
  });
}

export function allItems<T>(pages: readonly Page<T>[] | undefined): T[] {
  return pages ? pages.flatMap((page) => page.items) : [];
}
