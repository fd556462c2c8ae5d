import { queryOptions } from '@tanstack/react-query';
import { api } from './client';
import type { Page } from './types';

export interface AppNotification {
  id: string;
  kind: string;
  /** The text in the request's language. */
  message: string;
  objectType: string | null;
  objectId: string | null;
  /** A path of the web app (/cases/…), or null. */
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

export const notificationsKey = ['notifications'] as const;

export const unreadCountQuery = queryOptions({
  queryKey: [...notificationsKey, 'unread-count'],
  queryFn: ({ signal }) => api.get<{ count: number }>('/notifications/unread-count', undefined, signal),
  refetchInterval: 30_000,
  staleTime: 0,
});

export const recentNotificationsQuery = queryOptions({
  queryKey: [...notificationsKey, 'recent'],
  queryFn: ({ signal }) => api.get<Page<AppNotification>>('/notifications', { limit: 30 }, signal),
  staleTime: 0,
});

export const markRead = (id: string) => api.post<AppNotification>(`/notifications/${encodeURIComponent(id)}/read`);
export const markAllRead = () => api.post<{ updated: number }>('/notifications/read-all');
