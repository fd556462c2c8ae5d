import { z } from 'zod';
import type { App, Deps } from '../../app.js';
import { ADMIN } from '../auth/roles.js';
import { ctxOf } from '../http/context.js';
import { getSettings, updateSettings } from './tenants.service.js';

const closingDay = z.object({ date: z.iso.date(), note: z.string().trim().max(100).default('') });
const carrier = z.enum(['yamato', 'sagawa', 'japanpost']);
const priceMode = z.enum(['included', 'excluded']);
const rounding = z.enum(['floor', 'round', 'ceil']);

/** The order desk's settings groups as PATCH /settings takes them (each field optional, merged). */
export const orderSettingsPatchSchema = {
  tax: z.strictObject({ priceMode: priceMode.optional(), rounding: rounding.optional() }).optional(),
  orders: z
    .strictObject({
      preparationDays: z.number().int().min(0).max(30).optional(),
      defaultCarrier: carrier.optional(),
    })
    .optional(),
  invoice: z
    .strictObject({
      registrationNumber: z
        .string()
        .trim()
        .regex(/^T\d{13}$/)
        .nullable()
        .optional(),
      issuerName: z.string().trim().max(100).optional(),
      issuerAddress: z.string().trim().max(200).optional(),
      issuerPhone: z.string().trim().max(40).optional(),
    })
    .optional(),
  subscriptions: z.strictObject({ leadDays: z.number().int().min(0).max(60).optional() }).optional(),
};

export const orderSettingsSchema = z.object({
  tax: z.object({ priceMode, rounding }),
  orders: z.object({ preparationDays: z.number(), defaultCarrier: carrier }),
  invoice: z.object({
    registrationNumber: z.string().nullable(),
    issuerName: z.string(),
    issuerAddress: z.string(),
    issuerPhone: z.string(),
  }),
  subscriptions: z.object({ leadDays: z.number() }),
});

const settingsSchema = z.object({
  name: z.string(),
  closingDays: z.array(z.object({ date: z.string(), note: z.string() })),
  ...orderSettingsSchema.shape,
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
          ...orderSettingsPatchSchema,
        }),
        response: { 200: settingsSchema },
      },
    },
    async (req) => updateSettings(db, ctxOf(req, clock), req.body),
  );
}
