import { z } from 'zod';
import type { App, Deps } from '../../app.js';
import { ADMIN } from '../auth/roles.js';
import { ctxOf } from '../http/context.js';
import { getSettings, updateSettings } from './tenants.service.js';

const closingDay = z.object({ date: z.iso.date(), note: z.string().trim().max(100).default('') });
const settingsSchema = z.object({
  name: z.string(),
  closingDays: z.array(z.object({ date: z.string(), note: z.string() })),
});

export function settingsRoutes(app: App, { db, clock }: Deps) {
  app.get(
    '/settings',
    { config: { roles: ADMIN }, schema: { tags: ['settings'], response: { 200: settingsSchema } } },
    async (req) => getSettings(db, ctxOf(req, clock).tenantId),
  );

  app.patch(
    '/settings',
    {
      config: { roles: ADMIN },
      schema: {
        tags: ['settings'],
        // Strict: a setting this version does not have is refused, never silently dropped.
        body: z.strictObject({
          name: z.string().trim().min(1).max(200).optional(),
          closingDays: z
            .array(closingDay)
            .max(1000)
            .refine((days) => new Set(days.map((d) => d.date)).size === days.length, { message: 'duplicate date' })
            .optional(),
        }),
        response: { 200: settingsSchema },
      },
    },
    async (req) => updateSettings(db, ctxOf(req, clock), req.body),
  );
}
