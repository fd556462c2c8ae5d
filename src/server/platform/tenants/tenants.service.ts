import { randomUUID } from 'node:crypto';
import { type Database, prepared, type TenantTx } from '../../db/database.js';
import { type Actor, audit, SYSTEM_ACTOR } from '../audit/audit.js';
import { AppError } from '../errors.js';

export type ClosingDay = { date: string; note: string };

export const CARRIERS = ['yamato', 'sagawa', 'japanpost'] as const;
export type Carrier = (typeof CARRIERS)[number];
export type PriceMode = 'included' | 'excluded';
export type Rounding = 'floor' | 'round' | 'ceil';

/**
 * The order desk's settings (issue 5), kept in tenants.settings (jsonb) and always answered with
 * their defaults filled in. The orders, shipping and subscription modules read them with
 * getOrderSettings(tx) inside their own transactions.
 */
export type OrderSettings = {
  tax: { priceMode: PriceMode; rounding: Rounding };
  orders: { preparationDays: number; defaultCarrier: Carrier };
  invoice: { registrationNumber: string | null; issuerName: string; issuerAddress: string; issuerPhone: string };
  subscriptions: { leadDays: number };
};
export type OrderSettingsPatch = { [K in keyof OrderSettings]?: Partial<OrderSettings[K]> };

export type Settings = { name: string; closingDays: ClosingDay[] } & OrderSettings;

export const ORDER_SETTINGS_DEFAULTS: OrderSettings = {
  tax: { priceMode: 'included', rounding: 'floor' },
  orders: { preparationDays: 1, defaultCarrier: 'yamato' },
  invoice: { registrationNumber: null, issuerName: '', issuerAddress: '', issuerPhone: '' },
  subscriptions: { leadDays: 7 },
};

const pick = <T>(value: unknown, ok: (v: unknown) => boolean, fallback: T): T => (ok(value) ? (value as T) : fallback);
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const intIn = (min: number, max: number) => (v: unknown) =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const str = (v: unknown) => typeof v === 'string';

/** The order settings of a jsonb value, every missing or unreadable field at its default. */
export function orderSettingsOf(raw: unknown): OrderSettings {
  const root = isObj(raw) ? raw : {};
  const group = (k: string) => (isObj(root[k]) ? (root[k] as Record<string, unknown>) : {});
  const tax = group('tax');
  const orders = group('orders');
  const invoice = group('invoice');
  const subs = group('subscriptions');
  const d = ORDER_SETTINGS_DEFAULTS;
  return {
    tax: {
      priceMode: pick(tax.priceMode, (v) => v === 'included' || v === 'excluded', d.tax.priceMode),
      rounding: pick(tax.rounding, (v) => v === 'floor' || v === 'round' || v === 'ceil', d.tax.rounding),
    },
    orders: {
      preparationDays: pick(orders.preparationDays, intIn(0, 30), d.orders.preparationDays),
      defaultCarrier: pick(orders.defaultCarrier, (v) => CARRIERS.includes(v as Carrier), d.orders.defaultCarrier),
    },
    invoice: {
      registrationNumber: pick(
        invoice.registrationNumber,
        (v) => typeof v === 'string' && /^T\d{13}$/.test(v),
        d.invoice.registrationNumber,
      ),
      issuerName: pick(invoice.issuerName, str, d.invoice.issuerName),
      issuerAddress: pick(invoice.issuerAddress, str, d.invoice.issuerAddress),
      issuerPhone: pick(invoice.issuerPhone, str, d.invoice.issuerPhone),
    },
    subscriptions: { leadDays: pick(subs.leadDays, intIn(0, 60), d.subscriptions.leadDays) },
  };
}

/**
 * The tenant's order settings with defaults (tax mode and rounding, preparation days, default
 * carrier, invoice issuer, subscription lead days), read inside the caller's transaction.
 */
export async function getOrderSettings(tx: TenantTx): Promise<OrderSettings> {
  const [row] = await tx.query<{ settings: unknown }>(prepared('SELECT settings FROM tenants WHERE id = $1'), [
    tx.tenantId,
  ]);
  return orderSettingsOf(row?.settings);
}

/**
 * Creates a tenant. Runs as the owner (CLI, first start), with app.tenant_id set to the new id
 * so that a non-superuser owner passes the FORCEd policies too.
 */
export async function createTenant(db: Database, input: { name: string }): Promise<{ tenantId: string }> {
  const tenantId = randomUUID();
  await db.owner.transaction(async (tx) => {
    await tx.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
    await tx.query('INSERT INTO tenants (id, name) VALUES ($1, $2)', [tenantId, input.name]);
    await audit({ ...tx, tenantId }, SYSTEM_ACTOR, {
      action: 'tenant.create',
      objectType: 'tenant',
      objectId: tenantId,
    });
  });
  return { tenantId };
}

/** Whether a tenant exists (owner query: used by the CLI before it acts on a tenant id). */
export async function tenantExists(db: Database, tenantId: string): Promise<boolean> {
  if (!/^[0-9a-f-]{36}$/i.test(tenantId)) return false;
  return db.owner.transaction(async (tx) => {
    await tx.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
    return (await tx.query('SELECT 1 FROM tenants WHERE id = $1', [tenantId])).length > 0;
  });
}

async function readSettings(tx: TenantTx): Promise<Settings> {
  const [tenant] = await tx.query<{ name: string; settings: unknown }>(
    'SELECT name, settings FROM tenants WHERE id = $1',
    [tx.tenantId],
  );
  if (!tenant) throw AppError.notFound('object.tenant');
  const days = await tx.query<ClosingDay>(
    'SELECT date::text AS date, note FROM closing_days WHERE tenant_id = $1 ORDER BY date',
    [tx.tenantId],
  );
  return { name: tenant.name, closingDays: days, ...orderSettingsOf(tenant.settings) };
}

export function getSettings(db: Database, tenantId: string): Promise<Settings> {
  return db.withTenant(tenantId, readSettings);
}

export async function updateSettings(
  db: Database,
  ctx: { tenantId: string; actor: Actor },
  patch: { name?: string; closingDays?: ClosingDay[] } & OrderSettingsPatch,
): Promise<Settings> {
  return db.withTenant(ctx.tenantId, async (tx) => {
    const groups = (['tax', 'orders', 'invoice', 'subscriptions'] as const).filter((k) => patch[k] !== undefined);
    if (groups.length > 0) {
      // Each group is merged field by field over what is stored (row locked: no lost update).
      const [row] = await tx.query<{ settings: unknown }>('SELECT settings FROM tenants WHERE id = $1 FOR UPDATE', [
        ctx.tenantId,
      ]);
      const stored = isObj(row?.settings) ? row.settings : {};
      const current = orderSettingsOf(stored);
      const next: Record<string, unknown> = { ...stored };
      for (const k of groups) next[k] = { ...current[k], ...patch[k] };
      await tx.query('UPDATE tenants SET settings = $2::jsonb, updated_at = now() WHERE id = $1', [
        ctx.tenantId,
        JSON.stringify(next),
      ]);
    }
    if (patch.name !== undefined) {
      await tx.query('UPDATE tenants SET name = $2, updated_at = now() WHERE id = $1', [ctx.tenantId, patch.name]);
    }
    if (patch.closingDays !== undefined) {
      await tx.query('DELETE FROM closing_days WHERE tenant_id = $1', [ctx.tenantId]);
      if (patch.closingDays.length > 0) {
        await tx.query(
          `INSERT INTO closing_days (tenant_id, date, note)
           SELECT $1, d.date, d.note FROM unnest($2::date[], $3::text[]) AS d(date, note)`,
          [ctx.tenantId, patch.closingDays.map((d) => d.date), patch.closingDays.map((d) => d.note)],
        );
      }
    }
    await audit(tx, ctx.actor, {
      action: 'settings.update',
      objectType: 'tenant',
      objectId: ctx.tenantId,
      detail: { fields: Object.keys(patch) },
    });
    return readSettings(tx);
  });
}

/** The tenant's closing days between two dates (inclusive), for business-day arithmetic. */
export async function closingDaysBetween(tx: TenantTx, from: string, to: string): Promise<ClosingDay[]> {
  return tx.query<ClosingDay>(
    prepared(
      'SELECT date::text AS date, note FROM closing_days WHERE tenant_id = $1 AND date BETWEEN $2 AND $3 ORDER BY date',
    ),
    [tx.tenantId, from, to],
  );
}
