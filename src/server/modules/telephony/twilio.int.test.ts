// Twilio integrations (admin CRUD, the write-only auth token, tenant isolation) and Twilio's
// Voice status callback: signed as Twilio documents it (computed here independently of the
// server's code), checked against PUBLIC_URL or the forwarded URL, mapped to screen pops.
import { createHmac, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossTenantKit } from '../../test/cross-tenant.js';
import { auth, dbOf, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';
import { SseClient } from './sse-client.test-util.js';

const PUBLIC_URL = 'https://crm.example.jp';
const TOKEN = 'f2d7c1e0a9b8c7d6e5f4a3b2c1d0e9f8';
const ACCOUNT = `AC${'0123456789abcdef'.repeat(2)}`;

let app: TestApp;
let base: string;
let a: TestTenant;
let b: TestTenant;
const streams: SseClient[] = [];

/** Twilio's documented algorithm: HMAC-SHA1 over the URL and the sorted name+value pairs, Base64. */
function twilioSign(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, name) => acc + name + params[name], url);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf-8')).digest('base64');
}

const statusPath = (id: string, query = '') => `/api/v1/telephony/twilio/${id}/status${query}`;

function callback(params: Record<string, string>, overrides: Partial<Record<string, string>> = {}) {
  return {
    CallSid: `CA${randomUUID().replaceAll('-', '')}`,
    AccountSid: ACCOUNT,
    CallStatus: 'ringing',
    From: '+81312345678',
    To: '+815012345678',
    Direction: 'inbound',
    ApiVersion: '2010-04-01',
    Timestamp: 'Tue, 07 Jan 2025 01:02:03 +0000',
    CallbackSource: 'call-progress-events',
    SequenceNumber: '0',
    ...params,
    ...overrides,
  } as Record<string, string>;
}

async function deliver(
  target: TestApp,
  id: string,
  params: Record<string, string>,
  opts: { signature?: string | null; query?: string; headers?: Record<string, string>; signUrl?: string } = {},
) {
  const path = statusPath(id, opts.query ?? '');
  const signature =
    opts.signature === undefined ? twilioSign(TOKEN, opts.signUrl ?? PUBLIC_URL + path, params) : opts.signature;
  return target.inject({
    method: 'POST',
    url: path,
    headers: {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      'user-agent': 'TwilioProxy/1.1',
      ...(signature === null ? {} : { 'x-twilio-signature': signature }),
      ...opts.headers,
    },
    payload: new URLSearchParams(params).toString(),
  });
}

async function createIntegration(tenant: TestTenant, body: Record<string, unknown> = {}) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/telephony/integrations',
    headers: auth(tenant.adminToken),
    payload: { name: 'Twilio 本番', authToken: TOKEN, ...body },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; webhookUrl: string; agents: { address: string; agentId: string }[] };
}

function expectProblem(
  res: { statusCode: number; headers: Record<string, unknown>; json(): unknown },
  status: number,
  code: string,
) {
  expect(res.statusCode).toBe(status);
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
  expect(res.json()).toMatchObject({ status, code });
}

beforeAll(async () => {
  app = await testApp({ env: { PUBLIC_URL } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  a = await makeTenant(app);
  b = await makeTenant(app);
});

afterAll(() => {
  for (const s of streams) s.close();
});

async function openStream(token: string, query = ''): Promise<SseClient> {
  const s = await SseClient.open(`${base}/api/v1/telephony/stream${query}`, auth(token));
  expect(s.response.status).toBe(200);
  streams.push(s);
  return s;
}

describe('integrations', () => {
  it('are created by an admin, with agent numbers read as E.164, and never answer the auth token', async () => {
    const created = await createIntegration(a, {
      // Stored as Twilio writes it (hex in lower case) whatever case the admin pasted.
      accountSid: `AC${ACCOUNT.slice(2).toUpperCase()}`,
      agents: [
        { address: '050-1234-5678', agentId: 'agent-direct' },
        { address: 'client:alice', agentId: 'agent-alice' },
      ],
    });
    expect(created.webhookUrl).toBe(`${PUBLIC_URL}${statusPath(created.id)}`);
    expect(created.agents).toEqual([
      { address: '+815012345678', agentId: 'agent-direct' },
      { address: 'client:alice', agentId: 'agent-alice' },
    ]);
    expect(created).toMatchObject({ provider: 'twilio', name: 'Twilio 本番', accountSid: ACCOUNT });
    const answers = [
      JSON.stringify(created),
      (await app.inject({ method: 'GET', url: '/api/v1/telephony/integrations', headers: auth(a.adminToken) })).body,
      (
        await app.inject({
          method: 'GET',
          url: `/api/v1/telephony/integrations/${created.id}`,
          headers: auth(a.adminToken),
        })
      ).body,
      (
        await app.inject({
          method: 'PATCH',
          url: `/api/v1/telephony/integrations/${created.id}`,
          headers: auth(a.adminToken),
          payload: { name: 'Twilio 本番 (東京)' },
        })
      ).body,
      (
        await app.inject({
          method: 'GET',
          url: `/api/v1/audit?objectType=telephony_integration&objectId=${created.id}`,
          headers: auth(a.adminToken),
        })
      ).body,
    ];
    for (const body of answers) {
      expect(body).not.toContain(TOKEN);
      expect(body).not.toMatch(/authToken|auth_token/);
    }
    expect(answers[1]).toContain(created.id);
    expect(JSON.parse(answers[4] as string).items.map((i: { action: string }) => i.action)).toEqual([
      'telephony_integration.update',
      'telephony_integration.create',
    ]);
  });

  it('keep the token from the application role even in SQL (column privilege)', async () => {
    await createIntegration(a);
    await expect(
      dbOf(app).withTenant(a.tenantId, (tx) => tx.query('SELECT auth_token FROM telephony_integrations')),
    ).rejects.toThrow(/permission denied/);
  });

  it('are for admins, and validate agents and tokens', async () => {
    const operator = await a.token('operator');
    for (const [method, url] of [
      ['GET', '/api/v1/telephony/integrations'],
      ['POST', '/api/v1/telephony/integrations'],
    ] as const) {
      expectProblem(
        await app.inject({ method, url, headers: auth(operator), payload: method === 'POST' ? {} : undefined }),
        403,
        'forbidden',
      );
    }
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/telephony/integrations',
      headers: auth(a.adminToken),
      payload: { name: 'x', authToken: TOKEN, agents: [{ address: 'desk one', agentId: 'a1' }] },
    });
    expectProblem(bad, 400, 'validation');
    expect(bad.json().errors).toEqual([expect.objectContaining({ path: 'agents.0.address' })]);
    const short = await app.inject({
      method: 'POST',
      url: '/api/v1/telephony/integrations',
      headers: auth(a.adminToken),
      payload: { name: 'x', authToken: 'short' },
    });
    expect(short.json().errors.map((e: { path: string }) => e.path)).toEqual(['authToken']);
  });

  it("are isolated: another tenant's integration answers 404 and never lists", async () => {
    await crossTenantKit(app, a, b).expectIsolated({
      create: async (token) => {
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/telephony/integrations',
          headers: auth(token),
          payload: { name: `連携 ${randomUUID().slice(0, 6)}`, authToken: TOKEN },
        });
        return res.json().id;
      },
      read: (id) => `/api/v1/telephony/integrations/${id}`,
      list: '/api/v1/telephony/integrations',
      writes: (id) => [
        { method: 'PATCH', url: `/api/v1/telephony/integrations/${id}`, payload: { name: 'B が変更' } },
        { method: 'DELETE', url: `/api/v1/telephony/integrations/${id}` },
      ],
    });
  });
});

describe('POST /telephony/twilio/:integrationId/status', () => {
  let integration: { id: string };
  let customerId: string;

  beforeAll(async () => {
    integration = await createIntegration(a, {
      accountSid: ACCOUNT,
      agents: [
        { address: '050-1234-5678', agentId: 'agent-direct' },
        { address: 'client:alice', agentId: 'agent-alice' },
      ],
    });
    // Typed in national format; Twilio sends E.164.
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: auth(a.adminToken),
      payload: { name: '通話 確認子', phones: [{ number: '03-1234-5678' }] },
    });
    customerId = res.json().id;
  });

  it('a signed callback → 204 and screen pops for ringing, answered and ended, to the mapped agent', async () => {
    const stream = await openStream(a.adminToken, '?agentId=agent-direct');
    const warm = callback({});
    await deliver(app, integration.id, warm);
    await stream.call((p) => p.callId === warm.CallSid);
    const ringing = callback({});
    const t0 = performance.now();
    expect((await deliver(app, integration.id, ringing)).statusCode).toBe(204);
    const { pop, at } = await stream.call((p) => p.callId === ringing.CallSid);
    expect(at - t0).toBeLessThan(200);
    expect(pop).toMatchObject({
      callId: ringing.CallSid,
      event: 'ringing',
      from: '+81312345678',
      to: '+815012345678',
      direction: 'inbound',
      agentId: 'agent-direct',
    });
    expect(pop.items.map((c) => c.id)).toEqual([customerId]);
    for (const CallStatus of ['in-progress', 'completed']) {
      const res = await deliver(app, integration.id, { ...ringing, CallStatus, SequenceNumber: '1' });
      expect(res.statusCode).toBe(204);
    }
    const ofCall = () => stream.calls().filter((p) => p.callId === ringing.CallSid);
    await stream.waitFor(() => (ofCall().length === 3 ? true : undefined));
    expect(ofCall().map((p) => p.event)).toEqual(['ringing', 'answered', 'ended']);
  });

  it('maps the agent leg of a <Dial> to a client identity as an inbound call of that agent', async () => {
    const stream = await openStream(a.adminToken, '?agentId=agent-alice');
    const leg = callback({ To: 'client:alice', Direction: 'outbound-dial', ParentCallSid: `CA${'1'.repeat(32)}` });
    expect((await deliver(app, integration.id, leg)).statusCode).toBe(204);
    const { pop } = await stream.call((p) => p.callId === leg.CallSid);
    expect(pop).toMatchObject({ direction: 'inbound', agentId: 'agent-alice' });
    expect(pop.items.map((c) => c.id)).toEqual([customerId]);
  });

  it('refuses a bad, missing or replayed-elsewhere signature with 403 and pops nothing', async () => {
    const stream = await openStream(a.adminToken);
    const params = callback({});
    const forged = twilioSign('0000000000000000deadbeefdeadbeef', PUBLIC_URL + statusPath(integration.id), params);
    const otherUrl = twilioSign(TOKEN, `http://crm.example.jp${statusPath(integration.id)}`, params);
    const signedBefore = twilioSign(TOKEN, PUBLIC_URL + statusPath(integration.id), params);
    for (const res of [
      await deliver(app, integration.id, params, { signature: forged }),
      await deliver(app, integration.id, params, { signature: null }),
      await deliver(app, integration.id, params, { signature: otherUrl }),
      await deliver(app, integration.id, { ...params, From: '+81399999999' }, { signature: signedBefore }),
    ]) {
      expectProblem(res, 403, 'telephony.invalid_signature');
    }
    const good = callback({});
    expect((await deliver(app, integration.id, good)).statusCode).toBe(204);
    await stream.call((p) => p.callId === good.CallSid);
    expect(stream.calls().map((p) => p.callId)).toEqual([good.CallSid]);
  });

  it('answers 404 for an unknown integration, 415 for JSON, 400 for a signed callback without CallSid', async () => {
    expectProblem(await deliver(app, randomUUID(), callback({})), 404, 'not_found');
    expectProblem(await deliver(app, 'not-a-uuid', callback({})), 404, 'not_found');
    const json = await app.inject({
      method: 'POST',
      url: statusPath(integration.id),
      headers: { 'x-twilio-signature': 'x' },
      payload: callback({}),
    });
    expectProblem(json, 415, 'unsupported_media_type');
    const { CallSid: _, ...noSid } = callback({});
    expectProblem(await deliver(app, integration.id, noSid), 400, 'validation');
    // The form parser belongs to this route alone.
    const form = await app.inject({
      method: 'POST',
      url: '/api/v1/telephony/events',
      headers: { ...auth(a.adminToken), 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'event=ringing',
    });
    expectProblem(form, 415, 'unsupported_media_type');
  });

  it('acknowledges statuses that are no screen pop (queued, initiated) without a frame', async () => {
    const stream = await openStream(a.adminToken);
    const queued = callback({ CallStatus: 'queued' });
    const initiated = callback({ CallStatus: 'initiated' });
    expect((await deliver(app, integration.id, queued)).statusCode).toBe(204);
    expect((await deliver(app, integration.id, initiated)).statusCode).toBe(204);
    const ringing = callback({});
    await deliver(app, integration.id, ringing);
    await stream.call((p) => p.callId === ringing.CallSid);
    expect(stream.calls().map((p) => p.callId)).toEqual([ringing.CallSid]);
  });

  it("refuses another Twilio account's callback signed with the same token", async () => {
    const res = await deliver(app, integration.id, callback({ AccountSid: `AC${'f'.repeat(32)}` }));
    expectProblem(res, 403, 'telephony.account_mismatch');
  });

  it('covers the query string, and without PUBLIC_URL checks the forwarded scheme and host', async () => {
    expect((await deliver(app, integration.id, callback({}), { query: '?leg=agent' })).statusCode).toBe(204);
    const proxied = await testApp();
    const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'crm.example.jp' };
    expect((await deliver(proxied, integration.id, callback({}), { headers })).statusCode).toBe(204);
    const wrongHost = await deliver(proxied, integration.id, callback({}), {
      headers: { ...headers, 'x-forwarded-host': 'evil.example.com' },
    });
    expectProblem(wrongHost, 403, 'telephony.invalid_signature');
  });

  it('follows a token rotation at once and stops at deletion', async () => {
    const own = await createIntegration(a);
    const rotated = 'aaaabbbbccccddddeeeeffff00001111';
    const patch = await app.inject({
      method: 'PATCH',
      url: `/api/v1/telephony/integrations/${own.id}`,
      headers: auth(a.adminToken),
      payload: { authToken: rotated },
    });
    expect(patch.statusCode).toBe(200);
    expect(patch.body).not.toContain(rotated);
    const params = callback({});
    expectProblem(await deliver(app, own.id, params), 403, 'telephony.invalid_signature');
    const signature = twilioSign(rotated, PUBLIC_URL + statusPath(own.id), params);
    expect((await deliver(app, own.id, params, { signature })).statusCode).toBe(204);
    const del = await app.inject({
      method: 'DELETE',
      url: `/api/v1/telephony/integrations/${own.id}`,
      headers: auth(a.adminToken),
    });
    expect(del.statusCode).toBe(204);
    expectProblem(await deliver(app, own.id, params, { signature }), 404, 'not_found');
  });
});

describe('integration state: switched off, last event', () => {
  const get = async (id: string) => {
    const res = await app.inject({
      method: 'GET',
      url: `/api/v1/telephony/integrations/${id}`,
      headers: auth(a.adminToken),
    });
    expect(res.statusCode).toBe(200);
    return res.json() as { enabled: boolean; lastEventAt: string | null; lastCallStatus: string | null };
  };
  const patch = (id: string, payload: Record<string, unknown>) =>
    app.inject({
      method: 'PATCH',
      url: `/api/v1/telephony/integrations/${id}`,
      headers: auth(a.adminToken),
      payload,
    });

  it('shows the last callback that got through, not a refused one', async () => {
    const own = await createIntegration(a, { accountSid: ACCOUNT });
    expect(await get(own.id)).toMatchObject({ enabled: true, lastEventAt: null, lastCallStatus: null });
    const refused = await deliver(app, own.id, callback({}), { signature: 'forged' });
    expectProblem(refused, 403, 'telephony.invalid_signature');
    const otherAccount = await deliver(app, own.id, callback({ AccountSid: `AC${'f'.repeat(32)}` }));
    expectProblem(otherAccount, 403, 'telephony.account_mismatch');
    expect((await get(own.id)).lastEventAt).toBeNull();
    expect((await deliver(app, own.id, callback({ CallStatus: 'initiated' }))).statusCode).toBe(204);
    const first = await get(own.id);
    expect(first.lastCallStatus).toBe('initiated');
    expect(Number.isNaN(Date.parse(first.lastEventAt ?? ''))).toBe(false);
    expect((await deliver(app, own.id, callback({ CallStatus: 'in-progress' }))).statusCode).toBe(204);
    const second = await get(own.id);
    expect(second.lastCallStatus).toBe('in-progress');
    expect(Date.parse(second.lastEventAt ?? '')).toBeGreaterThanOrEqual(Date.parse(first.lastEventAt ?? ''));
  });

  it('switched off answers 404 and pops nothing, and works again when switched on', async () => {
    const own = await createIntegration(a, { enabled: false });
    expect(await get(own.id)).toMatchObject({ enabled: false });
    const stream = await openStream(a.adminToken);
    const off = callback({});
    expectProblem(await deliver(app, own.id, off), 404, 'not_found');
    expect((await get(own.id)).lastEventAt).toBeNull();
    const on = await patch(own.id, { enabled: true });
    expect(on.statusCode).toBe(200);
    expect(on.json()).toMatchObject({ enabled: true });
    const live = callback({});
    expect((await deliver(app, own.id, live)).statusCode).toBe(204);
    await stream.call((p) => p.callId === live.CallSid);
    expect(stream.calls().map((p) => p.callId)).toEqual([live.CallSid]);
    expect((await patch(own.id, { enabled: false })).json()).toMatchObject({ enabled: false });
    expectProblem(await deliver(app, own.id, callback({})), 404, 'not_found');
    // The admin's list shows the state; the token stays write-only.
    const list = await app.inject({
      method: 'GET',
      url: '/api/v1/telephony/integrations?limit=100',
      headers: auth(a.adminToken),
    });
    const row = (list.json().items as { id: string; enabled: boolean }[]).find((i) => i.id === own.id);
    expect(row).toMatchObject({ enabled: false, lastCallStatus: 'ringing' });
    expect(list.body).not.toContain(TOKEN);
  });
});
