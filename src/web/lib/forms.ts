import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { ApiError, isApiError } from '../api/client';

/** "body.closingDays[2].date", "/closingDays/2/date" → "closingDays.2.date". */
export function normalisePath(path: string): string {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/\//g, '.')
    .replace(/^\.+/, '')
    .replace(/^body\./, '');
}

/**
 * Puts server field errors (problem+json errors[].path) next to the matching fields.
 * Returns true when every error found a field; otherwise the caller shows the problem
 * as a whole (FormAlert). The user's input is kept as it is.
 */
export function applyApiErrors<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  fields: readonly string[],
): boolean {
  if (!isApiError(error) || error.errors.length === 0) return false;
  let allPlaced = true;
  let first = true;
  for (const fieldError of error.errors) {
    const path = normalisePath(fieldError.path);
    const root = path.split('.')[0] ?? '';
    if (fields.includes(root)) {
      setError(
        path as Path<T>,
        { type: fieldError.code || 'server', message: fieldError.message },
        { shouldFocus: first },
      );
      first = false;
    } else {
      allPlaced = false;
    }
  }
  return allPlaced;
}

/** The same problem with some field paths renamed (a server field shown under another input). */
export function renameErrorPaths(error: unknown, renames: Record<string, string>): unknown {
  if (!isApiError(error) || error.errors.length === 0) return error;
  return new ApiError({
    status: error.status,
    code: error.code,
    title: error.title,
    detail: error.detail,
    requestId: error.requestId,
    errors: error.errors.map((e) => {
      const path = normalisePath(e.path);
      const root = path.split('.')[0] ?? '';
      const renamed = renames[root];
      return renamed ? { ...e, path: renamed + path.slice(root.length) } : { ...e, path };
    }),
  });
}
