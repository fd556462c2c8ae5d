import { z } from 'zod';
import { AppError } from '../errors.js';

/** `?limit=&cursor=` as DESIGN.md §4 gives them: default 50, at most 500, opaque cursor. */
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});

export function encodeCursor(values: unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/**
 * Reads a cursor made by encodeCursor. `shape` is the number of values, or better a schema of
 * them: a forged cursor whose values the query cannot use is then a 400, not a database error.
 */
export function decodeCursor<T extends unknown[]>(cursor: string | undefined, shape: number | z.ZodType<T>): T | null {
  if (!cursor) return null;
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof shape !== 'number') {
      const parsed = shape.safeParse(values);
      if (parsed.success) return parsed.data;
    } else if (Array.isArray(values) && values.length === shape) {
      return values as T;
    }
  } catch {
    /* fall through */
  }
  throw AppError.field(400, 'validation', 'cursor', 'validation.invalid');
}

/** Takes limit + 1 rows and answers the page and the cursor of its last row (or null). */
export function page<R, I>(rows: R[], limit: number, toItem: (r: R) => I, cursorOf: (r: R) => unknown[]) {
  const more = rows.length > limit;
  const slice = more ? rows.slice(0, limit) : rows;
  const last = slice[slice.length - 1];
  return { items: slice.map(toItem), nextCursor: more && last ? encodeCursor(cursorOf(last)) : null };
}
