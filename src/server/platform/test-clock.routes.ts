import { z } from 'zod';
import type { App, Deps } from '../app.js';
import { audit } from './audit/audit.js';
import { ADMIN } from './auth/roles.js';
import { isSettableClock } from './clock.js';
import { ctxOf } from './http/context.js';

const MAX_ADVANCE_MS = 366 * 24 * 3600 * 1000;

/**
 * `POST /test/clock` — registered only when MADOGUCHI_TEST_CLOCK=1 (config.testClock), and then
 * the app's clock must be one that can be moved (buildApp and main.ts make an OffsetClock): sets
 * it to `now` and/or moves it by `advanceMs`, and answers the new time. The end-to-end test uses
 * it to let a case's due time pass. Admin only, audited. Without the setting the path is a 404.
 */
export function testClockRoutes(app: App, { db, clock, config }: Deps) {
  if (!config.testClock) return;
  if (!isSettableClock(clock)) throw new Error('MADOGUCHI_TEST_CLOCK=1 needs a clock that can be set (OffsetClock)');
  app.post(
    '/test/clock',
    {
      config: { roles: ADMIN },
      schema: {
        tags: ['test'],
        description: 'Test only (MADOGUCHI_TEST_CLOCK=1): set and/or advance the server clock.',
        body: z
          .object({
            now: z.iso.datetime({ offset: true }).optional(),
            advanceMs: z.number().int().min(-MAX_ADVANCE_MS).max(MAX_ADVANCE_MS).optional(),
          })
          .strict(),
        response: { 200: z.object({ now: z.string() }) },
      },
    },
    async (req) => {
      const before = clock.now();
      if (req.body.now !== undefined) clock.set(new Date(req.body.now));
      if (req.body.advanceMs !== undefined) clock.advance(req.body.advanceMs);
      const now = clock.now();
      const ctx = ctxOf(req, clock);
      await db.withTenant(ctx.tenantId, (tx) =>
        audit(tx, ctx.actor, {
          action: 'test_clock.set',
          objectType: 'clock',
          detail: { from: before.toISOString(), to: now.toISOString() },
        }),
      );
      return { now: now.toISOString() };
    },
  );
}
