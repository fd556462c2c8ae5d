// The screen-pop bus: telephony events in, screen pops (the event plus the caller's customers)
// out to the open streams of the event's tenant.
//
// One process: subscribers are kept in memory by tenant. Several processes on one PostgreSQL
// server: each event is also NOTIFYed on CHANNEL with its tenant id, its id and the event's own
// fields (ids and numbers, well under NOTIFY's 8,000-byte limit); every process LISTENs on a
// dedicated owner connection (taken when its first stream opens) and serves its own streams. The
// customer look-up is made by each process that has a matching stream, once per event, never
// per stream, and never for a tenant with no stream open. A process skips its own notifications:
// it has already served them, without the round trip. PGlite is one process: memory only.
//
// Replay (`Last-Event-ID`): every event is stored in telephony_events (0015) by the statement
// that NOTIFYs it, and the row's id is the frame's `id:`. A table, not a ring buffer in each
// process's memory, because the id then comes from one database sequence: it increases for every
// server of the installation and survives a restart, so a client that reconnects to another
// server, or to a restarted one, is sent exactly the rows after its id that are still kept (the
// last REPLAY_WINDOW_MS, at most REPLAY_MAX) or nothing, never an event it did not miss or one
// of another tenant (RLS) or agent. A replayed event is looked up again (customers are not
// stored). Storing costs no latency: the insert and the look-up run side by side.
//
// Order: one process stores a tenant's events one after another (so their ids rise in the order
// they were published) and sends them to its streams in that order, while the look-ups run side
// by side: a stream receives a tenant's events in id order, and its Last-Event-ID is the newest it
// has. (Events published by another server arrive as that server's NOTIFYs do: in id order among
// themselves, interleaved with this server's own.)
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import type { Database, Listener } from '../../db/database.js';
import type { Clock } from '../../platform/clock.js';
import { lookupByPhone } from '../customers/customers.service.js';
import { type CallEvent, callEventSchema, customerNumberOf, type ScreenPop } from './telephony.schema.js';

export const TELEPHONY_CHANNEL = 'madoguchi_telephony';

const wireSchema = z.object({
  o: z.string().max(64),
  t: z.uuid(),
  i: z.number().int().positive(),
  e: callEventSchema,
});

/** How far back a reconnecting stream is replayed: a call that rang longer ago is over. */
export const REPLAY_WINDOW_MS = 5 * 60_000;
/** At most this many events are replayed to one stream (the latest ones). */
export const REPLAY_MAX = 100;

/** A screen pop with its event id (the frame's `id:`, what EventSource sends back as Last-Event-ID). */
export type NumberedPop = { id: number; pop: ScreenPop };

type EventRow = {
  id: number;
  call_id: string;
  event: CallEvent['event'];
  from_number: string;
  to_number: string;
  direction: CallEvent['direction'];
  agent_id: string | null;
  at: Date;
};

const INSERT_EVENT = `INSERT INTO telephony_events (tenant_id, call_id, event, from_number, to_number, direction, agent_id, at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`;

export type Subscriber = {
  /** Only events for this agent; null for every event of the tenant. */
  agentId: string | null;
  send(pop: ScreenPop, id: number): void;
  /** Ends the subscriber's stream (the server is closing). */
  end(): void;
};

const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 30_000;

export class ScreenPopBus {
  private readonly origin = randomUUID();
  private readonly subscribers = new Map<string, Set<Subscriber>>();
  /** Per tenant: the last event's store, and its delivery, that the next one waits for. */
  private readonly stores = new Map<string, Promise<unknown>>();
  private readonly chains = new Map<string, Promise<unknown>>();
  private listener: Listener | null = null;
  private listening: Promise<void> | null = null;
  private retryMs = RETRY_MIN_MS;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Open subscriptions in this process (all tenants). */
  get size(): number {
    let n = 0;
    for (const set of this.subscribers.values()) n += set.size;
    return n;
  }

  /**
   * Adds a subscriber and resolves once events published anywhere will reach it (this process
   * is LISTENing). Answers the function that removes it.
   */
  async subscribe(tenantId: string, sub: Subscriber): Promise<() => void> {
    if (this.closed) throw new Error('the screen-pop bus is closed');
    let set = this.subscribers.get(tenantId);
    if (!set) {
      set = new Set();
      this.subscribers.set(tenantId, set);
    }
    set.add(sub);
    const remove = () => {
      const current = this.subscribers.get(tenantId);
      if (!current?.delete(sub)) return;
      if (current.size === 0) this.subscribers.delete(tenantId);
    };
    try {
      await this.ensureListening();
    } catch (err) {
      remove();
      throw err;
    }
    return remove;
  }

  /**
   * Publishes one event of a tenant: stored (for replay) and NOTIFYed to the other processes in
   * one statement, and served here at once. Answers the event's id.
   */
  async publish(tenantId: string, event: Omit<CallEvent, 'at'> & { at?: string }): Promise<number> {
    const e: CallEvent = { ...event, at: event.at ?? this.clock.now().toISOString() };
    const stored = this.serial(this.stores, tenantId, () => this.store(tenantId, e));
    // The delivery waits for the id (and gives up if the event could not be stored: the caller
    // gets the error and its PBX may send the event again, so it must not pop twice).
    this.enqueue(tenantId, e, stored);
    return stored;
  }

  /**
   * The events of the tenant after `afterId` (the stream's agent's only, when given) that a
   * reconnecting stream missed, oldest first, each with its customers looked up now. Bounded by
   * REPLAY_WINDOW_MS and REPLAY_MAX (the latest ones are kept).
   */
  async missed(tenantId: string, agentId: string | null, afterId: number): Promise<NumberedPop[]> {
    const since = new Date(this.clock.now().getTime() - REPLAY_WINDOW_MS);
    const rows = await this.db.queryInTenant<EventRow>(
      tenantId,
      `SELECT * FROM (
         SELECT id, call_id, event, from_number, to_number, direction, agent_id, at
           FROM telephony_events
          WHERE tenant_id = $1 AND id > $2 AND at >= $3 AND ($4::text IS NULL OR agent_id = $4)
          ORDER BY id DESC LIMIT $5) latest
        ORDER BY id`,
      [tenantId, afterId, since, agentId, REPLAY_MAX],
    );
    // One look-up per number, however many of its events are replayed.
    const lookups = new Map<string, Promise<Pick<ScreenPop, 'items' | 'lookupFailed'>>>();
    return Promise.all(
      rows.map(async (r) => {
        const e: CallEvent = {
          callId: r.call_id,
          event: r.event,
          from: r.from_number,
          to: r.to_number,
          direction: r.direction,
          agentId: r.agent_id,
          at: r.at.toISOString(),
        };
        const number = customerNumberOf(e);
        let found = lookups.get(number);
        if (!found) {
          found = this.customersOf(tenantId, number);
          lookups.set(number, found);
        }
        return { id: r.id, pop: { ...e, ...(await found) } };
      }),
    );
  }

  private async store(tenantId: string, e: CallEvent): Promise<number> {
    const values = [tenantId, e.callId, e.event, e.from, e.to, e.direction, e.agentId, e.at];
    if (this.db.kind !== 'pg') {
      const [row] = await this.db.queryInTenant<{ id: number }>(tenantId, INSERT_EVENT, values);
      if (!row) throw new Error('screen pop: the event was not stored');
      return row.id;
    }
    // NOTIFY is sent at COMMIT, so another server never hears of an event it cannot replay. The
    // commit does not wait for the disk (synchronous_commit off, this transaction only): the row
    // serves a replay of a few minutes, and a crash that loses the last ones loses only replays.
    const [row] = await this.db.queryInTenant<{ id: number }>(
      tenantId,
      `WITH async AS (SELECT set_config('synchronous_commit', 'off', true)), stored AS (${INSERT_EVENT})
       SELECT stored.id, pg_notify($9, json_build_object('o', $10::text, 't', $1::uuid, 'i', stored.id, 'e', $11::json)::text)
         FROM stored, async`,
      [...values, TELEPHONY_CHANNEL, this.origin, JSON.stringify(e)],
    );
    if (!row) throw new Error('screen pop: the event was not stored');
    return row.id;
  }

  /** Ends every open stream (before the HTTP server closes: it waits for open responses). */
  endAll(): void {
    for (const set of [...this.subscribers.values()]) for (const sub of [...set]) sub.end();
  }

  /** Ends every stream and releases the LISTEN connection. */
  async close(): Promise<void> {
    this.closed = true;
    this.endAll();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const listener = this.listener;
    this.listener = null;
    this.listening = null;
    await listener?.close();
  }

  private ensureListening(): Promise<void> {
    if (this.db.kind !== 'pg' || !this.db.listen) return Promise.resolve();
    this.listening ??= this.startListening();
    return this.listening;
  }

  private async startListening(): Promise<void> {
    const listen = this.db.listen;
    if (!listen) return;
    try {
      const listener = await listen(
        TELEPHONY_CHANNEL,
        (payload) => this.onNotification(payload),
        (err) => this.onLost(err),
      );
      if (this.closed) {
        await listener.close();
        return;
      }
      this.listener = listener;
      this.retryMs = RETRY_MIN_MS;
    } catch (err) {
      this.listening = null;
      throw err;
    }
  }

  /** The LISTEN connection failed: listen again, with backoff, until the bus closes. */
  private onLost(err: Error): void {
    this.listener = null;
    this.listening = null;
    if (this.closed) return;
    this.log.warn({ err: err.message, retryMs: this.retryMs }, 'screen pop: LISTEN connection lost');
    this.retryTimer ??= setTimeout(() => {
      this.retryTimer = null;
      if (this.closed) return;
      this.ensureListening().catch((e: Error) => this.onLost(e));
    }, this.retryMs).unref();
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }

  private onNotification(payload: string): void {
    let parsed: z.infer<typeof wireSchema>;
    try {
      parsed = wireSchema.parse(JSON.parse(payload));
    } catch {
      this.log.warn('screen pop: ignored a malformed notification');
      return;
    }
    if (parsed.o === this.origin) return;
    this.enqueue(parsed.t, parsed.e, Promise.resolve(parsed.i));
  }

  /** Runs `task` after the previous task of `key` in `chains` has settled. */
  private serial<T>(chains: Map<string, Promise<unknown>>, key: string, task: () => Promise<T>): Promise<T> {
    const run = (chains.get(key) ?? Promise.resolve()).then(task, task);
    const settled = run.then(
      () => {},
      () => {},
    );
    chains.set(key, settled);
    void settled.then(() => {
      if (chains.get(key) === settled) chains.delete(key);
    });
    return run;
  }

  private enqueue(tenantId: string, e: CallEvent, id: Promise<number>): void {
    if (!this.subscribers.has(tenantId)) {
      id.catch(() => {}); // the publisher gets the error
      return;
    }
    // The look-up starts now; the frame goes out after the tenant's previous one.
    const ready = this.prepare(tenantId, e, id);
    void this.serial(this.chains, tenantId, async () => this.send(tenantId, e, await ready));
  }

  /** The customers of a number, or lookupFailed. Never throws. */
  private async customersOf(tenantId: string, number: string): Promise<Pick<ScreenPop, 'items' | 'lookupFailed'>> {
    try {
      const { items } = await lookupByPhone(this.db, { tenantId }, number);
      return { items };
    } catch (err) {
      this.log.error({ err }, 'screen pop: customer look-up failed');
      return { items: [], lookupFailed: true };
    }
  }

  /** The event's id and its customers (looked up once), or null when it is not to be sent. Never throws. */
  private async prepare(
    tenantId: string,
    e: CallEvent,
    stored: Promise<number>,
  ): Promise<{ id: number; pop: ScreenPop } | null> {
    if (![...(this.subscribers.get(tenantId) ?? [])].some((s) => matches(s, e))) {
      stored.catch(() => {});
      return null;
    }
    const [id, found] = await Promise.all([
      stored.catch((err: Error) => {
        this.log.error({ err }, 'screen pop: the event could not be stored; not sent');
        return null;
      }),
      this.customersOf(tenantId, customerNumberOf(e)),
    ]);
    return id === null ? null : { id, pop: { ...e, ...found } };
  }

  /** Sends a prepared screen pop to every matching stream open now. Never throws. */
  private send(tenantId: string, e: CallEvent, ready: { id: number; pop: ScreenPop } | null): void {
    if (!ready) return;
    // The streams open now (one may have closed, or opened, during the look-up).
    for (const sub of [...(this.subscribers.get(tenantId) ?? [])]) {
      if (!matches(sub, e)) continue;
      try {
        sub.send(ready.pop, ready.id);
      } catch (err) {
        this.log.error({ err }, 'screen pop: a stream failed');
      }
    }
  }
}

const matches = (s: Subscriber, e: CallEvent) => s.agentId === null || s.agentId === e.agentId;
