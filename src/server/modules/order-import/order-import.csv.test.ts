import { describe, expect, it } from 'vitest';
import { isoDate, readOrderCsv } from './order-import.csv.js';

describe('readOrderCsv', () => {
  it('groups rows by order number in first-seen order; order fields from the first row', () => {
    const csv = [
      'orderNumber,productCode,quantity,name,phone,note',
      'A,p1,1,山田,03-1234-5678,"包装\n熨斗"',
      'B,p2,"1,200",佐藤,,',
      'A,p3,２,,,',
    ].join('\r\n');
    const file = readOrderCsv(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)]), null);
    expect(file.encoding).toBe('utf8bom');
    expect(file.rows).toBe(3);
    expect(file.groups.map((g) => [g.externalNumber, g.rows.map((r) => [r.row, r.productCode, r.quantity])])).toEqual([
      [
        'A',
        [
          [2, 'P1', 1],
          [4, 'P3', 2],
        ],
      ],
      ['B', [[3, 'P2', 1200]]],
    ]);
    expect(file.groups[0]?.head.note).toBe('包装\n熨斗');
    expect(file.groups[0]?.customerKey).toEqual({ kind: 'phone', e164: '+81312345678' });
    // "1,200" is read as 1200; B has neither phone nor e-mail.
    expect(file.issues.map((i) => [i.row, i.target, i.code])).toEqual([[3, 'phone', 'customer_key']]);
    expect(file.groups[1]?.bad).toBe(true);
  });

  it('maps by the given mapping and names what is missing', () => {
    const csv = '受注ID,SKU,数,名前,メール\nX,a,1,n,a@b.jp\n';
    const mapping = { orderNumber: '受注ID', productCode: 'SKU', quantity: '数', name: '名前', email: 'メール' };
    expect(readOrderCsv(Buffer.from(csv), mapping).groups[0]?.customerKey).toEqual({ kind: 'email', email: 'a@b.jp' });
    expect(() => readOrderCsv(Buffer.from(csv), (({ email: _e, ...rest }) => rest)(mapping))).toThrow(
      expect.objectContaining({ code: 'mapping_missing' }),
    );
  });
});

describe('isoDate', () => {
  it('reads the usual Japanese ways of writing a day and refuses days that do not exist', () => {
    expect(isoDate('2030/4/1')).toBe('2030-04-01');
    expect(isoDate('２０３０年４月１日')).toBe('2030-04-01');
    expect(isoDate('2030-04-01 12:00')).toBe('2030-04-01');
    expect(isoDate('2030/2/30')).toBeNull();
    expect(isoDate('4/1')).toBeNull();
  });
});
