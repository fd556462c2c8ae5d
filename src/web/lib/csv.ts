/**
 * Just enough CSV for the browser (RFC 4180: quoted cells with commas, quotes and line breaks) to
 * re-map the columns of a file before it is uploaded. The server still validates every row.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  while (i < input.length) {
    const c = input[i];
    if (quoted) {
      if (c === '"') {
        if (input[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        cell += c;
      }
      i += 1;
      continue;
    }
    if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' || c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      if (c === '\r' && input[i + 1] === '\n') i += 1;
    } else cell += c;
    i += 1;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

function quote(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

/** Rows back to CSV text, CRLF line ends. */
export function toCsv(rows: string[][]): string {
  return rows.map((row) => row.map(quote).join(',')).join('\r\n') + (rows.length ? '\r\n' : '');
}

/** A file's text: UTF-8 (with or without BOM) when it decodes cleanly, else Shift_JIS (CP932). */
export function decodeFile(bytes: ArrayBuffer): { text: string; encoding: 'utf8' | 'sjis' } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf8' };
  } catch {
    return { text: new TextDecoder('shift_jis').decode(bytes), encoding: 'sjis' };
  }
}

/**
 * Keeps the mapped columns of a table and renames them: `mapping[i]` is the target name of source
 * column i, or '' to drop it. The header row is replaced by the targets.
 */
export function remap(rows: string[][], mapping: string[]): string[][] {
  const keep = mapping.map((target, index) => ({ target, index })).filter((m) => m.target !== '');
  const [, ...body] = rows;
  return [keep.map((m) => m.target), ...body.map((row) => keep.map((m) => row[m.index] ?? ''))];
}
