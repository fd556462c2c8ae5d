// The demo data's one source of chance: a seeded PRNG (mulberry32), so that every fresh demo
// tenant holds the same customers, orders and histories. No Math.random in demo data.
export type Rng = {
  /** [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** True with probability p. */
  chance(p: number): boolean;
  /** An item chosen with the given weights. */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  /** `n` decimal digits (the first one 1–9 unless told otherwise). */
  digits(n: number, first?: string): string;
};

export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: (items) => items[Math.floor(next() * items.length)] as (typeof items)[number],
    chance: (p) => next() < p,
    weighted(items) {
      const total = items.reduce((s, [, w]) => s + w, 0);
      let r = next() * total;
      for (const [item, w] of items) {
        r -= w;
        if (r < 0) return item;
      }
      return (items[items.length - 1] as (typeof items)[number])[0];
    },
    digits(n, first = '123456789') {
      let s = first[Math.floor(next() * first.length)] as string;
      while (s.length < n) s += String(int(0, 9));
      return s;
    },
  };
}

/** The instant of a Tokyo date (YYYY-MM-DD) at hh:mm. */
export function tokyoAt(date: string, hour: number, minute = 0): Date {
  return new Date(`${date}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00+09:00`);
}

/** A Tokyo date plus `days` (negative: before). */
export function addDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
