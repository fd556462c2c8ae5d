import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { attachment, csvStream, defuseCell } from './csv.js';

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c as string));
  return Buffer.concat(chunks);
}

async function* rows(list: unknown[][]) {
  yield* list;
}

describe('CSV for Excel', () => {
  it('defuses cells a spreadsheet would run as formulas', () => {
    expect(defuseCell('=HYPERLINK("x")')).toBe(`'=HYPERLINK("x")`);
    expect(defuseCell('+81 3')).toBe("'+81 3");
    expect(defuseCell('-1')).toBe("'-1");
    expect(defuseCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(defuseCell('山田 太郎')).toBe('山田 太郎');
    expect(defuseCell(null)).toBe('');
    expect(defuseCell(42)).toBe('42');
  });

  it('writes UTF-8 with a BOM and CRLF, quoting commas, quotes and line breaks', async () => {
    const buf = await collect(csvStream(['氏名', '備考'], rows([['髙橋 﨑', 'a,"b"\nc']]), 'utf8bom'));
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(buf.subarray(3).toString('utf8')).toBe('氏名,備考\r\n髙橋 﨑,"a,""b""\nc"\r\n');
  });

  it('writes Shift_JIS (CP932) that keeps 髙 and 﨑', async () => {
    const buf = await collect(csvStream(['氏名'], rows([['髙橋 﨑'], ['=1+1']]), 'sjis'));
    expect(iconv.decode(buf, 'cp932')).toBe("氏名\r\n髙橋 﨑\r\n'=1+1\r\n");
  });

  it('names a Japanese attachment for every browser', () => {
    expect(attachment('監査ログ.csv')).toBe(
      `attachment; filename="____.csv"; filename*=UTF-8''${encodeURIComponent('監査ログ.csv')}`,
    );
  });
});
