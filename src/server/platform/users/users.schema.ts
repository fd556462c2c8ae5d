import { z } from 'zod';
import { roleSchema } from '../auth/roles.js';

export const passwordSchema = z.string().min(8).max(200);
export const localeSchema = z.enum(['ja', 'en']);

export const userSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  locale: localeSchema,
  active: z.boolean(),
  totpEnabled: z.boolean(),
  lockedUntil: z.string().nullable(),
  mustChangePassword: z.boolean(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
});
export type User = z.infer<typeof userSchema>;

export const createUserSchema = z.object({
  email: z.email().max(254),
  name: z.string().trim().min(1).max(100),
  role: roleSchema,
  password: passwordSchema,
  locale: localeSchema.optional(),
});

export const updateUserSchema = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  role: roleSchema.optional(),
  active: z.boolean().optional(),
});

export type UserRow = {
  id: string;
  email: string;
  name: string;
  role: User['role'];
  locale: User['locale'];
  active: boolean;
  totp_enabled: boolean;
  locked_until: Date | null;
  must_change_password: boolean;
  last_login_at: Date | null;
  created_at: Date;
};

export const USER_COLUMNS = `id, email, name, role, locale, active, totp_secret IS NOT NULL AS totp_enabled,
  locked_until, must_change_password, last_login_at, created_at`;

export function toUser(row: UserRow, now: Date): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    locale: row.locale,
    active: row.active,
    totpEnabled: row.totp_enabled,
    lockedUntil: row.locked_until && row.locked_until > now ? row.locked_until.toISOString() : null,
    mustChangePassword: row.must_change_password,
    lastLoginAt: row.last_login_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}
