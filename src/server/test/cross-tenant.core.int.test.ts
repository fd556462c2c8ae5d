// The cross-tenant kit proves itself on users (DESIGN.md §3: another tenant's object → 404,
// lists never leak).
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { crossTenantKit } from './cross-tenant.js';
import { auth, makeTenant, testApp } from './harness.js';

describe('cross-tenant kit', () => {
  it('users of one tenant are invisible to another', async () => {
    const app = await testApp();
    const kit = crossTenantKit(app, await makeTenant(app), await makeTenant(app));
    await kit.expectIsolated({
      create: async (token) => {
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/users',
          headers: auth(token),
          payload: {
            email: `u-${randomUUID()}@test.madoguchi.jp`,
            name: '山田 太郎',
            role: 'operator',
            password: 'correct horse',
          },
        });
        expect(res.statusCode, res.body).toBe(201);
        return res.json().id;
      },
      read: (id) => `/api/v1/users/${id}`,
      list: '/api/v1/users',
      pageSize: 1,
      writes: (id) => [
        { method: 'PATCH', url: `/api/v1/users/${id}`, payload: { name: '乗っ取り' } },
        { method: 'POST', url: `/api/v1/users/${id}/unlock` },
        { method: 'POST', url: `/api/v1/users/${id}/reset-password`, payload: { password: 'taken-over-1' } },
      ],
    });
  });
});
