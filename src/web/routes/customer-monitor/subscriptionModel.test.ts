import { describe, expect, it } from 'vitest';
import { en } from '../../i18n/en';
import { ja } from '../../i18n/ja';
import {
  cycleDraftOf,
  describeCycle,
  emptyCycleDraft,
  handoverBody,
  previewDeliveries,
  summaryChanges,
  toCycleInput,
} from './subscriptionModel';

/** A t() over the real message tables (i18next's {{x}} interpolation), without React. */
function translator(messages: object) {
  return ((key: string, options: Record<string, unknown> = {}) => {
    const value = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], messages);
    if (typeof value !== 'string') throw new Error(`missing ${key}`);
    return value.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(options[name]));
  }) as unknown as Parameters<typeof describeCycle>[2];
}

describe('subscription cycle model', () => {
  it('turns what the operator typed into the API’s cycle, naming the wrong field', () => {
    expect(toCycleInput(emptyCycleDraft())).toEqual({ cycle: { every: 1, unit: 'month' } });
    expect(toCycleInput({ ...emptyCycleDraft(), every: '２', dayOfMonth: '10' })).toEqual({
      cycle: { every: 2, unit: 'month', dayOfMonth: 10 },
    });
    expect(toCycleInput({ ...emptyCycleDraft(), monthMode: 'weekday', nth: '-1', weekday: '5' })).toEqual({
      cycle: { every: 1, unit: 'month', weekday: { nth: -1, day: 5 } },
    });
    // dayOfMonth is for monthly cycles only: a weekly one drops it.
    expect(toCycleInput({ ...emptyCycleDraft(), unit: 'week', every: '2', dayOfMonth: '10' })).toEqual({
      cycle: { every: 2, unit: 'week' },
    });
    for (const every of ['', '0', '366', '1.5', 'x'])
      expect(toCycleInput({ ...emptyCycleDraft(), every })).toEqual({ error: 'every' });
    for (const dayOfMonth of ['0', '32', 'x'])
      expect(toCycleInput({ ...emptyCycleDraft(), dayOfMonth })).toEqual({ error: 'dayOfMonth' });
  });

  it('reads a subscription’s cycle back into the form unchanged', () => {
    for (const cycle of [
      { every: 3, unit: 'day' as const },
      { every: 2, unit: 'week' as const },
      { every: 1, unit: 'month' as const },
      { every: 2, unit: 'month' as const, dayOfMonth: 31 },
      { every: 2, unit: 'month' as const, weekday: { nth: 2 as const, day: 2 } },
    ])
      expect(toCycleInput(cycleDraftOf(cycle))).toEqual({ cycle });
  });

  it('previews the deliveries with the server’s rules: month ends, and the hand-over starting at delivery 2', () => {
    expect(previewDeliveries('2031-01-31', { every: 1, unit: 'month' }, 3)).toEqual([
      '2031-01-31',
      '2031-02-28',
      '2031-03-31',
    ]);
    expect(previewDeliveries('2030-04-10', { every: 2, unit: 'week' }, 2, 1)).toEqual(['2030-04-24', '2030-05-08']);
    expect(previewDeliveries('', { every: 1, unit: 'month' }, 3)).toEqual([]);
  });

  it('describes cycles like the server’s label in Japanese, and in English', () => {
    const tja = translator(ja);
    const ten = translator(en);
    expect(describeCycle({ every: 1, unit: 'month' }, '2030-04-10', tja)).toBe('毎月 10日');
    expect(describeCycle({ every: 2, unit: 'month', weekday: { nth: 2, day: 2 } }, null, tja)).toBe(
      '2か月ごと 第2火曜日',
    );
    expect(describeCycle({ every: 1, unit: 'month', dayOfMonth: 31 }, null, tja)).toBe('毎月 末日');
    expect(describeCycle({ every: 45, unit: 'day' }, null, tja)).toBe('45日ごと');
    expect(describeCycle({ every: 2, unit: 'week' }, '2030-04-12', ten)).toBe('Every 2 weeks Friday');
    expect(describeCycle({ every: 1, unit: 'month', weekday: { nth: -1, day: 0 } }, null, ten)).toBe(
      'Every month on the Last Sunday',
    );
  });
});

describe('定期変更 history rows', () => {
  const names = { payment: (id: string | null | undefined) => (id ? `pm:${id}` : '未設定'), address: () => '自宅' };
  it('lists only what changed, before → after', () => {
    const before = {
      status: 'active' as const,
      cycle: '毎月 10日',
      nextDeliveryDate: '2030-05-10',
      pausedUntil: null,
      lines: [{ productCode: '10005', quantity: 1 }],
      timeSlot: null,
      addressId: null,
      paymentMethodId: 'a',
      carrier: 'yamato',
    };
    const after = {
      ...before,
      cycle: '2か月ごと 10日',
      lines: [{ productCode: '10005', quantity: 2 }],
      paymentMethodId: 'b',
    };
    expect(summaryChanges(before, after, names)).toEqual([
      { field: 'cycle', before: '毎月 10日', after: '2か月ごと 10日' },
      { field: 'lines', before: '10005×1', after: '10005×2' },
      { field: 'payment', before: 'pm:a', after: 'pm:b' },
    ]);
  });

  it('shows a new subscription’s values, and a generated delivery’s next date', () => {
    const created = summaryChanges(
      null,
      { status: 'active', cycle: '毎月 10日', nextDeliveryDate: '2030-04-10', lines: [], timeSlot: null },
      names,
    );
    expect(created.map((c) => c.field)).toEqual(['status', 'cycle', 'nextDeliveryDate']);
    expect(
      summaryChanges(
        { nextDeliveryDate: '2030-04-10' },
        { nextDeliveryDate: '2030-05-10', orderNumber: 12, seq: 1 },
        names,
      ),
    ).toEqual([{ field: 'nextDeliveryDate', before: '2030-04-10', after: '2030-05-10' }]);
  });
});

describe('order form hand-over', () => {
  const input = {
    customerId: 'c1',
    lines: [{ productId: 'p1', quantity: 1 }],
    kind: 'subscription' as const,
    carrier: 'sagawa' as const,
    deliveryTimeSlot: '14-16',
    paymentMethodId: 'pm1',
  };
  it('makes the order delivery 1, dated on its delivery date, shipped the same way', () => {
    expect(
      handoverBody({ id: 'o1', deliveryDate: '2030-04-10', desiredDeliveryDate: null }, input, emptyCycleDraft()),
    ).toEqual({
      customerId: 'c1',
      lines: [{ productId: 'p1', quantity: 1 }],
      cycle: { every: 1, unit: 'month' },
      firstDeliveryDate: '2030-04-10',
      sourceOrderId: 'o1',
      carrier: 'sagawa',
      timeSlot: '14-16',
      paymentMethodId: 'pm1',
    });
  });
  it('makes nothing without a delivery date or with a wrong cycle', () => {
    expect(
      handoverBody({ id: 'o1', deliveryDate: null, desiredDeliveryDate: null }, input, emptyCycleDraft()),
    ).toBeNull();
    expect(
      handoverBody({ id: 'o1', deliveryDate: '2030-04-10' }, input, { ...emptyCycleDraft(), every: '0' }),
    ).toBeNull();
  });
});
