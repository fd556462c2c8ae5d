import { z } from 'zod';

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
export const roleSchema = z.enum(ROLES);
export type Role = (typeof ROLES)[number];

/** What a route declares: the roles allowed, or `public` (no sign-in), or `any` (any signed-in role). */
export type RouteRoles = readonly Role[] | 'public' | 'any';

/** The usual groups, so that a route reads as who may call it. */
export const ADMIN: readonly Role[] = ['admin'];
export const STAFF: readonly Role[] = ['admin', 'supervisor'];
export const DESK: readonly Role[] = ['admin', 'supervisor', 'operator'];
