import type { Locale } from '../i18n';

export const ROLES = [
  'admin',
  'supervisor',
  'operator',
  'appointer',
  'closer',
  'corporate_closer',
  'technician',
  'client_viewer',
] as const;
export type Role = (typeof ROLES)[number];

export interface Me {
  id: string;
  email: string;
  name: string;
  role: Role;
  locale: Locale;
  totpEnabled: boolean;
  mustChangePassword: boolean;
  tenant: { id: string; name: string };
}

export interface MeAnswer {
  user: Me;
  csrfToken: string;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  locale: Locale;
  active: boolean;
  totpEnabled: boolean;
  lockedUntil: string | null;
  mustChangePassword: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ApiToken {
  id: string;
  name: string;
  role: Role;
  /** The first characters of the secret, to tell tokens apart. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** Id of the user who created it (null when made by the CLI). */
  createdBy: string | null;
}

export interface CreatedToken extends ApiToken {
  token: string;
}

export interface AuditActor {
  type: 'user' | 'token' | 'system';
  id: string | null;
  /** The user's email, or the token's / system's label. */
  label: string;
  name: string | null;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: AuditActor;
  action: string;
  objectType: string;
  objectId: string | null;
  requestId: string | null;
  ip: string | null;
  detail: unknown;
}

export interface ClosingDay {
  date: string;
  note: string | null;
}

export interface TenantSettings {
  name: string;
  closingDays: ClosingDay[];
}

export const JOB_STATES = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface Job {
  id: string;
  name: string;
  state: string;
  createdAt: string | null;
  startedAt: string | null;
  completedAt: string | null;
  retryCount: number;
  output: unknown;
}

export interface JobSchedule {
  name: string;
  cron: string;
  timezone: string;
}

export interface JobsAnswer extends Page<Job> {
  schedules: JobSchedule[];
}

export interface Holiday {
  date: string;
  name: string;
  kind: 'national' | 'closing';
}

export interface SearchItem {
  kind: string;
  id: string;
  label: string;
  sub?: string | null;
  href: string;
}

export interface TotpSetup {
  secret: string;
  otpauthUrl: string;
  qrDataUrl: string;
}
