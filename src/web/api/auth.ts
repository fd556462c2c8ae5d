import { queryOptions, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import { applyLocale, isLocale, type Locale } from '../i18n';
import { api, isApiError, setCsrfToken } from './client';
import type { Me, MeAnswer } from './types';

export const meQueryKey = ['auth', 'me'] as const;

/** The signed-in user, or null when there is no session. */
export const meQuery = queryOptions({
  queryKey: meQueryKey,
  queryFn: async (): Promise<Me | null> => {
    try {
      const answer = await api.get<MeAnswer>('/auth/me');
      setCsrfToken(answer.csrfToken);
      if (isLocale(answer.user.locale)) applyLocale(answer.user.locale);
      return answer.user;
    } catch (error) {
      if (isApiError(error) && error.status === 401) {
        setCsrfToken(null);
        return null;
      }
      throw error;
    }
  },
  staleTime: 5 * 60_000,
  retry: false,
});

/** Provided by the app shell, which renders only for a signed-in user. */
export const MeContext = createContext<Me | null>(null);

/** The signed-in user inside the app shell (stays stable while signing out). */
export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe() used outside the app shell');
  return me;
}

export interface LoginBody {
  email: string;
  password: string;
  totp?: string;
  recoveryCode?: string;
}

export async function login(body: LoginBody): Promise<MeAnswer> {
  const answer = await api.post<MeAnswer>('/auth/login', body);
  setCsrfToken(answer.csrfToken);
  return answer;
}

export async function logout(): Promise<void> {
  try {
    await api.post<void>('/auth/logout');
  } finally {
    setCsrfToken(null);
  }
}

/** Changes the UI language now and stores it for the signed-in user. */
export function useSetLocale(): (locale: Locale) => Promise<void> {
  const queryClient = useQueryClient();
  return async (locale: Locale) => {
    applyLocale(locale);
    const me = queryClient.getQueryData(meQueryKey);
    if (!me) return;
    const answer = await api.patch<{ user: Partial<Me> }>('/auth/me', { locale });
    queryClient.setQueryData(meQueryKey, { ...me, ...answer.user, locale });
  };
}
