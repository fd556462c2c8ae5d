// GET /telephony/stream: a server-sent event stream of the caller's tenant's screen pops.
//
// The response is written by hand (reply.hijack): headers once, then frames as events come. It
// is never compressed or buffered (X-Accel-Buffering: no for nginx, no-transform for others); a
// comment line every SSE_HEARTBEAT_MS keeps proxies from closing it, and at each heartbeat the
// sign-in is checked again without touching it (an open stream does not keep a session alive):
// a signed-out, expired or idle session, a deactivated user or a revoked token ends the stream.
// A client that goes away, or reads too slowly, is unsubscribed at once.
//
// Every `event: call` frame has an `id:` (the event's, telephony.bus.ts). A reconnecting
// EventSource sends the last one it got as Last-Event-ID (a client that opens a new EventSource
// may pass `?lastEventId=` instead): the stream then starts with the events of the last minutes
// it missed, oldest first, and goes on live; an event that arrives live during the replay is
// sent once, after it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.js';
import { type Principal, principalOf } from '../../platform/auth/principal.js';
import type { NumberedPop, ScreenPopBus } from './telephony.bus.js';
import type { ScreenPop } from './telephony.schema.js';

/** Frames a client has not read yet beyond this: the client is too slow and is dropped. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** How long EventSource waits before it reconnects after the stream ends. */
const RETRY_MS = 2_000;

export type StreamDeps = { db: Database; bus: ScreenPopBus; heartbeatMs: number; idleMinutes: number };

export function screenPopFrame(pop: ScreenPop, id: number): string {
  // JSON.stringify escapes line breaks inside strings, so the data is one line.
  return `id: ${id}\nevent: call\ndata: ${JSON.stringify(pop)}\n\n`;
}

/** The event id a client last got: the Last-Event-ID header, else `?lastEventId=`; null if none or not an id. */
export function lastEventIdOf(header: string | string[] | undefined, query: string | undefined): number | null {
  const value = (Array.isArray(header) ? header[0] : header)?.trim() || query?.trim();
  if (!value || !/^\d{1,15}$/.test(value)) return null;
  return Number(value);
}

/** Whether the principal that opened a stream could still sign in now (no write, no touch). */
export async function stillSignedIn(db: Database, p: Principal, idleMinutes: number): Promise<boolean> {
  return db.withTenant(p.tenantId, async (tx) => {
    const rows =
      p.kind === 'session'
        ? await tx.query(
            `SELECT 1 FROM sessions s JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
              WHERE s.tenant_id = $1 AND s.id = $2 AND s.expires_at > now()
                AND s.last_seen_at > now() - $3::interval AND u.active
                AND (u.locked_until IS NULL OR u.locked_until < now())`,
            [p.tenantId, p.sessionId, `${idleMinutes} minutes`],
          )
        : await tx.query('SELECT 1 FROM api_tokens WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL', [
            p.tenantId,
            p.tokenId,
          ]);
    return rows.length > 0;
  });
}

export async function openScreenPopStream(
  req: FastifyRequest,
  reply: FastifyReply,
  deps: StreamDeps,
  agentId: string | null,
  lastEventId: number | null = null,
): Promise<void> {
  const principal = principalOf(req);
  const res = reply.raw;
  let ended = false;
  let heartbeat: NodeJS.Timeout | undefined;
  let unsubscribe = () => {};

  const opened = Date.now();
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    unsubscribe();
    if (!res.writableEnded) res.end();
    // A hijacked reply gets no "request completed" line from Fastify: this is its end.
    req.log.info({ seconds: Math.round((Date.now() - opened) / 1000) }, 'screen pop stream closed');
  };
  const write = (chunk: string) => {
    if (ended || res.destroyed) return;
    res.write(chunk);
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      req.log.warn('screen pop stream: the client reads too slowly; closed');
      end();
      res.destroy();
    }
  };

  // While the missed events are read, live ones wait here (then sent unless already replayed).
  let waiting: NumberedPop[] | null = lastEventId === null ? null : [];
  // Subscribed (and LISTENing) before the headers go out: an event posted once the client sees
  // the response reaches it.
  unsubscribe = await deps.bus.subscribe(principal.tenantId, {
    agentId,
    send: (pop, id) => {
      if (waiting) waiting.push({ id, pop });
      else write(screenPopFrame(pop, id));
    },
    end,
  });
  reply.hijack();
  if (req.raw.destroyed || res.destroyed) {
    end();
    return;
  }
  res.on('close', end);
  req.raw.socket?.setNoDelay(true);
  req.raw.socket?.setTimeout(0);
  // The headers hooks set on the reply (request id, helmet's) and the stream's own.
  for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) res.setHeader(name, value);
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-store, no-transform',
    'x-accel-buffering': 'no',
  });
  write(`retry: ${RETRY_MS}\n: connected\n\n`);
  if (lastEventId !== null) {
    let missed: NumberedPop[] = [];
    try {
      missed = await deps.bus.missed(principal.tenantId, agentId, lastEventId);
    } catch (err) {
      req.log.warn({ err: (err as Error).message }, 'screen pop stream: could not read the missed events');
    }
    const sent = new Set<number>();
    for (const m of missed) {
      write(screenPopFrame(m.pop, m.id));
      sent.add(m.id);
    }
    const live = waiting ?? [];
    waiting = null;
    for (const m of live) if (!sent.has(m.id)) write(screenPopFrame(m.pop, m.id));
  }
  if (ended) return;

  heartbeat = setInterval(() => {
    write(': keep-alive\n\n');
    stillSignedIn(deps.db, principal, deps.idleMinutes).then(
      (ok) => {
        if (!ok) {
          req.log.info('screen pop stream: the sign-in ended; closed');
          end();
        }
      },
      (err: Error) => req.log.warn({ err: err.message }, 'screen pop stream: could not re-check the sign-in'),
    );
  }, deps.heartbeatMs);
}
