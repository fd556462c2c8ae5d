import { queryOptions } from '@tanstack/react-query';
import { api } from './client';
import type { Page } from './types';

export interface FaqArticle {
  id: string;
  title: string;
  body: string;
  category: { id: string; name: string } | null;
  keywords: string[];
  published: boolean;
  useCount: number;
  sourceCaseId: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
  /** Search and suggestion hits: how well it matched. */
  score?: number;
}

export interface FaqCategory {
  id: string;
  name: string;
  position: number;
  articleCount: number;
}

export interface FaqInput {
  title: string;
  body: string;
  categoryId: string | null;
  keywords: string[];
  published: boolean;
}

export interface ReportRow {
  periodStart: string;
  id: string | null;
  name: string;
  count: number;
}

export interface InquiryReport {
  period: 'week' | 'month';
  from: string;
  to: string;
  kinds: ReportRow[];
  categories: ReportRow[];
  totals: { kinds: Omit<ReportRow, 'periodStart'>[]; categories: Omit<ReportRow, 'periodStart'>[] };
}

export const faqKey = ['faq'] as const;
const enc = encodeURIComponent;

export const categoriesQuery = queryOptions({
  queryKey: [...faqKey, 'categories'],
  queryFn: ({ signal }) => api.get<Page<FaqCategory>>('/faq/categories', { limit: 500 }, signal),
  staleTime: 60_000,
});

/** Articles that answer what the operator is typing (published only). */
export function suggestQuery(text: string) {
  return queryOptions({
    queryKey: [...faqKey, 'suggest', text],
    queryFn: ({ signal }) => api.get<{ items: FaqArticle[] }>('/faq/suggest', { text, limit: 5 }, signal),
    enabled: text.length >= 2,
    staleTime: 30_000,
  });
}

export function reportQuery(q: { period: 'week' | 'month'; from?: string; to?: string }) {
  return queryOptions({
    queryKey: ['reports', 'inquiries', q],
    queryFn: ({ signal }) => api.get<InquiryReport>('/reports/inquiries', q, signal),
  });
}

export const createArticle = (body: FaqInput) => api.post<FaqArticle>('/faq', body);
export const updateArticle = (id: string, body: Partial<FaqInput>, version?: number) =>
  api.patch<FaqArticle>(`/faq/${enc(id)}`, body, version === undefined ? undefined : { 'If-Match': `"${version}"` });
export const deleteArticle = (id: string) => api.del<void>(`/faq/${enc(id)}`);
export const recordUse = (id: string, interactionId?: string) =>
  api.post<{ id: string; useCount: number }>(`/faq/${enc(id)}/used`, interactionId ? { interactionId } : {});
export const createCategory = (name: string) => api.post<FaqCategory>('/faq/categories', { name });
export const deleteCategory = (id: string) => api.del<void>(`/faq/categories/${enc(id)}`);
export const faqFromCase = (caseId: string) => api.post<FaqArticle>(`/cases/${enc(caseId)}/faq`, {});
