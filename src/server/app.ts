import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import { isMigrated } from './db/migrate.js';
import { casesRoutes } from './modules/cases/cases.routes.js';
import { catalogueRoutes } from './modules/catalogue/catalogue.routes.js';
import { customersRoutes } from './modules/customers/customers.routes.js';
import { duplicatesRoutes } from './modules/duplicates/duplicates.routes.js';
import { faqRoutes } from './modules/faq/faq.routes.js';
import { interactionsRoutes } from './modules/interactions/interactions.routes.js';
import { karteRoutes } from './modules/karte/karte.routes.js';
import { notificationsRoutes } from './modules/notifications/notifications.routes.js';
import { orderImportRoutes } from './modules/order-import/order-import.routes.js';
import { ordersRoutes } from './modules/orders/orders.routes.js';
import { paymentsRoutes } from './modules/payments/payments.routes.js';
import { postalRoutes } from './modules/postal/postal.routes.js';
import { ranksRoutes } from './modules/ranks/ranks.routes.js';
import { reportsRoutes } from './modules/reports/reports.routes.js';
import { returnsRoutes } from './modules/returns/returns.routes.js';
import { shippingRoutes } from './modules/shipping/shipping.routes.js';
import { subscriptionReportsRoutes } from './modules/subscription-reports/subscription-reports.routes.js';
import { subscriptionListsRoutes } from './modules/subscriptions/lists.routes.js';
import { subscriptionsRoutes } from './modules/subscriptions/subscriptions.routes.js';
import { telephonyRoutes } from './modules/telephony/telephony.routes.js';
import { auditRoutes } from './platform/audit/audit.routes.js';
import { authRoutes } from './platform/auth/auth.routes.js';
import { registerAuth } from './platform/auth/principal.js';
import { type Clock, OffsetClock, systemClock } from './platform/clock.js';
import { AppError } from './platform/errors.js';
import { registerProblems, sendProblem } from './platform/http/problems.js';
import { OneLinePerRequest } from './platform/http/request-log.js';
import { securityHeaders } from './platform/http/security-headers.js';
import { jobsRoutes } from './platform/jobs/jobs.routes.js';
import type { JobQueue } from './platform/jobs/queue.js';
import type { Mailer } from './platform/mail/mailer.js';
import { searchRoutes } from './platform/search/search.routes.js';
import { calendarRoutes } from './platform/tenants/calendar.routes.js';
import { settingsRoutes } from './platform/tenants/settings.routes.js';
import { testClockRoutes } from './platform/test-clock.routes.js';
import { tokensRoutes } from './platform/tokens/tokens.routes.js';
import { usersRoutes } from './platform/users/users.routes.js';

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export type Deps = {
  db: Database;
  config: Config;
  clock: Clock;
  mailer: Mailer | null;
  jobs: JobQueue | null;
};

const WEB_DIR = path.resolve(fileURLToPath(new URL('../../dist/web/', import.meta.url)));
const REQUEST_ID = /^[\w.:-]{8,64}$/;
/** helmet's headers on every response, computed once (the docs UI sets its own CSP on its files). */
const SECURITY_HEADERS = securityHeaders({
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      upgradeInsecureRequests: null,
    },
  },
  hsts: false,
});

/** Builds the HTTP application: plugins, error handling, routes. No listening, no side effects. */
export async function buildApp(input: Omit<Deps, 'clock' | 'mailer' | 'jobs'> & Partial<Deps>): Promise<App> {
  // MADOGUCHI_TEST_CLOCK=1 (tests only): a clock POST /test/clock can move, unless the caller brings one.
  const clock = input.config.testClock ? new OffsetClock() : systemClock;
  const deps: Deps = { clock, mailer: null, jobs: null, ...input };
  const { config, db } = deps;
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], remove: true },
      serializers: {
        // The path only: query strings can hold personal data (a phone number, a name).
        req: (req) => ({ method: req.method, path: String(req.url).split('?')[0], reqId: req.id }),
      },
    },
    logController: new OneLinePerRequest(),
    bodyLimit: config.bodyLimit,
    trustProxy: true,
    // Every route validates and serialises with zod (set below): never load Fastify's default
    // compilers (ajv, fast-json-stringify), about a tenth of a start.
    schemaController: {
      compilersFactory: {
        buildValidator: () => validatorCompiler as never,
        buildSerializer: () => serializerCompiler as never,
      },
    },
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : crypto.randomUUID();
    },
  }).withTypeProvider<ZodTypeProvider>() as unknown as App;

  // The API takes JSON only: a text/plain body (fetch's default, and a CORS "simple" type that
  // another site's form can send) is 415 like any other type, not a string for the validator.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    reply.headers(SECURITY_HEADERS);
    done();
  });
  // Every /api route must say who may call it; the interactive docs are public.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/docs')) route.config = { ...route.config, roles: 'public' };
  });

  registerProblems(app);
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Madoguchi API',
        version: '1',
        description: 'Contact-centre CRM. Errors are problem+json; see docs/api.md.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: '__Host-madoguchi_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  registerAuth(app, db, config.session.idleMinutes);

  app.get('/api/health', { config: { roles: 'public' }, schema: { hide: true } }, async (_req, reply) => {
    if (!(await isMigrated(db))) return reply.status(503).send({ status: 'starting' });
    return { status: 'ok' };
  });

  await app.register(
    async (api) => {
      const v1 = api as unknown as App;
      authRoutes(v1, deps);
      usersRoutes(v1, deps);
      tokensRoutes(v1, deps);
      auditRoutes(v1, deps);
      settingsRoutes(v1, deps);
      calendarRoutes(v1, deps);
      searchRoutes(v1, deps);
      jobsRoutes(v1, deps);
      customersRoutes(v1, deps);
      interactionsRoutes(v1, deps);
      duplicatesRoutes(v1, deps);
      karteRoutes(v1, deps);
      ranksRoutes(v1, deps);
      reportsRoutes(v1, deps);
      catalogueRoutes(v1, deps);
      postalRoutes(v1, deps);
      telephonyRoutes(v1, deps);
      casesRoutes(v1, deps);
      notificationsRoutes(v1, deps);
      faqRoutes(v1, deps);
      ordersRoutes(v1, deps);
      orderImportRoutes(v1, deps);
      paymentsRoutes(v1, deps);
      returnsRoutes(v1, deps);
      subscriptionsRoutes(v1, deps);
      subscriptionReportsRoutes(v1, deps);
      subscriptionListsRoutes(v1, deps);
      shippingRoutes(v1, deps);
      testClockRoutes(v1, deps);
    },
    { prefix: '/api/v1' },
  );

  const hasWeb = fs.existsSync(path.join(WEB_DIR, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: WEB_DIR, wildcard: false, index: false, maxAge: '1h' });

  app.setNotFoundHandler(async (req, reply) => {
    if (req.url.startsWith('/api/')) {
      // An unknown API path says nothing to a caller who is not signed in.
      if (!req.principal) return sendProblem(req, reply, AppError.unauthenticated());
      return sendProblem(
        req,
        reply,
        new AppError(404, 'route_not_found', 'error.detail.route_not_found', {
          method: req.method,
          path: req.url.split('?')[0] ?? '',
        }),
      );
    }
    if (hasWeb && (req.method === 'GET' || req.method === 'HEAD')) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    return sendProblem(req, reply, AppError.notFound());
  });

  return app;
}
