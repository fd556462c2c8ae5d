import { z } from 'zod';
import { type CalendarDay, nationalHolidays, tokyoDate } from '../../../shared/calendar.js';
import type { App, Deps } from '../../app.js';
import { ctxOf } from '../http/context.js';
import { closingDaysBetween } from './tenants.service.js';

export function calendarRoutes(app: App, { db, clock }: Deps) {
  app.get(
    '/calendar/holidays',
    {
      config: { roles: 'any' },
      schema: {
        tags: ['calendar'],
        querystring: z.object({ from: z.iso.date().optional(), to: z.iso.date().optional() }),
        response: {
          200: z.object({
            items: z.array(z.object({ date: z.string(), name: z.string(), kind: z.enum(['national', 'closing']) })),
          }),
        },
      },
    },
    async (req) => {
      const { tenantId, now } = ctxOf(req, clock);
      const from = req.query.from ?? tokyoDate(now);
      const to = req.query.to ?? tokyoDate(new Date(now.getTime() + 90 * 86_400_000));
      const closing = await db.withTenant(tenantId, (tx) => closingDaysBetween(tx, from, to));
      const items: CalendarDay[] = [
        ...nationalHolidays(from, to),
        ...closing.map((c) => ({ date: c.date, name: c.note, kind: 'closing' as const })),
      ].sort((a, b) => a.date.localeCompare(b.date));
      return { items };
    },
  );
}
