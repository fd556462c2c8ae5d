// Screen pop over real HTTP streams (an app listening on a port, Node's fetch as the client):
// events → `event: call` frames with the caller's customers, the agent filter, tenant isolation,
// roles and the session cookie, heartbeats, streams ending (client gone, sign-in ended, server
// closing), and fan-out between two servers on one PostgreSQL database through LISTEN/NOTIFY.
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../../db/database.js';
import { onCleanup } from '../../test/cleanup.js';
import { auth, dbOf, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';
import { databaseUrl } from '../../test/pg-util.js';
import { SseClient } from './sse-client.test-util.js';
import { REPLAY_MAX, TELEPHONY_CHANNEL } from './telephony.bus.js';
import { purgeCallEvents } from './telephony.jobs.js';
import { screenPopBusOf } from './telephony.routes.js';

let app: TestApp;
let base: string;
let a: TestTenant;
let b: TestTenant;
let aOperator: string;
let bOperator: string;
const streams: SseClient[] = [];

async function listen(target: TestApp): Promise<string> {
  await target.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(target.server.address() as AddressInfo).port}`;
}

async function openStream(url: string, headers: Record<string, string>): Promise<SseClient> {
  const s = await SseClient.open(url, headers);
  streams.push(s);
  return s;
}

async function postEvent(target: TestApp, token: string, body: Record<string, unknown>) {
  const res = await target.inject({
    method: 'POST',
    url: '/api/v1/telephony/events',
    headers: auth(token),
    payload: body,
  });
  expect(res.statusCode, res.body).toBe(202);
}

async function createCustomer(token: string, name: string, number: string): Promise<{ id: string }> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/customers',
    headers: auth(token),
    payload: { name, phones: [{ number }] },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

let seq = 0;
const callId = () => `call-${process.pid}-${++seq}`;
const inbound = (from: string, extra: Record<string, unknown> = {}) => ({
  event: 'ringing',
  callId: callId(),
  from,
  to: '0501234567',
  direction: 'inbound',
  ...extra,
});

beforeAll(async () => {
  app = await testApp();
  base = await listen(app);
  a = await makeTenant(app);
  b = await makeTenant(app);
  aOperator = await a.token('operator');
  bOperator = await b.token('operator');
});

afterAll(() => {
  for (const s of streams) s.close();
});

describe('GET /telephony/stream', () => {
  it('turns an event into an `event: call` frame with the caller’s customers, well within 200 ms', async () => {
    const hanako = await createCustomer(aOperator, '窓口 花子', '03-1234-5678');
    const stream = await openStream(`${base}/api/v1/telephony/stream`, auth(aOperator));
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(stream.response.headers.get('x-accel-buffering')).toBe('no');
    expect(stream.response.headers.get('cache-control')).toContain('no-transform');
    expect(stream.response.headers.get('content-encoding')).toBeNull();
    expect(stream.response.headers.get('x-request-id')).toBeTruthy();
    await stream.waitFor(() => stream.frames.find((f) => f.retry !== null), 1_000, 'the retry frame');

    // Warm the path once (a new pool connection, the first plan), then measure.
    const warm = inbound('+81312345678');
    await postEvent(app, aOperator, warm);
    await stream.call((p) => p.callId === warm.callId);
    const event = inbound('+81312345678', { agentId: 'agent-1' });
    const t0 = performance.now();
    await postEvent(app, aOperator, event);
    const { pop, at } = await stream.call((p) => p.callId === event.callId);
    expect(at - t0).toBeLessThan(200);
    expect(pop).toMatchObject({ ...event, agentId: 'agent-1' });
    expect(Date.parse(pop.at)).not.toBeNaN();
    const lookup = await app.inject({
      method: 'GET',
      url: `/api/v1/customers/lookup?phone=${encodeURIComponent(event.from)}`,
      headers: auth(aOperator),
    });
    expect(pop.items).toEqual(lookup.json().items);
    expect(pop.items.map((c) => c.id)).toEqual([hanako.id]);
  });

  it('looks up the called party of outbound calls; an unknown or withheld number gives no customers', async () => {
    const taro = await createCustomer(aOperator, '窓口 太郎', '090-2222-3333');
    const stream = await openStream(`${base}/api/v1/telephony/stream`, auth(aOperator));
    const out = { event: 'answered', callId: callId(), from: '0501234567', to: '09022223333', direction: 'outbound' };
    const unknown = inbound('0120-000-000');
    const withheld = inbound('');
    for (const e of [out, unknown, withheld]) await postEvent(app, aOperator, e);
    expect((await stream.call((p) => p.callId === out.callId)).pop.items.map((c) => c.id)).toEqual([taro.id]);
    expect((await stream.call((p) => p.callId === unknown.callId)).pop).toMatchObject({ items: [], agentId: null });
    expect((await stream.call((p) => p.callId === withheld.callId)).pop.items).toEqual([]);
  });

  it('keeps the order of one call’s events', async () => {
    const stream = await openStream(`${base}/api/v1/telephony/stream`, auth(aOperator));
    const id = callId();
    for (const event of ['ringing', 'answered', 'ended']) {
      await postEvent(app, aOperator, {
        event,
        callId: id,
        from: '0312345678',
        to: '0501234567',
        direction: 'inbound',
      });
    }
    await stream.waitFor(() => (stream.calls().filter((p) => p.callId === id).length === 3 ? true : undefined));
    expect(
      stream
        .calls()
        .filter((p) => p.callId === id)
        .map((p) => p.event),
    ).toEqual(['ringing', 'answered', 'ended']);
  });

  it('?agentId= receives only that agent’s events; without it, every event of the tenant', async () => {
    const mine = await openStream(`${base}/api/v1/telephony/stream?agentId=agent-7`, auth(aOperator));
    const all = await openStream(`${base}/api/v1/telephony/stream`, auth(aOperator));
    const other = inbound('0312345678', { agentId: 'agent-8' });
    const none = inbound('0312345678');
    const own = inbound('0312345678', { agentId: 'agent-7' });
    for (const e of [other, none, own]) await postEvent(app, aOperator, e);
    for (const e of [other, none, own]) await all.call((p) => p.callId === e.callId);
    await mine.call((p) => p.callId === own.callId);
    expect(mine.calls().map((p) => p.callId)).toEqual([own.callId]);
    // Order is kept within a call; different calls may overtake each other.
    expect(
      all
        .calls()
        .map((p) => p.callId)
        .sort(),
    ).toEqual([other.callId, none.callId, own.callId].sort());
  });

  it("never sends tenant A's events, or A's customers, to tenant B", async () => {
    await createCustomer(bOperator, '別組織 顧客', '03-9999-0000');
    const aCustomer = await createCustomer(aOperator, '組織A 顧客', '03-9999-0000');
    const aStream = await openStream(`${base}/api/v1/telephony/stream`, auth(aOperator));
    const bStream = await openStream(`${base}/api/v1/telephony/stream`, auth(bOperator));
    const aEvent = inbound('0399990000');
    const bEvent = inbound('0399990000');
    await postEvent(app, aOperator, aEvent);
    await postEvent(app, bOperator, bEvent);
    const { pop } = await aStream.call((p) => p.callId === aEvent.callId);
    expect(pop.items.map((c) => c.id)).toEqual([aCustomer.id]);
    const { pop: bPop } = await bStream.call((p) => p.callId === bEvent.callId);
    expect(bPop.items.map((c) => c.name)).toEqual(['別組織 顧客']);
    expect(bStream.calls().map((p) => p.callId)).toEqual([bEvent.callId]);
    expect(aStream.calls().map((p) => p.callId)).toEqual([aEvent.callId]);
  });

  it('is for the desk: client_viewer → 403, no or bad token → 401, all as problem+json', async () => {
    const viewer = await a.token('client_viewer');
    for (const [headers, status] of [
      [auth(viewer), 403],
      [{}, 401],
      [auth('mdg_not-a-token'), 401],
    ] as const) {
      const s = await SseClient.open(`${base}/api/v1/telephony/stream`, headers);
      expect(s.response.status).toBe(status);
      expect(s.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const post = await app.inject({
        method: 'POST',
        url: '/api/v1/telephony/events',
        headers,
        payload: inbound('0312345678'),
      });
      expect(post.statusCode).toBe(status);
    }
  });

  it('validates events: unknown event or direction, missing callId → 400 with the fields', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/telephony/events',
      headers: auth(aOperator),
      payload: { event: 'dialing', from: '03', to: '04', direction: 'sideways' },
    });
    expect(res.statusCode).toBe(400);
    expect(
      res
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['callId', 'direction', 'event']);
  });

  it("serves the web app's EventSource with its session cookie (GET: no CSRF token); a cookie POST needs it", async () => {
    const user = await a.user('operator');
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: user.password },
    });
    expect(login.statusCode, login.body).toBe(200);
    const cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
    const stream = await openStream(`${base}/api/v1/telephony/stream?agentId=${user.userId}`, { cookie });
    expect(stream.response.status).toBe(200);
    const event = inbound('0312345678', { agentId: user.userId });
    const noCsrf = await app.inject({
      method: 'POST',
      url: '/api/v1/telephony/events',
      headers: { cookie },
      payload: event,
    });
    expect(noCsrf.statusCode).toBe(403);
    const withCsrf = await app.inject({
      method: 'POST',
      url: '/api/v1/telephony/events',
      headers: { cookie, 'x-csrf-token': login.json().csrfToken },
      payload: event,
    });
    expect(withCsrf.statusCode).toBe(202);
    await stream.call((p) => p.callId === event.callId);
  });

  it('unsubscribes a client that goes away', async () => {
    const bus = screenPopBusOf(app);
    if (!bus) throw new Error('no screen-pop bus');
    const before = bus.size;
    const stream = await openStream(`${base}/api/v1/telephony/stream`, auth(aOperator));
    expect(bus.size).toBe(before + 1);
    stream.close();
    const deadline = Date.now() + 2_000;
    while (bus.size !== before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(bus.size).toBe(before);
  });
});

describe('replay after a reconnect (Last-Event-ID)', () => {
  const url = (query = '') => `${base}/api/v1/telephony/stream${query}`;

  it('numbers every frame; a reconnect gets what it missed, in order, once, then goes on live', async () => {
    const jiro = await createCustomer(aOperator, '再送 次郎', '045-111-2222');
    const first = await openStream(url('?agentId=agent-r'), auth(aOperator));
    const seen = [inbound('0451112222', { agentId: 'agent-r' }), inbound('0451112222', { agentId: 'agent-r' })];
    for (const e of seen) await postEvent(app, aOperator, e);
    for (const e of seen) await first.call((p) => p.callId === e.callId);
    const ids = first.callIds();
    expect(ids).toHaveLength(2);
    expect(ids[1]).toBeGreaterThan(ids[0] as number);
    const lastSeen = first.lastEventId;
    expect(lastSeen).toBe(String(ids[1]));
    first.close();

    // Missed while away: two events of one call, one of another agent, one of another tenant.
    const missedCall = callId();
    const missed = ['ringing', 'ended'].map((event) => ({
      ...inbound('0451112222', { agentId: 'agent-r' }),
      event,
      callId: missedCall,
    }));
    for (const e of missed) await postEvent(app, aOperator, e);
    await postEvent(app, aOperator, inbound('0451112222', { agentId: 'agent-other' }));
    await postEvent(app, bOperator, inbound('0451112222', { agentId: 'agent-r' }));

    const again = await openStream(url('?agentId=agent-r'), { ...auth(aOperator), 'last-event-id': lastSeen });
    await again.waitFor(() => (again.calls().length >= 2 ? true : undefined), 2_000, 'the replay');
    expect(again.calls().map((p) => [p.callId, p.event])).toEqual([
      [missedCall, 'ringing'],
      [missedCall, 'ended'],
    ]);
    const replayed = again.calls()[0];
    expect(replayed?.items.map((c) => c.id)).toEqual([jiro.id]);
    expect(replayed).toMatchObject({ from: '0451112222', to: '0501234567', direction: 'inbound', agentId: 'agent-r' });
    const replayedIds = again.callIds();
    expect(replayedIds[0]).toBeGreaterThan(Number(lastSeen));
    expect(replayedIds[1]).toBeGreaterThan(replayedIds[0] as number);

    const live = inbound('0451112222', { agentId: 'agent-r' });
    await postEvent(app, aOperator, live);
    await again.call((p) => p.callId === live.callId);
    expect(again.calls().map((p) => p.callId)).toEqual([missedCall, missedCall, live.callId]);
    expect(again.callIds()[2]).toBeGreaterThan(replayedIds[1] as number);

    // The same again through ?lastEventId= (a new EventSource cannot send the header).
    const byQuery = await openStream(url(`?agentId=agent-r&lastEventId=${lastSeen}`), auth(aOperator));
    await byQuery.call((p) => p.callId === live.callId);
    expect(byQuery.calls().map((p) => p.callId)).toEqual([missedCall, missedCall, live.callId]);
  });

  it("replays only the caller's tenant, and nothing for an id it does not know or cannot read", async () => {
    const stream = await openStream(url(), auth(aOperator));
    const e = inbound('0312345678');
    await postEvent(app, aOperator, e);
    await stream.call((p) => p.callId === e.callId);
    const before = Number(stream.lastEventId) - 1;
    stream.close();

    // Tenant B reconnecting with an id just before A's event gets none of A's.
    const b = await openStream(url(), { ...auth(bOperator), 'last-event-id': String(before) });
    // An id beyond every event, and ids that are not ids: a fresh stream, nothing replayed.
    const future = await openStream(url(), { ...auth(aOperator), 'last-event-id': '999999999999' });
    const junk = await openStream(url(), { ...auth(aOperator), 'last-event-id': 'abc' });
    const negative = await openStream(url('?lastEventId=-1'), auth(aOperator));
    const next = inbound('0312345678');
    await postEvent(app, aOperator, next);
    for (const s of [future, junk, negative]) {
      expect(s.response.status).toBe(200);
      await s.call((p) => p.callId === next.callId);
      expect(s.calls().map((p) => p.callId)).toEqual([next.callId]);
    }
    const own = inbound('0312345678');
    await postEvent(app, bOperator, own);
    await b.call((p) => p.callId === own.callId);
    expect(b.calls().map((p) => p.callId)).toEqual([own.callId]);
  });

  it('replays only the last minutes, at most REPLAY_MAX events; the hourly purge deletes older ones', async () => {
    const db = dbOf(app);
    const stream = await openStream(url('?agentId=agent-old'), auth(aOperator));
    const old = inbound('0312345678', { agentId: 'agent-old' });
    await postEvent(app, aOperator, old);
    await stream.call((p) => p.callId === old.callId);
    const oldId = Number(stream.lastEventId);
    stream.close();
    // The event happened 6 minutes ago (past the replay window); a newer one 1 minute ago.
    await db.owner.query(`UPDATE telephony_events SET at = now() - interval '6 minutes' WHERE id = $1`, [oldId]);
    const recent = inbound('0312345678', { agentId: 'agent-old' });
    await postEvent(app, aOperator, recent);

    const again = await openStream(url('?agentId=agent-old'), {
      ...auth(aOperator),
      'last-event-id': String(oldId - 1),
    });
    await again.call((p) => p.callId === recent.callId);
    expect(again.calls().map((p) => p.callId)).toEqual([recent.callId]);

    expect(await purgeCallEvents(db, new Date())).toBeGreaterThanOrEqual(1);
    const left = await db.owner.query<{ id: number }>('SELECT id FROM telephony_events WHERE id >= $1 ORDER BY id', [
      oldId,
    ]);
    expect(left.map((r) => r.id)).not.toContain(oldId);
    expect(left.length).toBeGreaterThanOrEqual(1);

    // A long absence: only the latest REPLAY_MAX.
    const flood = Array.from({ length: REPLAY_MAX + 5 }, () => inbound('', { agentId: 'agent-flood' }));
    for (const e of flood) await postEvent(app, aOperator, e);
    const back = await openStream(url('?agentId=agent-flood'), { ...auth(aOperator), 'last-event-id': '0' });
    const last = flood.at(-1)?.callId;
    await back.call((p) => p.callId === last);
    expect(back.calls().map((p) => p.callId)).toEqual(flood.slice(5).map((e) => e.callId));
  });
});

describe('with a short heartbeat', () => {
  let quick: TestApp;
  let quickBase: string;

  beforeAll(async () => {
    quick = await testApp({ env: { SSE_HEARTBEAT_MS: '100' } });
    quickBase = await listen(quick);
  });

  it('sends a comment line every SSE_HEARTBEAT_MS', async () => {
    const stream = await openStream(`${quickBase}/api/v1/telephony/stream`, auth(aOperator));
    const t0 = performance.now();
    await stream.waitFor(() => {
      const beats = stream.frames.filter((f) => f.comments.includes('keep-alive'));
      return beats.length >= 3 ? beats : undefined;
    }, 3_000);
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(stream.calls()).toEqual([]);
  });

  it('ends the stream when its token is revoked or its session signed out', async () => {
    const tokenRes = await quick.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: auth(a.adminToken),
      payload: { name: 'revoked soon', role: 'operator' },
    });
    const { id, token } = tokenRes.json();
    const byToken = await openStream(`${quickBase}/api/v1/telephony/stream`, auth(token));
    const user = await a.user('supervisor');
    const login = await quick.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: user.password },
    });
    const cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
    const bySession = await openStream(`${quickBase}/api/v1/telephony/stream`, { cookie });
    expect([byToken.response.status, bySession.response.status]).toEqual([200, 200]);
    await byToken.waitFor(() => byToken.frames.find((f) => f.comments.includes('keep-alive')));
    expect(byToken.ended || bySession.ended).toBe(false);

    expect(
      (await quick.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: auth(a.adminToken) })).statusCode,
    ).toBe(204);
    const logout = await quick.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie, 'x-csrf-token': login.json().csrfToken },
    });
    expect(logout.statusCode).toBeLessThan(300);
    expect(await byToken.waitEnd(2_000)).toBe(true);
    expect(await bySession.waitEnd(2_000)).toBe(true);
  });

  it('ends open streams when the server closes, and closes promptly', async () => {
    const closing = await testApp({ env: { SSE_HEARTBEAT_MS: '100' } });
    const closingBase = await listen(closing);
    const stream = await openStream(`${closingBase}/api/v1/telephony/stream`, auth(aOperator));
    expect(stream.response.status).toBe(200);
    const t0 = Date.now();
    await closing.close();
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(await stream.waitEnd(1_000)).toBe(true);
  });
});

describe('two servers on one PostgreSQL database (LISTEN/NOTIFY)', () => {
  let other: TestApp;
  let otherBase: string;

  beforeAll(async () => {
    // A second pool on the same database, as another server process would open.
    const [row] = await dbOf(app).owner.query<{ name: string }>('SELECT current_database() AS name');
    const db2 = await openDatabase({ url: databaseUrl(inject('pgAdminUrl') as string, row?.name ?? ''), poolSize: 3 });
    onCleanup(() => db2.close());
    other = await testApp({ db: db2 });
    otherBase = await listen(other);
  });

  it("an event posted to one server pops on the other's streams, once on its own, within 200 ms", async () => {
    const customer = await createCustomer(aOperator, '二台目 確認', '06-6000-1111');
    const there = await openStream(`${otherBase}/api/v1/telephony/stream`, auth(aOperator));
    const here = await openStream(`${base}/api/v1/telephony/stream`, auth(aOperator));
    const bThere = await openStream(`${otherBase}/api/v1/telephony/stream`, auth(bOperator));
    const warm = inbound('0660001111');
    await postEvent(app, aOperator, warm);
    await there.call((p) => p.callId === warm.callId);
    await here.call((p) => p.callId === warm.callId);
    const event = inbound('0660001111');
    const t0 = performance.now();
    await postEvent(app, aOperator, event);
    const { pop, at } = await there.call((p) => p.callId === event.callId);
    expect(at - t0).toBeLessThan(200);
    expect(pop.items.map((c) => c.id)).toEqual([customer.id]);
    await here.call((p) => p.callId === event.callId);

    // And back: the first server's stream gets the other's event; nobody gets anything twice.
    const back = inbound('0660001111');
    await postEvent(other, aOperator, back);
    await here.call((p) => p.callId === back.callId);
    await there.call((p) => p.callId === back.callId);
    expect(here.calls().map((p) => p.callId)).toEqual([warm.callId, event.callId, back.callId]);
    expect(there.calls().map((p) => p.callId)).toEqual([warm.callId, event.callId, back.callId]);
    expect(bThere.calls()).toEqual([]);
  });

  it('a reconnect to a server started after the event (a restart) replays it from the shared ids', async () => {
    const here = await openStream(`${base}/api/v1/telephony/stream?agentId=agent-x`, auth(aOperator));
    const seen = inbound('0312345678', { agentId: 'agent-x' });
    await postEvent(app, aOperator, seen);
    await here.call((p) => p.callId === seen.callId);
    here.close();
    const missed = inbound('0312345678', { agentId: 'agent-x' });
    await postEvent(app, aOperator, missed);
    // A server that starts now has no memory of either event, and was not listening when they
    // were NOTIFYed: what it sends comes from the table, the ids meaning the same there.
    const restarted = await testApp({ db: dbOf(other) });
    const there = await openStream(`${await listen(restarted)}/api/v1/telephony/stream?agentId=agent-x`, {
      ...auth(aOperator),
      'last-event-id': here.lastEventId,
    });
    await there.call((p) => p.callId === missed.callId);
    expect(there.calls().map((p) => p.callId)).toEqual([missed.callId]);
    expect(Number(there.lastEventId)).toBeGreaterThan(Number(here.lastEventId));
  });

  it('listens again after its LISTEN connection is cut', async () => {
    const there = await openStream(`${otherBase}/api/v1/telephony/stream`, auth(aOperator));
    const owner = dbOf(app).owner;
    const listening = `LISTEN ${TELEPHONY_CHANNEL}`;
    const killed = await owner.query<{ pid: number }>(
      `SELECT pg_terminate_backend(pid) AS ok, pid FROM pg_stat_activity
        WHERE datname = current_database() AND query = $1 AND pid <> pg_backend_pid()`,
      [listening],
    );
    expect(killed.length).toBeGreaterThanOrEqual(1);
    // Until both servers listen again (a new backend each), events cannot cross.
    const deadline = Date.now() + 5_000;
    let back = 0;
    while (Date.now() < deadline) {
      const rows = await owner.query(
        'SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND query = $1',
        [listening],
      );
      back = rows.length;
      if (back >= killed.length) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(back).toBeGreaterThanOrEqual(killed.length);
    const event = inbound('0312345678');
    await postEvent(app, aOperator, event);
    await there.call((p) => p.callId === event.callId, 2_000);
  });
});
