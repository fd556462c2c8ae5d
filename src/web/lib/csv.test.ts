import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFile, parseCsv, remap, toCsv } from './csv';

describe('parseCsv', () => {
  it('reads quoted cells with commas, doubled quotes and line breaks (RFC 4180)', () => {
    expect(parseCsv('氏名,備考\r\n"佐賀, 太郎","彼は""A""\n2行目"\r\n')).toEqual([
      ['氏名', '備考'],
      ['佐賀, 太郎', '彼は"A"\n2行目'],
    ]);
  });

  it('drops a BOM and reads a last line without a line end', () => {
    expect(parseCsv('\ufeffa,b\n1,')).toEqual([
      ['a', 'b'],
      ['1', ''],
    ]);
  });

  it('reads back what toCsv wrote, for any cells', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'あ', ',', '"', '\n', '\r\n', ' ', '1') });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }), (rows) => {
        expect(parseCsv(toCsv(rows))).toEqual(rows);
      }),
    );
  });
});

describe('remap', () => {
  it('renames the kept columns and drops the others in every row', () => {
    const rows = [['お名前', 'メモ', 'TEL'], ['佐賀 太郎', 'x', '0952-26-8311'], ['北田']];
    expect(remap(rows, ['name', '', 'phone1'])).toEqual([
      ['name', 'phone1'],
      ['佐賀 太郎', '0952-26-8311'],
      ['北田', ''],
    ]);
  });
});

describe('decodeFile', () => {
  it('reads UTF-8, and Shift_JIS bytes that are not UTF-8', () => {
    expect(decodeFile(new TextEncoder().encode('佐賀').buffer as ArrayBuffer)).toEqual({
      text: '佐賀',
      encoding: 'utf8',
    });
    // 佐賀 in Shift_JIS: 0x8d b2 0x89 ea
    const sjis = new Uint8Array([0x8d, 0xb2, 0x89, 0xea]).buffer;
    expect(decodeFile(sjis)).toEqual({ text: '佐賀', encoding: 'sjis' });
  });
});
