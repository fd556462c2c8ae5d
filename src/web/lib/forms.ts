import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { isApiError } from '../api/client';

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
