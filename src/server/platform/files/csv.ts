import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import iconv from 'iconv-lite';

export type CsvEncoding = 'utf8bom' | 'sjis';

/**
 * A cell that a spreadsheet would run as a formula (= + - @, or a tab/CR first) gets a leading
 * apostrophe, so an exported value can never execute in Excel (CSV injection).
 */
export function defuseCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const s = value instanceof Date ? value.toISOString() : String(value);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/**
 * Streams rows as CSV for Excel: CRLF, a header row, every cell defused; Shift_JIS (CP932) or
 * UTF-8 with a BOM. Characters CP932 lacks become '?' (iconv-lite's replacement).
 */
export function csvStream(header: string[], rows: AsyncIterable<unknown[]>, encoding: CsvEncoding): Readable {
  const stringifier = stringify({ record_delimiter: '\r\n', bom: false });
  stringifier.setEncoding('utf8');
  (async () => {
    try {
      stringifier.write(header.map(defuseCell));
      for await (const row of rows) {
        if (!stringifier.write(row.map(defuseCell))) await new Promise((r) => stringifier.once('drain', r));
      }
      stringifier.end();
    } catch (err) {
      stringifier.destroy(err as Error);
    }
  })();
  if (encoding === 'sjis') return stringifier.pipe(iconv.encodeStream('cp932')) as unknown as Readable;
  const withBom = Readable.from(
    (async function* () {
      yield Buffer.from([0xef, 0xbb, 0xbf]);
      for await (const chunk of stringifier) yield Buffer.from(chunk as string, 'utf8');
    })(),
  );
  return withBom;
}

export function csvContentType(encoding: CsvEncoding): string {
  return encoding === 'sjis' ? 'text/csv; charset=Shift_JIS' : 'text/csv; charset=utf-8';
}

/** `attachment; filename=…` with an RFC 5987 UTF-8 name for Japanese file names. */
export function attachment(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/"/g, '');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
