import { describe, expect, it } from 'vitest';
import type { PaymentMethod } from '../../api/catalogue';
import { draftFromReorder, emptyDraft, errorKey, filledLines, newLine, parseQuantity, toInput } from './orderFormModel';

const product = (code: string, unitPrice = 1000, taxRate = 8) => ({
  id: `id-${code}`,
  code,
  name: `name ${code}`,
  unitPrice,
  taxRate,
});
const cod = { id: 'pm-cod', code: 'COD', name: '代金引換' } as PaymentMethod;

describe('order form model', () => {
  it('reads quantities typed in half or full width, 1 to 9999 only', () => {
    expect(parseQuantity('2')).toBe(2);
    expect(parseQuantity('１２')).toBe(12);
    expect(parseQuantity(' 3 ')).toBe(3);
    for (const bad of ['', '0', '-1', '1.5', '10000', 'x']) expect(parseQuantity(bad)).toBeNull();
  });

  it('sends only the lines with a product and a valid quantity, and the chosen payment method by code', () => {
    const draft = {
      ...emptyDraft('sagawa', 'origin-1'),
      lines: [
        newLine(product('A'), 2),
        newLine(),
        newLine(product('B'), 1),
        { ...newLine(product('C')), quantity: '0' },
      ],
      paymentMethodId: 'pm-cod',
      campaignCode: ' ｔｖ2980 ',
      desiredDeliveryDate: '',
    };
    const input = toInput(draft, 'cust-1');
    expect(input.lines).toEqual([
      { productId: 'id-A', quantity: 2 },
      { productId: 'id-B', quantity: 1 },
    ]);
    expect(input).toMatchObject({
      customerId: 'cust-1',
      carrier: 'sagawa',
      originId: 'origin-1',
      paymentMethodId: 'pm-cod',
      campaignCode: 'tv2980',
    });
    // Empty fields are left out, never sent as null.
    expect(JSON.parse(JSON.stringify(input))).not.toHaveProperty('desiredDeliveryDate');
    expect(JSON.parse(JSON.stringify(input))).not.toHaveProperty('addressId');
  });

  it('puts a server error of the n-th sent line on the draft line it came from', () => {
    const a = newLine(product('A'));
    const empty = newLine();
    const b = newLine(product('B'));
    const draft = { ...emptyDraft(), lines: [a, empty, b] };
    expect(filledLines(draft).map((l) => l.line.key)).toEqual([a.key, b.key]);
    expect(errorKey('lines.1.quantity', draft)).toBe(`lines.${b.key}.quantity`);
    expect(errorKey('/lines/0/productId', draft)).toBe(`lines.${a.key}.code`);
    expect(errorKey('body.campaignCode', draft)).toBe('campaignCode');
    expect(errorKey('paymentMethod', draft)).toBe('paymentMethodId');
    expect(errorKey('lines', draft)).toBe('lines');
    expect(errorKey('somethingElse', draft)).toBeNull();
  });

  it("makes a re-order draft named from the old order's sold lines, with the old choices", () => {
    const base = emptyDraft('yamato', 'origin-1');
    const draft = draftFromReorder(
      {
        lines: [{ productId: 'p1', quantity: 2 }],
        unavailable: [{ productId: 'p3', productName: 'old' }],
        carrier: 'japanpost',
        addressId: 'addr-1',
        paymentMethodId: 'pm-cod',
        deliveryTimeSlot: '14',
        sortCode: null,
      },
      base,
      [cod],
      [
        {
          kind: 'present',
          productId: 'p1',
          productCode: 'P',
          productName: 'P',
          quantity: 1,
          unitPrice: 0,
          amount: 0,
          taxRate: 10,
        },
        {
          kind: 'item',
          productId: 'p1',
          productCode: 'A',
          productName: 'A',
          quantity: 2,
          unitPrice: 100,
          amount: 200,
          taxRate: 8,
        },
      ],
    );
    expect(draft.lines.map((l) => [l.code, l.quantity])).toEqual([
      ['A', '2'],
      ['', '1'],
    ]);
    expect(draft).toMatchObject({
      carrier: 'japanpost',
      addressId: 'addr-1',
      paymentMethodId: 'pm-cod',
      deliveryTimeSlot: '14',
      campaignCode: '',
      originId: 'origin-1',
    });
  });
});
