import type { Server } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App, Deps } from '../../app.js';
import { ADMIN, DESK } from '../../platform/auth/roles.js';
import { AppError } from '../../platform/errors.js';
import { ctxOf } from '../../platform/http/context.js';
import { pageQuery } from '../../platform/http/pagination.js';
import {
  createIntegration,
  deleteIntegration,
  findTwilioIntegration,
  getIntegration,
  listIntegrations,
  recordIntegrationEvent,
  type TwilioIntegration,
  updateIntegration,
} from './integrations.service.js';
import { ScreenPopBus } from './telephony.bus.js';
import {
  callEventBodySchema,
  createIntegrationSchema,
  integrationSchema,
  streamQuerySchema,
  updateIntegrationSchema,
} from './telephony.schema.js';
import { lastEventIdOf, openScreenPopStream } from './telephony.stream.js';
import {
  type FormParams,
  parseForm,
  publicBaseUrl,
  publicRequestUrl,
  twilioCallEvent,
  twilioStatusSchema,
  verifyTwilioSignature,
} from './twilio.js';

const tags = ['telephony'];
const idParams = z.object({ id: z.uuid() });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A status callback is a few hundred bytes. */
const TWILIO_BODY_LIMIT = 64 * 1024;

const buses = new WeakMap<Server, ScreenPopBus>();

/** The screen-pop bus of an app (by its HTTP server): for modules that publish, and for tests. */
export function screenPopBusOf(app: { server: Server }): ScreenPopBus | undefined {
  return buses.get(app.server);
}

/**
 * Telephony (CONTRACTS.md "Telephony"): call events in (generic JSON, or Twilio's status callback),
 * screen pops out as server-sent events to the agents' open screens; PBX integrations for admins.
 */
export function telephonyRoutes(app: App, deps: Deps) {
  const { db, clock, config } = deps;
  const bus = new ScreenPopBus(db, clock, app.log);
  buses.set(app.server, bus);
  // Open streams would keep the HTTP server from closing: end them first.
  app.addHook('preClose', async () => bus.endAll());
  app.addHook('onClose', async () => bus.close());

  app.post(
    '/telephony/events',
    {
      config: { roles: DESK },
      schema: {
        tags,
        description:
          'A call event from a PBX or CTI adapter → 202; a screen pop goes to the open streams of the tenant (GET /telephony/stream).',
        body: callEventBodySchema,
      },
    },
    async (req, reply) => {
      const { tenantId } = ctxOf(req, clock);
      await bus.publish(tenantId, { ...req.body, agentId: req.body.agentId ?? null });
      return reply.status(202).send();
    },
  );

  app.get(
    '/telephony/stream',
    {
      config: { roles: DESK },
      // A HEAD would open a stream with no body to send it in.
      exposeHeadRoute: false,
      schema: {
        tags,
        description:
          "text/event-stream: an `event: call` frame per call event of the tenant (only agentId's when given), `id:` the event's id, data { callId, event, from, to, direction, agentId, at, items } with items the customers of the caller (inbound: from; outbound: to); a comment line every SSE_HEARTBEAT_MS. With Last-Event-ID (or ?lastEventId=) the events after it of the last 5 minutes (at most 100) come first.",
        querystring: streamQuerySchema,
      },
    },
    async (req, reply) => {
      await openScreenPopStream(
        req,
        reply,
        { db, bus, heartbeatMs: config.sseHeartbeatMs, idleMinutes: config.session.idleMinutes },
        req.query.agentId ?? null,
        lastEventIdOf(req.headers['last-event-id'], req.query.lastEventId),
      );
    },
  );

  const baseUrl = (req: FastifyRequest) => publicBaseUrl(req, config.publicUrl);

  app.get(
    '/telephony/integrations',
    {
      config: { roles: ADMIN },
      schema: {
        tags,
        querystring: pageQuery,
        response: { 200: z.object({ items: z.array(integrationSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (req) => listIntegrations(db, ctxOf(req, clock), req.query, baseUrl(req)),
  );

  app.post(
    '/telephony/integrations',
    {
      config: { roles: ADMIN },
      schema: {
        tags,
        description:
          'Connects a Twilio account: its status callbacks (webhookUrl) feed the screen pop. authToken is write-only.',
        body: createIntegrationSchema,
        response: { 201: integrationSchema },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await createIntegration(db, ctxOf(req, clock), req.body, baseUrl(req))),
  );

  app.get(
    '/telephony/integrations/:id',
    { config: { roles: ADMIN }, schema: { tags, params: idParams, response: { 200: integrationSchema } } },
    async (req) => getIntegration(db, ctxOf(req, clock), req.params.id, baseUrl(req)),
  );

  app.patch(
    '/telephony/integrations/:id',
    {
      config: { roles: ADMIN },
      schema: { tags, params: idParams, body: updateIntegrationSchema, response: { 200: integrationSchema } },
    },
    async (req) => updateIntegration(db, ctxOf(req, clock), req.params.id, req.body, baseUrl(req)),
  );

  app.delete(
    '/telephony/integrations/:id',
    { config: { roles: ADMIN }, schema: { tags, params: idParams } },
    async (req, reply) => {
      await deleteIntegration(db, ctxOf(req, clock), req.params.id);
      return reply.status(204).send();
    },
  );

  // Twilio's status callback: form-encoded (a parser for this scope only: every other route still
  // takes JSON alone), no bearer token. The signature is the authentication, checked before the
  // body is validated, so an unsigned caller learns nothing but 404 or 403.
  app.register(async (scope) => {
    const twilioApp = scope as unknown as App;
    const verified = new WeakMap<FastifyRequest, TwilioIntegration>();
    twilioApp.removeAllContentTypeParsers();
    twilioApp.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: TWILIO_BODY_LIMIT },
      (_req, body, done) => done(null, parseForm(body as string)),
    );
    twilioApp.post(
      '/telephony/twilio/:integrationId/status',
      {
        config: { roles: 'public' },
        bodyLimit: TWILIO_BODY_LIMIT,
        schema: {
          tags,
          description:
            'Twilio Voice status callback (application/x-www-form-urlencoded), authenticated by X-Twilio-Signature over PUBLIC_URL + path. ringing → ringing, in-progress → answered, completed/busy/no-answer/failed/canceled → ended; others are acknowledged and ignored. 204.',
          params: z.object({ integrationId: z.uuid() }),
          body: twilioStatusSchema,
        },
        preValidation: async (req) => {
          const id = (req.params as { integrationId?: string }).integrationId ?? '';
          const integration = UUID.test(id) ? await findTwilioIntegration(db, id) : null;
          if (!integration) throw AppError.notFound('object.telephony_integration');
          const params = (req.body ?? {}) as FormParams;
          const url = publicRequestUrl(req, config.publicUrl);
          if (!verifyTwilioSignature(integration.authToken, req.headers['x-twilio-signature'], url, params)) {
            req.log.info('twilio callback: signature mismatch');
            throw new AppError(403, 'telephony.invalid_signature', 'telephony.invalid_signature');
          }
          if (integration.accountSid && params.AccountSid !== integration.accountSid) {
            throw new AppError(403, 'telephony.account_mismatch', 'telephony.account_mismatch');
          }
          verified.set(req, integration);
        },
      },
      async (req, reply) => {
        const integration = verified.get(req);
        if (!integration) throw AppError.unauthenticated();
        const now = clock.now();
        const event = twilioCallEvent(req.body, integration.agents, now.toISOString());
        if (event) await bus.publish(integration.tenantId, event);
        await recordIntegrationEvent(db, integration.tenantId, req.params.integrationId, now, req.body.CallStatus);
        return reply.status(204).send();
      },
    );
  });
}
