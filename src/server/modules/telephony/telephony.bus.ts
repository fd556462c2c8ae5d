// The screen-pop bus: telephony events in, screen pops (the event plus the caller's customers)
// out to the open streams of the event's tenant.
//
// One process: subscribers are kept in memory by tenant. Several processes on one PostgreSQL
// server: each event is also NOTIFYed on CHANNEL with its tenant id and the event's own fields
// (ids and numbers, well under NOTIFY's 8,000-byte limit); every process LISTENs on a dedicated
// owner connection (taken when its first stream opens) and serves its own streams. The
// customer look-up is made by each process that has a matching stream, once per event, never
// per stream, and never for a tenant with no stream open. A process skips its own notifications:
// it has already served them, without the round trip. PGlite is one process: memory only.
//
// Events of one call reach a stream in the order they were published by one process (the
// look-ups of one call are chained).
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import type { Database, Listener } from '../../db/database.js';
import type { Clock } from '../../platform/clock.js';
import { lookupByPhone } from '../customers/customers.service.js';
import { type CallEvent, callEventSchema, customerNumberOf, type ScreenPop } from './telephony.schema.js';

export const TELEPHONY_CHANNEL = 'madoguchi_telephony';

const wireSchema = z.object({ o: z.string().max(64), t: z.uuid(), e: callEventSchema });

export type Subscriber = {
  /** Only events for this agent; null for every event of the tenant. */
  agentId: string | null;
  send(pop: ScreenPop): void;
  /** Ends the subscriber's stream (the server is closing). */
  end(): void;
};

const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 30_000;

export class ScreenPopBus {
  private readonly origin = randomUUID();
  private readonly subscribers = new Map<string, Set<Subscriber>>();
  /** The pending delivery of each call (`tenant:callId`), so that a call's events stay in order. */
  private readonly chains = new Map<string, Promise<void>>();
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

  /** Publishes one event of a tenant: served here at once, and NOTIFYed to the other processes. */
  async publish(tenantId: string, event: Omit<CallEvent, 'at'> & { at?: string }): Promise<void> {
    const e: CallEvent = { ...event, at: event.at ?? this.clock.now().toISOString() };
    this.enqueue(tenantId, e);
    if (this.db.kind === 'pg') {
      await this.db.app.query('SELECT pg_notify($1, $2)', [
        TELEPHONY_CHANNEL,
        JSON.stringify({ o: this.origin, t: tenantId, e }),
      ]);
    }
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
    this.enqueue(parsed.t, parsed.e);
  }

  private enqueue(tenantId: string, e: CallEvent): void {
    if (!this.subscribers.has(tenantId)) return;
    const key = `${tenantId}:${e.callId}`;
    const next = (this.chains.get(key) ?? Promise.resolve()).then(() => this.deliver(tenantId, e));
    this.chains.set(key, next);
    void next.then(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
  }

  /** Looks the customer up once and sends the screen pop to every matching stream. Never throws. */
  private async deliver(tenantId: string, e: CallEvent): Promise<void> {
    const matching = (s: Subscriber) => s.agentId === null || s.agentId === e.agentId;
    if (![...(this.subscribers.get(tenantId) ?? [])].some(matching)) return;
    let pop: ScreenPop;
    try {
      const { items } = await lookupByPhone(this.db, { tenantId }, customerNumberOf(e));
      pop = { ...e, items };
    } catch (err) {
      this.log.error({ err }, 'screen pop: customer look-up failed');
      pop = { ...e, items: [], lookupFailed: true };
    }
    // The streams open now (one may have closed, or opened, during the look-up).
    for (const sub of [...(this.subscribers.get(tenantId) ?? [])]) {
      if (!matching(sub)) continue;
      try {
        sub.send(pop);
      } catch (err) {
        this.log.error({ err }, 'screen pop: a stream failed');
      }
    }
  }
}
