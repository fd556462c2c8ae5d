import { useSyncExternalStore } from 'react';
import type { Customer } from '../../api/customers';

export type CallEventName = 'ringing' | 'answered' | 'ended';

/** The `data` of an `event: call` frame of GET /telephony/stream (CONTRACTS.md "Telephony"). */
export interface ScreenPopEvent {
  callId: string;
  event: CallEventName;
  from: string;
  to: string;
  direction: 'inbound' | 'outbound';
  agentId: string | null;
  at?: string;
  items: Customer[];
  lookupFailed?: true;
}

export type StreamState = 'connecting' | 'open' | 'closed';

interface State {
  call: ScreenPopEvent | null;
  stream: StreamState;
  /** A call whose several matching customers wait for the operator to pick one. */
  picking: ScreenPopEvent | null;
}

let state: State = { call: null, stream: 'closed', picking: null };
const listeners = new Set<() => void>();

function set(patch: Partial<State>): void {
  state = { ...state, ...patch };
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export const callStore = {
  get: () => state,
  setCall: (call: ScreenPopEvent | null) => set({ call }),
  setStream: (stream: StreamState) => set({ stream }),
  setPicking: (picking: ScreenPopEvent | null) => set({ picking }),
  subscribe,
};

export function useCallState<T>(select: (s: State) => T): T {
  return useSyncExternalStore(subscribe, () => select(state));
}

/** The customer's number of a call: the caller when inbound, the called party when outbound. */
export function customerNumber(call: Pick<ScreenPopEvent, 'direction' | 'from' | 'to'>): string {
  return call.direction === 'outbound' ? call.to : call.from;
}

/**
 * The live call (not ended) with this customer, if any: one whose caller matched the customer,
 * or the call this monitor was opened for (a new customer registered from the screen pop).
 */
export function useLiveCallFor(customerId: string, callId?: string): ScreenPopEvent | null {
  return useCallState((s) =>
    s.call && s.call.event !== 'ended' && (s.call.callId === callId || s.call.items.some((c) => c.id === customerId))
      ? s.call
      : null,
  );
}

/**
 * The ids of the stream's `call` frames already handled. After a reconnect the server replays
 * what came after the last id the browser got; should a frame come again anyway (events of two
 * servers committed out of order), first() says so and it is skipped. `last` is the id to resume
 * from when a new EventSource is opened (it cannot send Last-Event-ID itself).
 */
export function eventTracker(kept = 500) {
  const handled = new Set<string>();
  let last = '';
  return {
    /** True the first time an id is seen (and for frames with no id); false for a repeat. */
    first(id: string): boolean {
      if (!id) return true;
      if (handled.has(id)) return false;
      handled.add(id);
      if (handled.size > kept) handled.delete(handled.values().next().value as string);
      last = id;
      return true;
    },
    get last(): string {
      return last;
    },
  };
}
