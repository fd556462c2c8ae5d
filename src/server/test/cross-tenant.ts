// Cross-tenant test kit (DESIGN.md §3, §9): every module proves that another tenant's ids answer
// 404 and that its lists never show them.
//
//   const app = await testApp();
//   const kit = crossTenantKit(app, await makeTenant(app), await makeTenant(app));
//   await kit.expectIsolated({
//     create: async (token) => {
//       const res = await app.inject({ method: 'POST', url: '/api/v1/customers', headers: auth(token),
//         payload: { name: '山田太郎' } });
//       return res.json().id;
//     },
//     read: (id) => `/api/v1/customers/${id}`,
//     list: '/api/v1/customers',
//     writes: (id) => [{ method: 'PATCH', url: `/api/v1/customers/${id}`, payload: { name: 'x' } }],
//   });
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { TestApp, TestTenant } from './harness.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type Isolation = {
  /** Creates one object as the tenant owning `token` and returns its id. Called for A (twice) and B. */
  create: (token: string) => Promise<string>;
  /** The path that reads one object. */
  read: (id: string) => string;
  /** A list path answering `{ items, nextCursor }` (query string allowed). */
  list?: string;
  /** Requests on A's object that B must also get 404 for (and that must not change it). */
  writes?: (id: string) => Array<{ method: Method; url: string; payload?: unknown; headers?: Record<string, string> }>;
  /** An id of the right shape that exists nowhere (default: a random uuid). */
  missingId?: string;
  /** Page size used to walk lists (default 500, the API maximum). */
  pageSize?: number;
};

export type CrossTenantKit = { expectIsolated(spec: Isolation): Promise<void> };

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Kit for two tenants of one app: `a` owns the objects, `b` tries to reach them. */
export function crossTenantKit(app: TestApp, a: TestTenant, b: TestTenant): CrossTenantKit {
  return { expectIsolated: (spec) => expectIsolated(app, a, b, spec) };
}

export async function expectIsolated(app: TestApp, a: TestTenant, b: TestTenant, spec: Isolation): Promise<void> {
  const aIds = [await spec.create(a.adminToken), await spec.create(a.adminToken)];
  const bId = await spec.create(b.adminToken);
  for (const id of [...aIds, bId]) expect(typeof id === 'string' && id.length > 0, `create returned ${id}`).toBe(true);

  const before = await app.inject({ method: 'GET', url: spec.read(aIds[0] as string), headers: bearer(a.adminToken) });
  // The owner reads its object: the 404s below are about the tenant, not a broken route.
  expect(before.statusCode, `owner reading ${spec.read(aIds[0] as string)}`).toBe(200);
  expect(
    (await app.inject({ method: 'GET', url: spec.read(bId), headers: bearer(b.adminToken) })).statusCode,
    'tenant B reading its own object',
  ).toBe(200);

  // An id that exists nowhere: A's ids must look exactly like it to B (no existence oracle).
  const missingUrl = spec.read(spec.missingId ?? randomUUID());
  const missing = await app.inject({ method: 'GET', url: missingUrl, headers: bearer(b.adminToken) });
  expectNotFound(missing, `B GET ${missingUrl} (no such id)`);
  for (const id of aIds) {
    const url = spec.read(id);
    const res = await app.inject({ method: 'GET', url, headers: bearer(b.adminToken) });
    expectNotFound(res, `B GET ${url}`);
    expect(problemCode(res), `B GET ${url}: same problem as a missing id`).toBe(problemCode(missing));
  }
  for (const req of spec.writes?.(aIds[0] as string) ?? []) {
    const res = await app.inject({
      method: req.method,
      url: req.url,
      headers: { ...bearer(b.adminToken), ...req.headers },
      ...(req.payload === undefined ? {} : { payload: req.payload as never }),
    });
    expectNotFound(res, `B ${req.method} ${req.url}`);
  }
  if (spec.writes) {
    const after = await app.inject({ method: 'GET', url: spec.read(aIds[0] as string), headers: bearer(a.adminToken) });
    expect(after.statusCode).toBe(200);
    expect(after.json(), "B's refused writes left A's object unchanged").toEqual(before.json());
  }

  if (spec.list) {
    const bPages = await walkList(app, b.adminToken, spec.list, spec.pageSize);
    for (const id of aIds) {
      expect(findString(bPages, id), `A's id ${id} appears in B's ${spec.list}`).toBe(false);
    }
    expect(findString(bPages, bId), `B's own id in B's ${spec.list}`).toBe(true);
    const aPages = await walkList(app, a.adminToken, spec.list, spec.pageSize);
    expect(findString(aPages, bId), `B's id ${bId} appears in A's ${spec.list}`).toBe(false);
    for (const id of aIds) expect(findString(aPages, id), `A's own id in A's ${spec.list}`).toBe(true);
  }
}

type Injected = { statusCode: number; headers: Record<string, unknown>; body: string };

/** 404 problem+json, exactly what an id that exists nowhere gets (never 403: that would confirm it). */
function expectNotFound(res: Injected, what: string): void {
  expect(res.statusCode, `${what} → ${res.statusCode} ${res.body.slice(0, 200)}`).toBe(404);
  expect(String(res.headers['content-type'] ?? ''), `${what}: problem+json`).toMatch(/application\/problem\+json/);
}

function problemCode(res: Injected): unknown {
  try {
    return (JSON.parse(res.body) as { code?: unknown }).code;
  } catch {
    return undefined;
  }
}

/** Every page of a `{ items, nextCursor }` list, following nextCursor to the end. */
export async function walkList(app: TestApp, token: string, list: string, pageSize = 500): Promise<unknown[]> {
  const pages: unknown[] = [];
  const seen = new Set<string>();
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const url = withQuery(list, { limit: String(pageSize), ...(cursor ? { cursor } : {}) });
    const res = await app.inject({ method: 'GET', url, headers: bearer(token) });
    expect(res.statusCode, `GET ${url} → ${res.statusCode} ${res.body.slice(0, 200)}`).toBe(200);
    const body = res.json() as { items?: unknown; nextCursor?: unknown };
    expect(Array.isArray(body.items), `GET ${url} answers { items, nextCursor }`).toBe(true);
    pages.push(body);
    if (body.nextCursor === null || body.nextCursor === undefined) return pages;
    expect(typeof body.nextCursor).toBe('string');
    cursor = body.nextCursor as string;
    expect(seen.has(cursor), `GET ${list}: nextCursor repeats`).toBe(false);
    seen.add(cursor);
  }
  throw new Error(`GET ${list}: more than 1000 pages`);
}

export function withQuery(url: string, params: Record<string, string>): string {
  const [pathPart, query = ''] = url.split('?', 2) as [string, string?];
  const search = new URLSearchParams(query);
  for (const [k, v] of Object.entries(params)) search.set(k, v);
  return `${pathPart}?${search.toString()}`;
}

/** True when `needle` occurs as a whole string value (or key) anywhere inside `value`. */
export function findString(value: unknown, needle: string): boolean {
  if (typeof value === 'string') return value === needle;
  if (Array.isArray(value)) return value.some((v) => findString(v, needle));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([k, v]) => k === needle || findString(v, needle));
  }
  return false;
}
