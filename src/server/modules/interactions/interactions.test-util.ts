// Helpers of the interactions module's tests (not a test file itself).
import { expect } from 'vitest';
import { auth, type TestApp } from '../../test/harness.js';

export type Res = Awaited<ReturnType<TestApp['inject']>>;
export type Interaction = {
  id: string;
  customerId: string;
  customerCode: string;
  customerName: string;
  kindId: string;
  kindName: string;
  channel: string;
  callId: string | null;
  subject: string | null;
  body: string;
  status: string;
  staffId: string | null;
  staffName: string | null;
  assigneeId: string | null;
  assigneeName: string | null;
  dueAt: string | null;
  at: string;
  version: number;
};

export function expectProblem(res: Res, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.json()).toMatchObject({ status, code });
  return res.json() as { detail: string; errors?: { path: string; code: string; message: string }[] };
}

export async function createCustomer(app: TestApp, token: string, body: Record<string, unknown> = {}): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/customers',
    headers: auth(token),
    payload: { name: '窓口 花子', ...body },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

/** The tenant's kinds by code (inquiry, complaint, subscription_change, basic_change, order, other). */
export async function kindIds(app: TestApp, token: string): Promise<Record<string, string>> {
  const res = await app.inject({ method: 'GET', url: '/api/v1/interaction-kinds', headers: auth(token) });
  expect(res.statusCode, res.body).toBe(200);
  const items = res.json().items as { id: string; code: string | null; name: string }[];
  return Object.fromEntries(items.map((k) => [k.code ?? k.name, k.id]));
}

export async function postInteraction(
  app: TestApp,
  token: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<Interaction> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/interactions',
    headers: { ...auth(token), ...headers },
    payload: { channel: 'inbound_call', body: '商品の使い方の問い合わせ', ...body },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

export async function getJson<T = Record<string, unknown>>(app: TestApp, token: string, url: string): Promise<T> {
  const res = await app.inject({ method: 'GET', url, headers: auth(token) });
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
  return res.json() as T;
}

/** Signs a user in; answers the headers of a cookie-authenticated request. */
export async function signIn(app: TestApp, email: string, password: string): Promise<Record<string, string>> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  expect(res.statusCode, res.body).toBe(200);
  const cookie = res.cookies.find((c) => c.name.endsWith('madoguchi_session'));
  return { cookie: `${cookie?.name}=${cookie?.value}`, 'x-csrf-token': res.json().csrfToken };
}
