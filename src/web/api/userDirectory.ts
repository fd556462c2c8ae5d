import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { Page, User } from './types';

/** Up to 500 users of the tenant (admin only), to show names for ids and to pick a user. */
export function useUserDirectory() {
  const query = useQuery({
    queryKey: ['users', 'directory'],
    queryFn: ({ signal }) => api.get<Page<User>>('/users', { limit: 500 }, signal),
    staleTime: 5 * 60_000,
  });
  const users = query.data?.items ?? [];
  const byId = new Map(users.map((user) => [user.id, user]));
  return {
    users,
    nameOf: (id: string | null): string => (id ? (byId.get(id)?.name ?? id) : ''),
  };
}
