// Checks of the ids a request names: customers (404, they are the object worked on) and users
// (400 on the field). Reads only the keys of the customers and users tables.
import type { TenantTx } from '../../db/database.js';
import { AppError } from '../../platform/errors.js';
import type { MessageKey } from '../../platform/i18n/messages.js';

/** A contact may be entered a little ahead of the server's clock (a PC's clock), not more. */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

/** Throws 404 unless every customer exists in the tenant (one statement for any number). */
export async function requireCustomers(tx: TenantTx, ids: string[]): Promise<void> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return;
  const [row] = await tx.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM customers WHERE tenant_id = $1 AND id = ANY($2::uuid[])',
    [tx.tenantId, unique],
  );
  if ((row?.n ?? 0) !== unique.length) throw AppError.notFound('object.customer');
}

/** Throws 400 naming the field of the first user id that is not a user of the tenant. */
export async function requireUsers(tx: TenantTx, fields: Record<string, string | null | undefined>): Promise<void> {
  const named = Object.entries(fields).filter((e): e is [string, string] => typeof e[1] === 'string');
  if (named.length === 0) return;
  const rows = await tx.query<{ id: string }>('SELECT id FROM users WHERE tenant_id = $1 AND id = ANY($2::uuid[])', [
    tx.tenantId,
    named.map(([, id]) => id),
  ]);
  const found = new Set(rows.map((r) => r.id));
  const missing = named.find(([, id]) => !found.has(id));
  if (missing) throw fieldError(missing[0], 'not_found', 'interactions.user_not_found');
}

/** A 400 like the schema validation's: problem code `validation`, one field with its own code. */
export function fieldError(path: string, code: string, key: MessageKey): AppError {
  return new AppError(
    400,
    'validation',
    'error.detail.validation',
    { count: 1 },
    [{ path, code, key }],
    'error.title.validation',
  );
}
