import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { Page, Role } from './types';

export const CASE_STATUSES = ['open', 'in_progress', 'waiting', 'resolved', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const OPEN_CASE_STATUSES = ['open', 'in_progress', 'waiting'] as const;
export const CASE_STATUS_COLORS: Record<CaseStatus, string> = {
  open: 'orange',
  in_progress: 'blue',
  waiting: 'yellow',
  resolved: 'teal',
  closed: 'gray',
};

export interface Ref {
  id: string;
  name: string;
}

/** 案件: an escalated interaction with its assignee or group and due time. */
export interface Case {
  id: string;
  number: number;
  interactionId: string;
  customer: { id: string; code: string | null; name: string | null } | null;
  title: string;
  note: string;
  status: CaseStatus;
  assignee: Ref | null;
  group: Ref | null;
  supervisor: Ref | null;
  dueAt: string;
  overdue: boolean;
  resolvedAt: string | null;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface BoardItem extends Case {
  ageSeconds: number;
  overdueSeconds: number;
}

export interface Board {
  now: string;
  total: number;
  overdue: number;
  columns: { status: (typeof OPEN_CASE_STATUSES)[number]; count: number; overdue: number; items: BoardItem[] }[];
}

export interface CaseEvent {
  id: number;
  at: string;
  actor: { type: 'user' | 'token' | 'system'; id: string | null; label: string; name: string | null };
  kind: 'created' | 'status' | 'assignee' | 'group' | 'supervisor' | 'due' | 'title' | 'note' | 'comment' | 'alarm';
  from: string | null;
  to: string | null;
  fromName: string | null;
  toName: string | null;
}

export interface EscalationGroup {
  id: string;
  name: string;
  description: string | null;
  active: boolean;
  members: { id: string; name: string; role: Role; active: boolean }[];
}

export interface EscalateBody {
  assigneeId?: string | null;
  groupId?: string | null;
  supervisorId?: string | null;
  dueAt: string;
  title?: string;
  note: string;
}

export interface CasePatch {
  status?: CaseStatus;
  assigneeId?: string | null;
  groupId?: string | null;
  dueAt?: string;
  comment?: string;
}

export const casesKey = ['cases'] as const;
const enc = encodeURIComponent;

export function boardQuery(filters: { assigneeId?: string; groupId?: string }) {
  return queryOptions({
    queryKey: [...casesKey, 'board', filters],
    queryFn: ({ signal }) => api.get<Board>('/cases/board', filters, signal),
    refetchInterval: 30_000,
    staleTime: 0,
  });
}

export function caseQuery(id: string) {
  return queryOptions({
    queryKey: [...casesKey, 'one', id],
    queryFn: ({ signal }) => api.get<Case>(`/cases/${enc(id)}`, undefined, signal),
  });
}

export function caseHistoryQuery(id: string) {
  return queryOptions({
    queryKey: [...casesKey, 'history', id],
    queryFn: ({ signal }) => api.get<Page<CaseEvent>>(`/cases/${enc(id)}/history`, { limit: 500 }, signal),
  });
}

export const groupsQuery = queryOptions({
  queryKey: ['escalation-groups', 'active'],
  queryFn: ({ signal }) => api.get<Page<EscalationGroup>>('/escalation-groups', { active: 'true', limit: 500 }, signal),
  staleTime: 5 * 60_000,
});

export const escalate = (interactionId: string, body: EscalateBody) =>
  api.post<Case>(`/interactions/${enc(interactionId)}/escalate`, body);
export const updateCase = (id: string, body: CasePatch, version?: number) =>
  api.patch<Case>(`/cases/${enc(id)}`, body, version === undefined ? undefined : { 'If-Match': `"${version}"` });

export interface StaffMember {
  id: string;
  name: string;
}

/** People a case or an interaction can be given to: the tenant's active staff (GET /staff). */
export function useStaffDirectory(): { staff: StaffMember[]; loading: boolean } {
  const query = useQuery({
    queryKey: ['staff', 'directory'],
    queryFn: ({ signal }) => api.get<{ items: StaffMember[] }>('/staff', {}, signal),
    staleTime: 5 * 60_000,
  });
  const staff = [...(query.data?.items ?? [])].sort((a, b) => a.name.localeCompare(b.name, 'ja'));
  return { staff, loading: query.isLoading };
}
