// 送付先 (delivery addresses): create, list, patch, delete, checks, audit and tenant isolation.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossTenantKit } from '../../test/cross-tenant.js';
import { auth, dbOf, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';

let app: TestApp;
let t: TestTenant;

beforeAll(async () => {
  app = await testApp();
  t = await makeTenant(app);
});

async function customer(token = t.adminToken): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/customers',
    headers: auth(token),
    payload: { name: '送付 元子' },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

describe('delivery addresses', () => {
  it('create → 201, list, patch, delete → 204, each audited on the customer', async () => {
    const id = await customer();
    const operator = await t.token('operator');
    const base = `/api/v1/customers/${id}/addresses`;
    const created = await app.inject({
      method: 'POST',
      url: base,
      headers: auth(operator),
      payload: {
        label: '実家',
        name: '送付 父',
        postalCode: '８４００８０１',
        prefecture: '佐賀',
        city: '佐賀市',
        address1: '駅前中央1-1',
        phone: '0952-00-1234',
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const a = created.json();
    expect(a).toMatchObject({
      customerId: id,
      label: '実家',
      postalCode: '840-0801',
      prefecture: '佐賀県',
      phone: '0952-00-1234',
      company: null,
    });

    const list = await app.inject({ method: 'GET', url: base, headers: auth(operator) });
    expect(list.json().items.map((x: { id: string }) => x.id)).toEqual([a.id]);

    const patched = await app.inject({
      method: 'PATCH',
      url: `${base}/${a.id}`,
      headers: auth(operator),
      payload: { label: null, address2: '2F' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ label: null, address2: '2F', name: '送付 父' });

    const removed = await app.inject({ method: 'DELETE', url: `${base}/${a.id}`, headers: auth(operator) });
    expect(removed.statusCode).toBe(204);
    expect((await app.inject({ method: 'DELETE', url: `${base}/${a.id}`, headers: auth(operator) })).statusCode).toBe(
      404,
    );
    expect((await app.inject({ method: 'GET', url: base, headers: auth(operator) })).json()).toEqual({ items: [] });

    const audits = await dbOf(app).withTenant(t.tenantId, (tx) =>
      tx.query<{ action: string }>(`SELECT action FROM audit_log WHERE tenant_id = $1 AND object_id = $2 ORDER BY id`, [
        t.tenantId,
        id,
      ]),
    );
    expect(audits.map((r) => r.action)).toEqual([
      'customer.create',
      'customer.address.create',
      'customer.address.update',
      'customer.address.delete',
    ]);
  });

  it('checks postal code, prefecture and phone; a missing customer or address is 404; client_viewer is 403', async () => {
    const id = await customer();
    const bad = await app.inject({
      method: 'POST',
      url: `/api/v1/customers/${id}/addresses`,
      headers: auth(t.adminToken),
      payload: { name: 'x', postalCode: '123', prefecture: '架空県', phone: '12' },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['phone', 'postalCode', 'prefecture']);
    const missing = await app.inject({
      method: 'POST',
      url: `/api/v1/customers/${randomUUID()}/addresses`,
      headers: auth(t.adminToken),
      payload: { name: 'x' },
    });
    expect(missing.statusCode).toBe(404);
    const noAddress = await app.inject({
      method: 'PATCH',
      url: `/api/v1/customers/${id}/addresses/${randomUUID()}`,
      headers: auth(t.adminToken),
      payload: { name: 'y' },
    });
    expect(noAddress.statusCode).toBe(404);
    const viewer = await t.token('client_viewer');
    expect(
      (await app.inject({ method: 'GET', url: `/api/v1/customers/${id}/addresses`, headers: auth(viewer) })).statusCode,
    ).toBe(403);
  });

  it("another tenant's addresses are 404", async () => {
    const a = await makeTenant(app);
    const b = await makeTenant(app);
    const owners = new Map<string, string>();
    await crossTenantKit(app, a, b).expectIsolated({
      create: async (token) => {
        const cid = await customer(token);
        const res = await app.inject({
          method: 'POST',
          url: `/api/v1/customers/${cid}/addresses`,
          headers: auth(token),
          payload: { name: '送付先' },
        });
        owners.set(res.json().id, cid);
        return cid;
      },
      read: (cid) => `/api/v1/customers/${cid}/addresses`,
      writes: (cid) => {
        const addressId = [...owners].find(([, c]) => c === cid)?.[0] ?? randomUUID();
        return [
          { method: 'PATCH', url: `/api/v1/customers/${cid}/addresses/${addressId}`, payload: { name: '乗っ取り' } },
          { method: 'DELETE', url: `/api/v1/customers/${cid}/addresses/${addressId}` },
        ];
      },
    });
  });
});
