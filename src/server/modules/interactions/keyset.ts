// Keyset cursors on timestamps: a JavaScript Date keeps milliseconds, PostgreSQL microseconds,
// so a cursor carries the database's own text of the value (UTC, six decimals), never a Date.
import { z } from 'zod';
import { decodeCursor } from '../../platform/http/pagination.js';

/** The SQL of a timestamptz column as its cursor key, e.g. `2025-01-02T03:04:05.123456Z`. */
export function tsKey(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

const tsKeySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
const tsCursorShape = z.tuple([tsKeySchema, z.uuid()]);

/** A `[timestamp key, uuid]` cursor, or null; a forged one is a 400 naming `cursor`. */
export function decodeTsCursor(cursor: string | undefined): [string, string] | null {
  return decodeCursor(cursor, tsCursorShape);
}

/** Builds `$n` parameters in order: `p(value)` answers the placeholder of the value pushed. */
export function params(...initial: unknown[]) {
  const values = [...initial];
  return { values, p: (value: unknown) => `$${values.push(value)}` };
}

/** The start of a calendar day in Asia/Tokyo (no summer time there: always +09:00). */
export function tokyoDayStart(date: string): Date {
  return new Date(`${date}T00:00:00+09:00`);
}

/** The calendar day `days` after (or before, when negative) a 'YYYY-MM-DD' date. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
