/**
 * An order's money, the Japanese way (CONTRACTS.md "POST /orders", 適格請求書 rules). Integer yen.
 *
 * - amount of a line = unitPrice × quantity, in the tenant's price mode (tax included or not);
 * - the discount (campaigns) comes off the goods only, allocated to the tax rates in proportion to
 *   the goods at each rate (largest remainder: the parts are whole yen and add up exactly);
 * - taxableAmount per rate = the goods at that rate − their share of the discount, plus at 10 %
 *   the shipping fee and the payment (COD) fee;
 * - tax per rate = R(taxable × rate / (100 + rate)) when prices include tax, R(taxable × rate / 100)
 *   when they do not — ONE rounding per rate per order, R the tenant's rounding;
 * - total = what the customer pays: the taxable amounts, plus the taxes when prices exclude them.
 */

export type PriceMode = 'included' | 'excluded';
export type Rounding = 'floor' | 'round' | 'ceil';
export type TaxRate = 8 | 10;

export type MoneyLine = { unitPrice: number; quantity: number; taxRate: TaxRate };
export type MoneyInput = {
  priceMode: PriceMode;
  rounding: Rounding;
  lines: MoneyLine[];
  shippingFee: number;
  paymentFee: number;
  discount: number;
};
export type RateTotal = { rate: TaxRate; taxableAmount: number; tax: number; discount: number };
export type MoneyTotals = {
  amounts: number[];
  /** The goods before the discount. */
  subtotal: number;
  /** The discount applied (never more than the goods). */
  discount: number;
  taxes: RateTotal[];
  taxTotal: number;
  total: number;
};

const RATES: TaxRate[] = [8, 10];

function checkYen(name: string, v: number): void {
  if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${name} must be a non-negative integer (yen)`);
}

/** n / d rounded as the tenant says (n ≥ 0, d > 0, both integers); half-up for 'round' (四捨五入). */
export function divide(n: number, d: number, rounding: Rounding): number {
  const q = Math.floor(n / d);
  const r = n - q * d;
  if (r === 0) return q;
  if (rounding === 'floor') return q;
  if (rounding === 'ceil') return q + 1;
  return 2 * r >= d ? q + 1 : q;
}

/** The tax in a tax-included or tax-excluded amount at a rate, rounded once. */
export function taxOf(amount: number, rate: TaxRate, mode: PriceMode, rounding: Rounding): number {
  return mode === 'included' ? divide(amount * rate, 100 + rate, rounding) : divide(amount * rate, 100, rounding);
}

/**
 * Splits `total` yen over `weights` in proportion, in whole yen that add up to `total`: each part
 * is the floor of its exact share, and the yen left go to the largest remainders (ties: the
 * higher weight, then the earlier position).
 */
export function allocate(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0 || total === 0) return weights.map(() => 0);
  const parts = weights.map((w) => Math.floor((total * w) / sum));
  const rema = weights.map((w, i) => ({ i, w, r: total * w - (parts[i] as number) * sum }));
  let left = total - parts.reduce((a, b) => a + b, 0);
  rema.sort((a, b) => b.r - a.r || b.w - a.w || a.i - b.i);
  for (const { i } of rema) {
    if (left === 0) break;
    parts[i] = (parts[i] as number) + 1;
    left--;
  }
  return parts;
}

export function orderTotals(input: MoneyInput): MoneyTotals {
  checkYen('shippingFee', input.shippingFee);
  checkYen('paymentFee', input.paymentFee);
  checkYen('discount', input.discount);
  const amounts = input.lines.map((l, i) => {
    checkYen(`lines[${i}].unitPrice`, l.unitPrice);
    if (!Number.isSafeInteger(l.quantity) || l.quantity < 1) throw new RangeError(`lines[${i}].quantity must be ≥ 1`);
    return l.unitPrice * l.quantity;
  });
  const subtotal = amounts.reduce((a, b) => a + b, 0);
  const goodsByRate = RATES.map((rate) =>
    input.lines.reduce((sum, l, i) => (l.taxRate === rate ? sum + (amounts[i] as number) : sum), 0),
  );
  const discount = Math.min(input.discount, subtotal);
  const discountByRate = allocate(discount, goodsByRate);
  const fees = input.shippingFee + input.paymentFee;
  const taxes: RateTotal[] = [];
  RATES.forEach((rate, k) => {
    const hasLines = input.lines.some((l) => l.taxRate === rate);
    const taxableAmount = (goodsByRate[k] as number) - (discountByRate[k] as number) + (rate === 10 ? fees : 0);
    if (!hasLines && taxableAmount === 0) return;
    taxes.push({
      rate,
      taxableAmount,
      tax: taxOf(taxableAmount, rate, input.priceMode, input.rounding),
      discount: discountByRate[k] as number,
    });
  });
  const taxTotal = taxes.reduce((a, t) => a + t.tax, 0);
  const taxable = taxes.reduce((a, t) => a + t.taxableAmount, 0);
  return {
    amounts,
    subtotal,
    discount,
    taxes,
    taxTotal,
    total: input.priceMode === 'included' ? taxable : taxable + taxTotal,
  };
}
