import { z } from 'zod';
import { normalizePostalCode } from '../../../shared/japanese/address.js';
import type { App, Deps } from '../../app.js';
import { AppError } from '../../platform/errors.js';
import { sendProblem } from '../../platform/http/problems.js';
import { ensurePostalCodes, postalLoaded } from './postal.loader.js';

const itemSchema = z.object({
  postalCode: z.string(),
  prefecture: z.string(),
  city: z.string(),
  town: z.string(),
  /** A business's own code (事業所個別郵便番号): its street address and name; empty otherwise. */
  street: z.string(),
  office: z.string(),
  prefectureKana: z.string(),
  cityKana: z.string(),
  townKana: z.string(),
});

type PostalRow = {
  code: string;
  prefecture: string;
  city: string;
  town: string;
  street: string;
  office: string;
  prefecture_kana: string;
  city_kana: string;
  town_kana: string;
};

/** GET /postal/{code}: Japan Post's towns for a postal code (fills the address form). */
export function postalRoutes(app: App, { db }: Deps) {
  let closing = false;
  let loaded = false;
  const startLoading = () => {
    ensurePostalCodes(db, () => closing).then(
      (done) => {
        if (done) app.log.info({ records: done.loaded, source: done.source }, 'postal codes loaded');
      },
      (err: Error) => {
        if (!closing) app.log.error({ err }, 'postal codes could not be loaded');
      },
    );
  };
  // After start, in the background: start-up does not wait for the 147,873 records.
  app.addHook('onListen', async () => startLoading());
  app.addHook('onClose', async () => {
    closing = true;
  });

  app.get(
    '/postal/:code',
    {
      config: { roles: 'any' },
      schema: {
        tags: ['postal'],
        description:
          '7 digits, with or without hyphen, any width. 503 with Retry-After while the data set is still loading.',
        params: z.object({ code: z.string().max(20) }),
        response: { 200: z.object({ items: z.array(itemSchema) }), 503: z.unknown() },
      },
    },
    async (req, reply) => {
      const normalized = normalizePostalCode(req.params.code);
      if (!normalized) throw AppError.field(400, 'validation', 'code', 'customers.invalid_postal_code');
      if (!loaded) {
        loaded = await postalLoaded(db);
        if (!loaded) {
          startLoading();
          // Answered, not thrown: an expected state, not a failure for the error log.
          return sendProblem(
            req,
            reply.header('retry-after', '10'),
            new AppError(503, 'postal.loading', 'postal.loading'),
          );
        }
      }
      const rows = await db.app.query<PostalRow>(
        `SELECT code, prefecture, city, town, street, office, prefecture_kana, city_kana, town_kana
           FROM postal_codes WHERE code = $1 ORDER BY ordinal`,
        [normalized.replace('-', '')],
      );
      return {
        items: rows.map((r) => ({
          postalCode: `${r.code.slice(0, 3)}-${r.code.slice(3)}`,
          prefecture: r.prefecture,
          city: r.city,
          town: r.town,
          street: r.street,
          office: r.office,
          prefectureKana: r.prefecture_kana,
          cityKana: r.city_kana,
          townKana: r.town_kana,
        })),
      };
    },
  );
}
