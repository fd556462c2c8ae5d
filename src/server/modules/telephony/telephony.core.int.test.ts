// The screen pop on both databases: on PGlite (one process, no NOTIFY) the in-process bus alone
// carries events to streams. The full set of stream tests is telephony.int.test.ts (server only).
import type { AddressInfo } from 'node:net';
import { afterAll, expect, it } from 'vitest';
import { auth, makeTenant, testApp } from '../../test/harness.js';
import { SseClient } from './sse-client.test-util.js';
import { screenPopBusOf } from './telephony.routes.js';

const streams: SseClient[] = [];
afterAll(() => {
  for (const s of streams) s.close();
});

it('pops an event on an open stream with the caller’s customers, and unsubscribes a client that leaves', async () => {
  const app = await testApp();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const t = await makeTenant(app);
  const operator = await t.token('operator');
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/customers',
    headers: auth(operator),
    payload: { name: '埋込 確認', phones: [{ number: '０３－５５５５－１２３４' }] },
  });
  expect(created.statusCode, created.body).toBe(201);

  const stream = await SseClient.open(`${base}/api/v1/telephony/stream?agentId=desk-1`, auth(operator));
  streams.push(stream);
  expect(stream.response.status).toBe(200);
  const bus = screenPopBusOf(app);
  expect(bus?.size).toBe(1);
  const event = { event: 'ringing', callId: 'core-1', from: '+81 3 5555 1234', to: '0501234567', direction: 'inbound' };
  const other = { ...event, callId: 'core-0', agentId: 'desk-2' };
  for (const body of [other, { ...event, agentId: 'desk-1' }]) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/telephony/events',
      headers: auth(operator),
      payload: body,
    });
    expect(res.statusCode).toBe(202);
  }
  const { pop } = await stream.call((p) => p.callId === 'core-1', 5_000);
  expect(pop).toMatchObject({ ...event, agentId: 'desk-1' });
  expect(pop.items.map((c) => c.id)).toEqual([created.json().id]);
  expect(stream.calls().map((p) => p.callId)).toEqual(['core-1']);

  stream.close();
  const deadline = Date.now() + 2_000;
  while (bus?.size !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  expect(bus?.size).toBe(0);
});
