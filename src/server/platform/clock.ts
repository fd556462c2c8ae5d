/** The time, injectable so that tests control it (due times, expiries) without sleeping. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock a test moves by hand. */
export class ManualClock implements Clock {
  constructor(private current: Date = new Date()) {}
  now(): Date {
    return new Date(this.current);
  }
  set(to: Date): void {
    this.current = new Date(to);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/**
 * The system clock shifted by an offset that can be set while the server runs: the clock of a
 * server started with MADOGUCHI_TEST_CLOCK=1, which an end-to-end test moves through
 * `POST /api/v1/test/clock` (due times pass without sleeping). Time keeps running from where it
 * was set. Never used otherwise.
 */
export class OffsetClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  set(to: Date): void {
    this.offsetMs = to.getTime() - Date.now();
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/** A clock a test can move: ManualClock or OffsetClock. */
export type SettableClock = Clock & { set(to: Date): void; advance(ms: number): void };

export function isSettableClock(clock: Clock): clock is SettableClock {
  const c = clock as Partial<SettableClock>;
  return typeof c.set === 'function' && typeof c.advance === 'function';
}
