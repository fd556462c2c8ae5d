// The Twilio adapter's pure parts: the signature (against Twilio's own published examples), the
// URL it covers, form parsing, and the mapping of status callbacks to screen-pop events.
import { describe, expect, it } from 'vitest';
import { customerNumberOf } from './telephony.schema.js';
import {
  addressKey,
  parseForm,
  publicRequestUrl,
  signedUrlForms,
  twilioCallEvent,
  twilioSignature,
  verifyTwilioSignature,
} from './twilio.js';

// Twilio's documentation examples (security/signature_validation in twilio's api-snippets).
const DOC_URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const docParams = (caller: string) => ({
  CallSid: 'CA1234567890ABCDE',
  Caller: caller,
  Digits: '1234',
  From: caller,
  To: '+18005551212',
});

describe('twilioSignature', () => {
  it("gives the signatures of Twilio's documented examples", () => {
    expect(twilioSignature('12345', DOC_URL, docParams('+14158675310'))).toBe('GvWf1cFY/Q7PnoempGyD5oXAezc=');
    expect(twilioSignature('12345', DOC_URL, docParams('+14158675309'))).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
  });

  it('sorts parameters by name, whatever order they came in, and a repeated name by value', () => {
    const a = twilioSignature('secret-token-0123', 'https://x.jp/h', { b: '2', a: '1' });
    expect(twilioSignature('secret-token-0123', 'https://x.jp/h', { a: '1', b: '2' })).toBe(a);
    expect(twilioSignature('secret-token-0123', 'https://x.jp/h', { a: ['z', 'y'] })).toBe(
      twilioSignature('secret-token-0123', 'https://x.jp/h', { a: ['y', 'z'] }),
    );
    expect(twilioSignature('secret-token-0123', 'https://x.jp/h', { a: '2', b: '1' })).not.toBe(a);
  });

  it('verifies against the URL with or without its default port, and refuses anything else', () => {
    const params = docParams('+14158675310');
    const withPort = twilioSignature('12345', 'https://mycompany.com:443/myapp.php?foo=1&bar=2', params);
    expect(verifyTwilioSignature('12345', 'GvWf1cFY/Q7PnoempGyD5oXAezc=', DOC_URL, params)).toBe(true);
    expect(verifyTwilioSignature('12345', withPort, DOC_URL, params)).toBe(true);
    expect(verifyTwilioSignature('12345', 'GvWf1cFY/Q7PnoempGyD5oXAezc=', DOC_URL, { ...params, Digits: '1235' })).toBe(
      false,
    );
    expect(verifyTwilioSignature('54321', 'GvWf1cFY/Q7PnoempGyD5oXAezc=', DOC_URL, params)).toBe(false);
    expect(verifyTwilioSignature('12345', undefined, DOC_URL, params)).toBe(false);
    expect(verifyTwilioSignature('12345', '', DOC_URL, params)).toBe(false);
    expect(verifyTwilioSignature('12345', ['GvWf1cFY/Q7PnoempGyD5oXAezc='], DOC_URL, params)).toBe(false);
    expect(signedUrlForms('http://127.0.0.1:3000/a?b=1')).toEqual([
      'http://127.0.0.1:3000/a?b=1',
      'http://127.0.0.1/a?b=1',
    ]);
  });
});

describe('publicRequestUrl', () => {
  const req = { url: '/api/v1/telephony/twilio/x/status?leg=1', protocol: 'http', host: 'internal:3000' };

  it('uses PUBLIC_URL when set, with its path prefix when the proxy strips it', () => {
    expect(publicRequestUrl(req, 'https://crm.example.jp')).toBe(
      'https://crm.example.jp/api/v1/telephony/twilio/x/status?leg=1',
    );
    expect(publicRequestUrl(req, 'https://crm.example.jp/')).toBe(
      'https://crm.example.jp/api/v1/telephony/twilio/x/status?leg=1',
    );
    expect(publicRequestUrl(req, 'https://example.jp/madoguchi/')).toBe(
      'https://example.jp/madoguchi/api/v1/telephony/twilio/x/status?leg=1',
    );
    expect(publicRequestUrl({ ...req, url: `/madoguchi${req.url}` }, 'https://example.jp/madoguchi')).toBe(
      'https://example.jp/madoguchi/api/v1/telephony/twilio/x/status?leg=1',
    );
  });

  it('otherwise rebuilds it from the request (forwarded scheme and host)', () => {
    expect(publicRequestUrl({ ...req, protocol: 'https', host: 'crm.example.jp' })).toBe(
      'https://crm.example.jp/api/v1/telephony/twilio/x/status?leg=1',
    );
  });
});

describe('parseForm', () => {
  it('decodes + and percent escapes (UTF-8) and keeps every value of a repeated name', () => {
    expect(parseForm('From=%2B81312345678&CallerName=%E5%B1%B1%E7%94%B0+%E5%A4%AA%E9%83%8E&x=1&x=2&x=3')).toEqual({
      From: '+81312345678',
      CallerName: '山田 太郎',
      x: ['1', '2', '3'],
    });
    expect(parseForm('')).toEqual({});
  });
});

describe('twilioCallEvent', () => {
  const agents = [
    { address: '+815012345678', agentId: 'agent-direct' },
    { address: 'client:alice', agentId: 'agent-alice' },
  ];
  const at = '2025-01-01T00:00:00.000Z';
  const base = { CallSid: 'CA01', From: '+819012345678', To: '+815012345678', Direction: 'inbound' };

  it('maps the call statuses to ringing, answered and ended, and ignores the others', () => {
    const event = (CallStatus: string) => twilioCallEvent({ ...base, CallStatus }, agents, at)?.event ?? null;
    expect(event('ringing')).toBe('ringing');
    expect(event('in-progress')).toBe('answered');
    for (const s of ['completed', 'busy', 'no-answer', 'failed', 'canceled']) expect(event(s)).toBe('ended');
    for (const s of ['queued', 'initiated', 'whatever']) expect(event(s)).toBeNull();
  });

  it('inbound: the agent owning the called number; the caller is looked up', () => {
    const e = twilioCallEvent({ ...base, CallStatus: 'ringing' }, agents, at);
    expect(e).toEqual({
      callId: 'CA01',
      event: 'ringing',
      from: '+819012345678',
      to: '+815012345678',
      direction: 'inbound',
      agentId: 'agent-direct',
      at,
    });
    expect(customerNumberOf(e as NonNullable<typeof e>)).toBe('+819012345678');
    const unmapped = twilioCallEvent({ ...base, To: '+815099999999', CallStatus: 'ringing' }, agents, at);
    expect(unmapped?.agentId).toBeNull();
  });

  it('outbound-dial to a client is the agent leg of an inbound call', () => {
    const e = twilioCallEvent(
      { ...base, To: 'client:alice', Direction: 'outbound-dial', CallStatus: 'ringing' },
      agents,
      at,
    );
    expect(e).toMatchObject({ direction: 'inbound', agentId: 'agent-alice', from: '+819012345678' });
  });

  it('outbound-api and outbound-dial to a customer: the agent owning the calling number; the callee is looked up', () => {
    for (const Direction of ['outbound-api', 'outbound-dial']) {
      const e = twilioCallEvent(
        { CallSid: 'CA02', From: '+815012345678', To: '+819012345678', Direction, CallStatus: 'in-progress' },
        agents,
        at,
      );
      expect(e).toMatchObject({ direction: 'outbound', agentId: 'agent-direct', event: 'answered' });
      expect(customerNumberOf(e as NonNullable<typeof e>)).toBe('+819012345678');
    }
  });
});

describe('addressKey', () => {
  it('reads numbers in any format as E.164 and keeps client identities', () => {
    expect(addressKey('050-1234-5678')).toBe('+815012345678');
    expect(addressKey('+81 50 1234 5678')).toBe('+815012345678');
    expect(addressKey('Client:Alice')).toBe('client:Alice');
    expect(addressKey('sip:desk1@example.sip.twilio.com')).toBe('sip:desk1@example.sip.twilio.com');
    expect(addressKey('not a number')).toBeNull();
  });
});
