import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { parseZengin, RECORD_BYTES, readDate, writeZengin } from './payments.zengin.js';

const today = '2025-06-02';

describe('全銀協 入出金取引明細', () => {
  const file = writeZengin(
    [
      { date: '2025-05-30', amount: 5800, payerName: 'ﾔﾏﾀﾞ ﾊﾅｺ', summary: '1001' },
      { date: '2025-05-30', amount: 300, payerName: 'ﾃｽｳﾘｮｳ', direction: 2 },
      { date: '2025-06-02', amount: 12_000, payerName: 'ｶ)ｻｶﾞｼｮｳｼﾞ', edi: 'ORDER 1002' },
    ],
    { created: today },
  );

  it('writes 200-byte records and reads them back (with and without line breaks)', () => {
    expect(file.length).toBe(6 * (RECORD_BYTES + 2));
    for (const body of [file, Buffer.from(file.toString('latin1').replaceAll('\r\n', ''), 'latin1')]) {
      const parsed = parseZengin(body, today);
      expect(parsed.errors).toEqual([]);
      expect(parsed.withdrawals).toBe(1);
      expect(parsed.lines.map((l) => [l.row, l.paidOn, l.amount, l.payerName, l.reference])).toEqual([
        [2, '2025-05-30', 5800, 'ﾔﾏﾀﾞ ﾊﾅｺ', '1001'],
        [4, '2025-06-02', 12_000, 'ｶ)ｻｶﾞｼｮｳｼﾞ', 'ORDER 1002'],
      ]);
    }
  });

  it('reads a file someone converted to UTF-8', () => {
    const utf8 = Buffer.from(iconv.decode(file, 'cp932'), 'utf8');
    const parsed = parseZengin(utf8, today);
    expect(parsed.errors).toEqual([]);
    expect(parsed.lines[0]?.payerName).toBe('ﾔﾏﾀﾞ ﾊﾅｺ');
    expect(parsed.lines.map((l) => l.hash)).toEqual(parseZengin(file, today).lines.map((l) => l.hash));
  });

  it('gives identical deposits in one file distinct hashes, and the same file the same ones', () => {
    const twice = writeZengin(
      [
        { date: '2025-05-30', amount: 1000, payerName: 'ｽｽﾞｷ', inquiryNo: 7 },
        { date: '2025-05-30', amount: 1000, payerName: 'ｽｽﾞｷ', inquiryNo: 7 },
      ],
      { created: today },
    );
    const a = parseZengin(twice, today).lines.map((l) => l.hash);
    expect(new Set(a).size).toBe(2);
    expect(parseZengin(twice, today).lines.map((l) => l.hash)).toEqual(a);
  });

  it('refuses a trailer that does not add up, a wrong record length and an unknown record kind', () => {
    const text = file.toString('latin1').split('\r\n');
    // 入金額合計 (positions 8–20 of the trailer) one yen off.
    const trailer = text[4] as string;
    text[4] = `${trailer.slice(0, 7)}${'0000000017801'}${trailer.slice(20)}`;
    const bad = parseZengin(Buffer.from(text.join('\r\n'), 'latin1'), today);
    expect(bad.errors).toEqual([
      { row: 5, column: '入金額合計', code: 'trailer_mismatch', params: { given: '0000000017801', actual: 17_800 } },
    ]);
    const short = parseZengin(Buffer.from(`${(text[0] as string).slice(0, 150)}\r\n`, 'latin1'), today);
    expect(short.errors[0]).toMatchObject({ row: 1, code: 'record_length' });
    const kind = [...file.toString('latin1').split('\r\n')];
    kind[1] = `7${(kind[1] as string).slice(1)}`;
    expect(parseZengin(Buffer.from(kind.join('\r\n'), 'latin1'), today).errors[0]).toMatchObject({
      row: 2,
      code: 'invalid_record_kind',
    });
  });

  it('reads 和暦 dates as 令和 or 平成, whichever is nearest, and Western years when the header says so', () => {
    expect(readDate('070530', 'wareki', today)).toBe('2025-05-30');
    expect(readDate('310430', 'wareki', today)).toBe('2019-04-30');
    expect(readDate('010501', 'wareki', today)).toBe('2019-05-01');
    expect(readDate('250530', 'seireki', today)).toBe('2025-05-30');
    expect(readDate('071332', 'wareki', today)).toBeNull();
    const western = file.toString('latin1').split('\r\n');
    // Header 作成日/勘定日 and the data's 勘定日 in Western years.
    western[0] = `1030250602250530250602${(western[0] as string).slice(22)}`;
    western[1] = `2${(western[1] as string).slice(1, 9)}250530250530${(western[1] as string).slice(21)}`;
    const parsed = parseZengin(Buffer.from(western.join('\r\n'), 'latin1'), today);
    expect(parsed.errors).toEqual([]);
    expect(parsed.lines[0]?.paidOn).toBe('2025-05-30');
  });
});
