// Helpers of the cases, notifications and FAQ tests: an interaction to escalate, a case, a
// signed-in user's headers.
import { expect } from 'vitest';
import { auth, type TestApp, type TestUser } from '../../test/harness.js';

export type Session = { cookie: string; csrf: string };

/** Signs a user in; answers the cookie and CSRF token a browser would hold. */
export async function signIn(app: TestApp, user: Pick<TestUser, 'email' | 'password'>): Promise<Session> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: user.email, password: user.password },
  });
  expect(res.statusCode, res.body).toBe(200);
  const cookie = res.cookies.find((c) => c.name.endsWith('madoguchi_session'));
  if (!cookie) throw new Error('login set no session cookie');
  return { cookie: `${cookie.name}=${cookie.value}`, csrf: res.json().csrfToken };
}

/** Headers of a signed-in browser (cookie, and the CSRF token a write needs). */
export function session(s: Session): Record<string, string> {
  return { cookie: s.cookie, 'x-csrf-token': s.csrf };
}

export async function kindIds(app: TestApp, token: string): Promise<Map<string, string>> {
  const res = await app.inject({ method: 'GET', url: '/api/v1/interaction-kinds', headers: auth(token) });
  expect(res.statusCode, res.body).toBe(200);
  return new Map((res.json().items as { id: string; name: string }[]).map((k) => [k.name, k.id]));
}

export type MadeInteraction = { id: string; customerId: string; kindId: string };

/** A customer and an inbound-call interaction of theirs (kind 問い合わせ unless told). */
export async function makeInteraction(
  app: TestApp,
  token: string,
  opts: { kind?: string; subject?: string; body?: string; at?: string; customerId?: string } = {},
): Promise<MadeInteraction> {
  let customerId = opts.customerId;
  if (!customerId) {
    const c = await app.inject({
      method: 'POST',
      url: '/api/v1/customers',
      headers: auth(token),
      payload: { name: '山田 太郎', nameKana: 'ヤマダ タロウ', phones: [{ number: '03-1234-5678' }] },
    });
    expect(c.statusCode, c.body).toBe(201);
    customerId = c.json().id as string;
  }
  const kindId = (await kindIds(app, token)).get(opts.kind ?? '問い合わせ');
  if (!kindId) throw new Error(`no interaction kind ${opts.kind}`);
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/interactions',
    headers: auth(token),
    payload: {
      customerId,
      kindId,
      channel: 'inbound_call',
      subject: opts.subject ?? 'プリンタに接続できない',
      body: opts.body ?? 'USB で接続しても認識されないとのこと。',
      ...(opts.at ? { at: opts.at } : {}),
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return { id: res.json().id, customerId, kindId };
}

/** Escalates an interaction; answers the case. */
export async function escalate(
  app: TestApp,
  token: string,
  interactionId: string,
  body: Record<string, unknown>,
): Promise<{ id: string; number: number; dueAt: string; status: string } & Record<string, unknown>> {
  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/interactions/${interactionId}/escalate`,
    headers: auth(token),
    payload: body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
