import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import type { Role, User } from '../../api/types';

export const usersKey = ['users'] as const;

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  password: string;
  locale: 'ja' | 'en';
}

export function createUser(body: NewUser): Promise<User> {
  return api.post<User>('/users', body);
}

/** PATCH, reset-password and unlock; every one refreshes the list afterwards. */
export function useUserMutations() {
  const queryClient = useQueryClient();
  const onSuccess = () => queryClient.invalidateQueries({ queryKey: usersKey });
  const update = useMutation({
    mutationFn: ({ id, ...body }: { id: string; role?: Role; active?: boolean; name?: string }) =>
      api.patch<User>(`/users/${encodeURIComponent(id)}`, body),
    onSuccess,
  });
  const resetPassword = useMutation({
    mutationFn: ({ id, password }: { id: string; password: string }) =>
      api.post<void>(`/users/${encodeURIComponent(id)}/reset-password`, { password }),
    onSuccess,
  });
  const unlock = useMutation({
    mutationFn: (id: string) => api.post<void>(`/users/${encodeURIComponent(id)}/unlock`),
    onSuccess,
  });
  return { update, resetPassword, unlock };
}
