// Twilio's Voice status callback (https://www.twilio.com/docs/voice/api/call-resource#statuscallback):
// form-encoded, signed with the account's auth token, mapped here to the generic screen-pop event.
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { normalizePhone } from '../../../shared/japanese/phone.js';
import { safeEqual } from '../../platform/auth/secrets.js';
import type { AgentAddress, CallEvent } from './telephony.schema.js';

export type FormParams = Record<string, string | string[]>;

/** An application/x-www-form-urlencoded body; a name given more than once keeps every value. */
export function parseForm(body: string): FormParams {
  const params: FormParams = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const had = params[name];
    if (had === undefined) params[name] = value;
    else params[name] = Array.isArray(had) ? [...had, value] : [had, value];
  }
  return params;
}

/**
 * X-Twilio-Signature as Twilio computes it: Base64(HMAC-SHA1(authToken, url + each POST parameter's
 * name and value, parameters sorted by name)); a repeated name contributes each distinct value,
 * sorted. `url` is the full URL Twilio requested, query string included.
 */
export function twilioSignature(authToken: string, url: string, params: FormParams): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name] ?? '';
    const values = Array.isArray(value) ? [...new Set(value)].sort() : [value];
    for (const v of values) data += name + v;
  }
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/**
 * The forms of one URL Twilio may have signed: as configured, with the scheme's default port
 * written out, and without any port (Twilio's own validators try the same ones).
 */
export function signedUrlForms(url: string): string[] {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return [url];
  }
  const tail = u.pathname + u.search;
  const defaultPort = u.protocol === 'https:' ? '443' : '80';
  const forms = [
    url,
    `${u.protocol}//${u.hostname}:${u.port || defaultPort}${tail}`,
    `${u.protocol}//${u.hostname}${tail}`,
  ];
  return [...new Set(forms)];
}

/** Checks the signature header against every form of the URL, in constant time per comparison. */
export function verifyTwilioSignature(
  authToken: string,
  header: string | string[] | undefined,
  url: string,
  params: FormParams,
): boolean {
  if (typeof header !== 'string' || header === '') return false;
  let ok = false;
  for (const form of signedUrlForms(url)) ok = safeEqual(header, twilioSignature(authToken, form, params)) || ok;
  return ok;
}

/**
 * The public URL of a request: PUBLIC_URL's origin (and path prefix, when the proxy strips it)
 * plus the path and query as received. Without PUBLIC_URL, the scheme and host come from
 * X-Forwarded-Proto / X-Forwarded-Host, which the app trusts (trustProxy), else Host.
 */
export function publicRequestUrl(req: { url: string; protocol: string; host: string }, publicUrl?: string): string {
  if (!publicUrl) return `${req.protocol}://${req.host}${req.url}`;
  const base = new URL(publicUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  const path = prefix && !req.url.startsWith(`${prefix}/`) ? prefix + req.url : req.url;
  return base.origin + path;
}

/** The origin (and path prefix) links to this server start with. */
export function publicBaseUrl(req: { protocol: string; host: string }, publicUrl?: string): string {
  return publicUrl ? publicUrl.replace(/\/+$/, '') : `${req.protocol}://${req.host}`;
}

/** The parameters of a status callback the adapter reads; Twilio sends many more. */
export const twilioStatusSchema = z.looseObject({
  CallSid: z.string().min(1).max(64),
  CallStatus: z.string().min(1).max(32),
  From: z.string().max(256).default(''),
  To: z.string().max(256).default(''),
  Direction: z.string().max(32).default('inbound'),
  AccountSid: z.string().max(64).optional(),
});
export type TwilioStatus = z.infer<typeof twilioStatusSchema>;

const STATUS: Record<string, CallEvent['event']> = {
  ringing: 'ringing',
  'in-progress': 'answered',
  completed: 'ended',
  busy: 'ended',
  'no-answer': 'ended',
  failed: 'ended',
  canceled: 'ended',
};

/**
 * The key an agent map entry and a Twilio address are compared by: a number's E.164 form (an
 * admin may type it in national format), or a `client:`/`sip:` identity as written. Null when the
 * text is neither.
 */
export function addressKey(address: string): string | null {
  const text = address.trim();
  if (/^(client|sip):\S+$/i.test(text)) return text.replace(/^(client|sip):/i, (p) => p.toLowerCase());
  return normalizePhone(text)?.e164 ?? null;
}

/**
 * The screen-pop event of one status callback, or null for statuses that are not one (queued,
 * initiated). Twilio's directions are read from the centre's side: `inbound` is a customer calling
 * an account number; `outbound-api` a call the centre placed; `outbound-dial` a <Dial> leg, which
 * rings an agent (To is a mapped address or a client identity: the agent leg of an inbound call)
 * or a customer (an agent dialling out). The agent is the mapped address on the centre's side.
 */
export function twilioCallEvent(
  p: Pick<TwilioStatus, 'CallSid' | 'CallStatus' | 'From' | 'To' | 'Direction'>,
  agents: AgentAddress[],
  at: string,
): CallEvent | null {
  const event = STATUS[p.CallStatus];
  if (!event) return null;
  const agentOf = (address: string) => {
    const key = addressKey(address);
    return key === null ? null : (agents.find((a) => a.address === key)?.agentId ?? null);
  };
  const toAgent = agentOf(p.To);
  const toIsAgent = toAgent !== null || /^client:/i.test(p.To.trim());
  const inbound = p.Direction === 'inbound' || (p.Direction === 'outbound-dial' && toIsAgent);
  return {
    callId: p.CallSid,
    event,
    from: p.From,
    to: p.To,
    direction: inbound ? 'inbound' : 'outbound',
    agentId: inbound ? toAgent : agentOf(p.From),
    at,
  };
}
