import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, divide, type MoneyInput, orderTotals, type Rounding } from './order-totals.js';

// Independent model: exact rationals with BigInt, rounding by comparing remainders.
function modelRound(n: bigint, d: bigint, rounding: Rounding): bigint {
  const q = n / d; // n, d ≥ 0: truncation is floor
  const r = n % d;
  if (r === 0n || rounding === 'floor') return q;
  if (rounding === 'ceil') return q + 1n;
  return r * 2n >= d ? q + 1n : q;
}

const lineArb = fc.record({
  unitPrice: fc.integer({ min: 0, max: 200_000 }),
  quantity: fc.integer({ min: 1, max: 50 }),
  taxRate: fc.constantFrom(8 as const, 10 as const),
});
const inputArb: fc.Arbitrary<MoneyInput> = fc.record({
  priceMode: fc.constantFrom('included' as const, 'excluded' as const),
  rounding: fc.constantFrom('floor' as const, 'round' as const, 'ceil' as const),
  lines: fc.array(lineArb, { minLength: 1, maxLength: 8 }),
  shippingFee: fc.integer({ min: 0, max: 3_000 }),
  paymentFee: fc.integer({ min: 0, max: 1_100 }),
  discount: fc.integer({ min: 0, max: 100_000 }),
});

describe('order totals', () => {
  it('taxes each rate once, on the rate’s goods less its share of the discount (+ fees at 10 %)', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const t = orderTotals(input);
        const goods = (rate: number) =>
          input.lines
            .filter((l) => l.taxRate === rate)
            .reduce((s, l) => s + BigInt(l.unitPrice) * BigInt(l.quantity), 0n);
        const subtotal = goods(8) + goods(10);
        expect(BigInt(t.subtotal)).toBe(subtotal);
        const discount = BigInt(input.discount) < subtotal ? BigInt(input.discount) : subtotal;
        expect(BigInt(t.discount)).toBe(discount);
        // The discount's parts add up and each is within one yen of its exact share.
        expect(t.taxes.reduce((s, r) => s + r.discount, 0)).toBe(t.discount);
        for (const r of t.taxes) {
          if (subtotal === 0n) {
            expect(r.discount).toBe(0);
            continue;
          }
          const exact = Number(discount * goods(r.rate)) / Number(subtotal);
          expect(Math.abs(r.discount - exact)).toBeLessThan(1);
          const fees = r.rate === 10 ? BigInt(input.shippingFee + input.paymentFee) : 0n;
          expect(BigInt(r.taxableAmount)).toBe(goods(r.rate) - BigInt(r.discount) + fees);
          const n = BigInt(r.taxableAmount) * BigInt(r.rate);
          const d = input.priceMode === 'included' ? BigInt(100 + r.rate) : 100n;
          expect(BigInt(r.tax)).toBe(modelRound(n, d, input.rounding));
        }
        const taxable = t.taxes.reduce((s, r) => s + r.taxableAmount, 0);
        expect(taxable).toBe(Number(subtotal - discount) + input.shippingFee + input.paymentFee);
        expect(t.total).toBe(input.priceMode === 'included' ? taxable : taxable + t.taxTotal);
      }),
      { numRuns: 3000 },
    );
  });

  it('matches a worked invoice: ¥3,240 × 2 at 8 %, ¥1,100 at 10 %, ¥600 shipping, ¥330 COD, ¥500 off', () => {
    const t = orderTotals({
      priceMode: 'included',
      rounding: 'floor',
      lines: [
        { unitPrice: 3240, quantity: 2, taxRate: 8 },
        { unitPrice: 1100, quantity: 1, taxRate: 10 },
      ],
      shippingFee: 600,
      paymentFee: 330,
      discount: 500,
    });
    // Discount 500 over goods 6,480 : 1,100 → 427.44… and 72.55… → 427 and 73 (largest remainder).
    expect(t.taxes).toEqual([
      { rate: 8, taxableAmount: 6053, tax: 448, discount: 427 },
      { rate: 10, taxableAmount: 1957, tax: 177, discount: 73 },
    ]);
    expect(t).toMatchObject({ subtotal: 7580, discount: 500, taxTotal: 625, total: 8010 });
  });

  it('adds the taxes when prices exclude them, and rounds as the tenant says', () => {
    const base = {
      priceMode: 'excluded' as const,
      lines: [{ unitPrice: 999, quantity: 1, taxRate: 8 as const }],
      shippingFee: 0,
      paymentFee: 0,
      discount: 0,
    };
    expect(orderTotals({ ...base, rounding: 'floor' }).taxes[0]?.tax).toBe(79); // 79.92
    expect(orderTotals({ ...base, rounding: 'round' }).taxes[0]?.tax).toBe(80);
    expect(orderTotals({ ...base, rounding: 'ceil' }).total).toBe(1079);
    // Shipping alone is a 10 % line even with only 8 % goods.
    expect(orderTotals({ ...base, rounding: 'floor', shippingFee: 600 }).taxes.map((r) => r.rate)).toEqual([8, 10]);
  });

  it('rounds half up, and splits remainders fairly', () => {
    expect(divide(5, 2, 'round')).toBe(3);
    expect(divide(7, 2, 'floor')).toBe(3);
    expect(divide(7, 2, 'ceil')).toBe(4);
    expect(allocate(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(allocate(0, [5, 5])).toEqual([0, 0]);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.array(fc.integer({ min: 0, max: 1e6 }), { minLength: 1, maxLength: 6 }),
        (total, w) => {
          const parts = allocate(total, w);
          const sum = w.reduce((a, b) => a + b, 0);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(sum === 0 ? 0 : total);
          parts.forEach((p, i) => {
            if (sum > 0) expect(Math.abs(p - (total * (w[i] as number)) / sum)).toBeLessThan(1);
          });
        },
      ),
    );
  });

  it('refuses fractional or negative yen', () => {
    expect(() =>
      orderTotals({
        priceMode: 'included',
        rounding: 'floor',
        lines: [{ unitPrice: 1.5, quantity: 1, taxRate: 8 }],
        shippingFee: 0,
        paymentFee: 0,
        discount: 0,
      }),
    ).toThrow(RangeError);
    expect(() =>
      orderTotals({ priceMode: 'included', rounding: 'floor', lines: [], shippingFee: -1, paymentFee: 0, discount: 0 }),
    ).toThrow(RangeError);
  });
});
