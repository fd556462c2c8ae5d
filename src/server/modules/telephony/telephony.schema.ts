import { z } from 'zod';
import { customerSchema } from '../customers/customers.schema.js';

export const CALL_EVENTS = ['ringing', 'answered', 'ended'] as const;
export const DIRECTIONS = ['inbound', 'outbound'] as const;

const agentIdSchema = z.string().trim().min(1).max(200);

/**
 * `POST /telephony/events` (CONTRACTS.md "Telephony"). Unknown fields are ignored rather than
 * refused: PBX adapters add their own (timestamps, queue names). `from`/`to` may be empty for a
 * withheld number (非通知).
 */
export const callEventBodySchema = z.object({
  event: z.enum(CALL_EVENTS),
  callId: z.string().trim().min(1).max(200),
  from: z.string().trim().max(256),
  to: z.string().trim().max(256),
  direction: z.enum(DIRECTIONS),
  agentId: agentIdSchema.nullish(),
});

/** What travels between processes (NOTIFY) and what a stream's frame is built from. */
export const callEventSchema = z.object({
  callId: z.string().max(200),
  event: z.enum(CALL_EVENTS),
  from: z.string().max(256),
  to: z.string().max(256),
  direction: z.enum(DIRECTIONS),
  agentId: z.string().max(200).nullable(),
  /** When the server accepted the event (ISO 8601). */
  at: z.string().max(40),
});
export type CallEvent = z.infer<typeof callEventSchema>;

/** The `data` of an `event: call` frame on `GET /telephony/stream`. */
export const screenPopSchema = callEventSchema.extend({
  /** The customers holding the caller's number, as `GET /customers/lookup` answers them. */
  items: z.array(customerSchema),
  /** Present (true) only when the look-up failed: `items` is then empty but says nothing. */
  lookupFailed: z.literal(true).optional(),
});
export type ScreenPop = z.infer<typeof screenPopSchema>;

export const streamQuerySchema = z.object({
  agentId: agentIdSchema.optional(),
  /** For a client that opens a new EventSource (which cannot send Last-Event-ID): the last `id:` it got. */
  lastEventId: z.string().max(20).optional(),
});

/**
 * The number the screen pop looks up: the caller for inbound calls, the called party for
 * outbound ones (an outbound call's `from` is the centre's own number, never a customer's).
 */
export function customerNumberOf(e: Pick<CallEvent, 'direction' | 'from' | 'to'>): string {
  return e.direction === 'outbound' ? e.to : e.from;
}

// Integrations (cloud PBX accounts whose webhooks feed the screen pop).

export const agentAddressSchema = z.strictObject({
  /** A number of the account in any format (kept as E.164), or a Twilio Client identity `client:<name>`. */
  address: z.string().trim().min(1).max(256),
  agentId: agentIdSchema,
});
export type AgentAddress = z.infer<typeof agentAddressSchema>;

const accountSidSchema = z
  .string()
  .trim()
  .regex(/^AC[0-9a-fA-F]{32}$/)
  .transform((s) => `AC${s.slice(2).toLowerCase()}`);

export const createIntegrationSchema = z.strictObject({
  provider: z.literal('twilio').default('twilio'),
  name: z.string().trim().min(1).max(100),
  accountSid: accountSidSchema.optional(),
  /** Write-only: used to check the provider's signatures, never answered. */
  authToken: z.string().trim().min(16).max(256),
  agents: z.array(agentAddressSchema).max(1000).default([]),
  /** Off: the webhook answers 404 and pops nothing; token and agent map are kept. */
  enabled: z.boolean().default(true),
});
export type CreateIntegration = z.infer<typeof createIntegrationSchema>;

export const updateIntegrationSchema = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  accountSid: accountSidSchema.nullable().optional(),
  authToken: z.string().trim().min(16).max(256).optional(),
  agents: z.array(agentAddressSchema).max(1000).optional(),
  enabled: z.boolean().optional(),
});
export type UpdateIntegration = z.infer<typeof updateIntegrationSchema>;

export const integrationSchema = z.object({
  id: z.uuid(),
  provider: z.literal('twilio'),
  name: z.string(),
  accountSid: z.string().nullable(),
  agents: z.array(z.object({ address: z.string(), agentId: z.string() })),
  /** Where the provider must send its status callbacks (paste it into Twilio's console). */
  webhookUrl: z.string(),
  enabled: z.boolean(),
  /** The last callback that passed the signature check (null: none yet), and its CallStatus. */
  lastEventAt: z.string().nullable(),
  lastCallStatus: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Integration = z.infer<typeof integrationSchema>;

export type IntegrationRow = {
  id: string;
  provider: 'twilio';
  name: string;
  account_sid: string | null;
  agents: AgentAddress[];
  enabled: boolean;
  last_event_at: Date | null;
  last_call_status: string | null;
  created_at: Date;
  updated_at: Date;
};

/** Every column but the auth token, which the application role cannot select. */
export const INTEGRATION_COLUMNS =
  'id, provider, name, account_sid, agents, enabled, last_event_at, last_call_status, created_at, updated_at';

export function webhookPath(id: string): string {
  return `/api/v1/telephony/twilio/${id}/status`;
}

export function toIntegration(r: IntegrationRow, baseUrl: string): Integration {
  return {
    id: r.id,
    provider: r.provider,
    name: r.name,
    accountSid: r.account_sid,
    agents: r.agents,
    webhookUrl: baseUrl + webhookPath(r.id),
    enabled: r.enabled,
    lastEventAt: r.last_event_at?.toISOString() ?? null,
    lastCallStatus: r.last_call_status,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}
