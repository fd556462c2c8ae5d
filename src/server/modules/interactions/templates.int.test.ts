// トーク/返信テンプレート: CRUD for admins and supervisors with If-Match, reading and rendering
// for the desk, the placeholders filled from the customer (never the karte), tenant isolation.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.js';
import { crossTenantKit } from '../../test/cross-tenant.js';
import { auth, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';
import { createCustomer, expectProblem, getJson, signIn } from './interactions.test-util.js';

let app: TestApp;
let t: TestTenant;
const clock = new ManualClock(new Date('2031-04-01T14:59:00Z')); // 23:59 on 1 April in Tokyo (sessions need a clock ahead of the database's)

beforeAll(async () => {
  app = await testApp({ clock });
  t = await makeTenant(app, { name: 'まどぐち通販' });
});

type Template = { id: string; kind: string; name: string; subject: string | null; body: string; version: number };
const send = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, token = t.adminToken, headers = {}) =>
  app.inject({
    method,
    url: `/api/v1/templates${url}`,
    headers: { ...auth(token), ...headers },
    ...(payload ? { payload } : {}),
  });

async function create(payload: Record<string, unknown>, token = t.adminToken): Promise<Template> {
  const res = await send('POST', '', { kind: 'reply', ...payload }, token);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const render = (id: string, customerId: string, token = t.adminToken) =>
  app.inject({ method: 'POST', url: `/api/v1/templates/${id}/render`, headers: auth(token), payload: { customerId } });

describe('CRUD', () => {
  it('create → 201 with ETag; PATCH with a stale If-Match → 412, current → 200; DELETE → 204 then 404', async () => {
    const res = await send('POST', '', { kind: 'talk', name: '受付の挨拶', body: 'お電話ありがとうございます。' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    const tpl = res.json() as Template;
    expect(tpl).toMatchObject({
      kind: 'talk',
      name: '受付の挨拶',
      subject: null,
      active: true,
      interactionKindId: null,
    });
    const read = await app.inject({ method: 'GET', url: `/api/v1/templates/${tpl.id}`, headers: auth(t.adminToken) });
    expect(read.headers.etag).toBe('"1"');
    const ok = await send(
      'PATCH',
      `/${tpl.id}`,
      { body: 'お電話ありがとうございます。{{組織名}}でございます。' },
      t.adminToken,
      {
        'if-match': '"1"',
      },
    );
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.headers.etag).toBe('"2"');
    expectProblem(
      await send('PATCH', `/${tpl.id}`, { name: '別名' }, t.adminToken, { 'if-match': '"1"' }),
      412,
      'precondition_failed',
    );
    expect((await send('DELETE', `/${tpl.id}`)).statusCode).toBe(204);
    expectProblem(await send('DELETE', `/${tpl.id}`), 404, 'not_found');
  });

  it('a name taken → 409; an unknown interaction kind → 400 on interactionKindId', async () => {
    await create({ name: '重複名', body: 'x' });
    expect(
      expectProblem(
        await send('POST', '', { kind: 'reply', name: '重複名', body: 'y' }),
        409,
        'interactions.template_name_taken',
      ).errors?.[0]?.path,
    ).toBe('name');
    const bad = await send('POST', '', { kind: 'reply', name: '区分違い', body: 'y', interactionKindId: randomUUID() });
    expect(expectProblem(bad, 400, 'validation').errors?.[0]).toMatchObject({
      path: 'interactionKindId',
      code: 'not_found',
    });
  });

  it('lists by name, filtered by kind, active and text, in keyset pages', async () => {
    const fresh = await makeTenant(app);
    for (const [i, name] of ['あ返信', 'い返信', 'う返信'].entries()) {
      await create({ name, body: `本文${i}`, kind: 'reply', active: i !== 1 }, fresh.adminToken);
    }
    await create({ name: 'えトーク', body: '特別な本文', kind: 'talk' }, fresh.adminToken);
    const names = async (q: string) =>
      (await getJson<{ items: Template[] }>(app, fresh.adminToken, `/api/v1/templates?${q}`)).items.map((x) => x.name);
    expect(await names('kind=reply')).toEqual(['あ返信', 'い返信', 'う返信']);
    expect(await names('active=false')).toEqual(['い返信']);
    expect(await names('q=特別')).toEqual(['えトーク']);
    expect(await names('q=%25')).toEqual([]);
    const first = await getJson<{ items: Template[]; nextCursor: string }>(
      app,
      fresh.adminToken,
      '/api/v1/templates?limit=3',
    );
    const second = await getJson<{ items: Template[]; nextCursor: string | null }>(
      app,
      fresh.adminToken,
      `/api/v1/templates?limit=3&cursor=${first.nextCursor}`,
    );
    expect([...first.items, ...second.items].map((x) => x.name)).toEqual(['あ返信', 'い返信', 'う返信', 'えトーク']);
    expect(second.nextCursor).toBeNull();
  });

  it('operators read and render but do not write; client_viewer does neither; writes are audited', async () => {
    const tpl = await create({ name: '権限確認', body: '{{顧客名}}様' });
    const operator = await t.token('operator');
    expectProblem(await send('POST', '', { kind: 'reply', name: 'x', body: 'x' }, operator), 403, 'forbidden');
    expectProblem(await send('PATCH', `/${tpl.id}`, { name: 'x' }, operator), 403, 'forbidden');
    expectProblem(await send('DELETE', `/${tpl.id}`, undefined, operator), 403, 'forbidden');
    expect((await app.inject({ method: 'GET', url: '/api/v1/templates', headers: auth(operator) })).statusCode).toBe(
      200,
    );
    const customerId = await createCustomer(app, t.adminToken);
    expect((await render(tpl.id, customerId, operator)).statusCode).toBe(200);
    const viewer = await t.token('client_viewer');
    for (const url of ['/api/v1/templates', `/api/v1/templates/${tpl.id}`, '/api/v1/templates/placeholders']) {
      expectProblem(await app.inject({ method: 'GET', url, headers: auth(viewer) }), 403, 'forbidden');
    }
    expectProblem(await render(tpl.id, customerId, viewer), 403, 'forbidden');
    const supervisor = await t.token('supervisor');
    expect((await send('PATCH', `/${tpl.id}`, { active: false }, supervisor)).statusCode).toBe(200);
    const { items } = await getJson<{ items: { action: string }[] }>(
      app,
      t.adminToken,
      `/api/v1/audit?objectType=reply_template&objectId=${tpl.id}`,
    );
    expect(items.map((i) => i.action).sort()).toEqual(['template.create', 'template.update']);
  });
});

describe('render', () => {
  it('fills customer, staff, user, organisation and today in Tokyo; unknown placeholders stay and are reported', async () => {
    const staff = await t.user('supervisor', { name: '古賀 雅美' });
    const customerId = await createCustomer(app, t.adminToken, {
      name: '佐賀 太郎',
      nameKana: 'サガ タロウ',
      company: '佐賀商事',
      staffId: staff.userId,
    });
    const tpl = await create({
      name: 'お礼メール',
      subject: '【{{組織名}}】{{顧客名}}様へのご連絡',
      body:
        '{{会社名}}\n{{顧客名}}様 ({{フリガナ}}, {{customer.code}})\n{{姓}}様、担当の{{担当者名}}です。' +
        '営業担当は{{顧客担当者名}}です。{{日付}} {{時刻}} {{ポイント残高}} {{部署名}}',
    });
    const operator = await t.user('operator', { name: '窓口 一郎' });
    const session = await signIn(app, operator.email, operator.password);
    const renderAs = (headers: Record<string, string>) =>
      app.inject({ method: 'POST', url: `/api/v1/templates/${tpl.id}/render`, headers, payload: { customerId } });
    const res = await renderAs(session);
    expect(res.statusCode, res.body).toBe(200);
    const code = (await getJson<{ code: string }>(app, t.adminToken, `/api/v1/customers/${customerId}`)).code;
    expect(res.json()).toEqual({
      subject: '【まどぐち通販】佐賀 太郎様へのご連絡',
      text:
        `佐賀商事\n佐賀 太郎様 (サガ タロウ, ${code})\n佐賀様、担当の窓口 一郎です。` +
        '営業担当は古賀 雅美です。2031年4月1日 23:59 {{ポイント残高}} ',
      unknown: ['ポイント残高'],
      empty: ['部署名'],
    });
    // Two minutes later it is the next day in Tokyo (still 1 April in UTC).
    clock.advance(2 * 60_000);
    const next = await renderAs(session);
    expect(next.json().text).toContain('2031年4月2日 00:01');
    // An API token is no person: 担当者名 is empty and reported.
    const byToken = await render(tpl.id, customerId, await t.token('operator'));
    expect(byToken.json()).toMatchObject({ empty: ['担当者名', '部署名'] });
    expect(byToken.json().text).toContain('担当のです。');
  });

  it('never reads the karte: a karte placeholder is unknown and its text is nowhere', async () => {
    const customerId = await createCustomer(app, t.adminToken, { name: '健康 花子' });
    const karte = await app.inject({
      method: 'PUT',
      url: `/api/v1/customers/${customerId}/karte`,
      headers: auth(t.adminToken),
      payload: { conditions: '右ひざの痛み', allergies: 'そば' },
    });
    expect(karte.statusCode, karte.body).toBe(200);
    const tpl = await create({ name: 'カルテ参照', body: '{{顧客名}} {{カルテ}} {{karte.conditions}} {{allergies}}' });
    const res = await render(tpl.id, customerId);
    expect(res.json()).toMatchObject({
      text: '健康 花子 {{カルテ}} {{karte.conditions}} {{allergies}}',
      unknown: ['カルテ', 'karte.conditions', 'allergies'],
    });
    expect(res.body).not.toMatch(/ひざ|そば/);
  });

  it('an unknown template or customer → 404; GET /templates/placeholders lists the names', async () => {
    const tpl = await create({ name: '404確認', body: 'x' });
    const customerId = await createCustomer(app, t.adminToken);
    expectProblem(await render(randomUUID(), customerId), 404, 'not_found');
    expectProblem(await render(tpl.id, randomUUID()), 404, 'not_found');
    const { items } = await getJson<{ items: { key: string; ja: string[] }[] }>(
      app,
      t.adminToken,
      '/api/v1/templates/placeholders',
    );
    expect(items.find((p) => p.key === 'customer.name')?.ja).toContain('顧客名');
    expect(items.map((p) => p.key)).toEqual(expect.arrayContaining(['staff.name', 'date']));
  });
});

describe('tenant isolation', () => {
  it("another tenant's templates answer 404 and never appear in its list; its customers cannot be rendered", async () => {
    const b = await makeTenant(app);
    let n = 0;
    await crossTenantKit(app, t, b).expectIsolated({
      create: async (token) => (await create({ name: `分離 ${++n}`, body: '{{顧客名}}' }, token)).id,
      read: (id) => `/api/v1/templates/${id}`,
      list: '/api/v1/templates',
      writes: (id) => [
        { method: 'PATCH', url: `/api/v1/templates/${id}`, payload: { name: '乗っ取り' } },
        { method: 'DELETE', url: `/api/v1/templates/${id}` },
      ],
    });
    const aCustomer = await createCustomer(app, t.adminToken, { name: '他社 顧客' });
    const bTemplate = await create({ name: '他社用', body: '{{顧客名}}' }, b.adminToken);
    const res = await render(bTemplate.id, aCustomer, b.adminToken);
    expectProblem(res, 404, 'not_found');
    expect(res.body).not.toMatch(/他社 顧客/);
    const aTemplate = await create({ name: 'A社用', body: 'x' });
    expectProblem(await render(aTemplate.id, aCustomer, b.adminToken), 404, 'not_found');
  });
});
