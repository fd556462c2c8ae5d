// PDF documents with Japanese text: pdfkit and Noto Sans JP from an npm package (no system fonts
// needed on any machine); pdfkit embeds only the glyphs a document uses, so a page is a few KB.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type PDFDocumentType from 'pdfkit';

const require = createRequire(import.meta.url);
let fonts: { regular: Buffer; bold: Buffer } | undefined;
// Loaded on the first PDF, not at start-up (about a fifth of a server start).
let PDFDocument: typeof PDFDocumentType | undefined;

function fontFiles() {
  fonts ??= {
    regular: fs.readFileSync(require.resolve('@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf')),
    bold: fs.readFileSync(require.resolve('@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf')),
  };
  return fonts;
}

export type Doc = PDFKit.PDFDocument;

/** A new A4 document (portrait or landscape) with the fonts 'jp' and 'jp-bold' registered. */
export function newDoc(opts: { landscape?: boolean; title: string }): Doc {
  PDFDocument ??= require('pdfkit') as typeof PDFDocumentType;
  const doc = new PDFDocument({
    size: 'A4',
    layout: opts.landscape ? 'landscape' : 'portrait',
    margin: 36,
    info: { Title: opts.title, Producer: 'Madoguchi', Creator: 'Madoguchi' },
    autoFirstPage: false,
  });
  const f = fontFiles();
  doc.registerFont('jp', f.regular);
  doc.registerFont('jp-bold', f.bold);
  return doc;
}

/** The whole document as bytes (single documents: an invoice). */
export function toBuffer(doc: Doc): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

export const yen = (n: number) => `¥${n.toLocaleString('ja-JP')}`;

export type Column = { title: string; width: number; align?: 'left' | 'right' | 'center' };

/** One table row at y, each cell on one line (cut with an ellipsis); answers the next y. */
export function tableRow(
  doc: Doc,
  columns: Column[],
  cells: string[],
  y: number,
  opts: { bold?: boolean; size?: number; height?: number } = {},
): number {
  const size = opts.size ?? 9;
  const height = opts.height ?? size + 7;
  doc.font(opts.bold ? 'jp-bold' : 'jp').fontSize(size);
  let x = doc.page.margins.left;
  columns.forEach((c, i) => {
    doc.text(cells[i] ?? '', x + 2, y + 2, {
      width: c.width - 4,
      align: c.align ?? 'left',
      lineBreak: false,
      ellipsis: true,
      height,
    });
    x += c.width;
  });
  const right = x;
  doc
    .moveTo(doc.page.margins.left, y + height)
    .lineTo(right, y + height)
    .lineWidth(0.3)
    .strokeColor('#999999')
    .stroke();
  return y + height;
}
