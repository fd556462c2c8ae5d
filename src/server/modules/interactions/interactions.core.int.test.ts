// 対応履歴 on both databases: default kinds, record a call (and its AC履歴 row), the customer's
// history newest first in keyset pages, PATCH with If-Match and the change history, the last
// contact kept for the 長期未対応 list (the trigger on customers included).
import { beforeAll, describe, expect, it } from 'vitest';
import { auth, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';
import {
  createCustomer,
  expectProblem,
  getJson,
  type Interaction,
  kindIds,
  postInteraction,
} from './interactions.test-util.js';

let app: TestApp;
let t: TestTenant;
let kinds: Record<string, string>;

beforeAll(async () => {
  app = await testApp();
  t = await makeTenant(app);
  kinds = await kindIds(app, t.adminToken);
});

describe('interaction kinds', () => {
  it('a tenant starts with the six default kinds, in order, made once', async () => {
    const { items } = await getJson<{ items: { code: string; name: string; active: boolean }[] }>(
      app,
      t.adminToken,
      '/api/v1/interaction-kinds',
    );
    expect(items.map((k) => [k.code, k.name, k.active])).toEqual([
      ['inquiry', '問い合わせ', true],
      ['complaint', 'クレーム', true],
      ['subscription_change', '定期変更', true],
      ['basic_change', '基本変更', true],
      ['order', '注文', true],
      ['other', 'その他', true],
    ]);
  });
});

describe('record and read', () => {
  it('POST → 201 with names joined, ETag and Location; a call also records a `call` action', async () => {
    const customerId = await createCustomer(app, t.adminToken, { name: '佐賀 太郎' });
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/interactions',
      headers: auth(t.adminToken),
      payload: {
        customerId,
        kindId: kinds.inquiry,
        channel: 'inbound_call',
        callId: 'CA-0001',
        subject: '使用方法',
        body: '商品についての使用方法の問合せ。使用方法を回答。',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json() as Interaction;
    expect(created).toMatchObject({
      customerId,
      customerName: '佐賀 太郎',
      customerCode: expect.stringMatching(/^C\d{6}$/),
      kindId: kinds.inquiry,
      kindName: '問い合わせ',
      channel: 'inbound_call',
      callId: 'CA-0001',
      subject: '使用方法',
      status: 'in_progress',
      staffId: null,
      assigneeId: null,
      dueAt: null,
      version: 1,
    });
    expect(res.headers.etag).toBe('"1"');
    expect(res.headers.location).toBe(`/api/v1/interactions/${created.id}`);

    const read = await app.inject({
      method: 'GET',
      url: `/api/v1/interactions/${created.id}`,
      headers: auth(t.adminToken),
    });
    expect(read.headers.etag).toBe('"1"');
    expect(read.json()).toEqual(created);

    const actions = await getJson<{ items: Record<string, unknown>[] }>(
      app,
      t.adminToken,
      `/api/v1/customers/${customerId}/actions`,
    );
    expect(actions.items).toEqual([
      expect.objectContaining({
        kind: 'call',
        at: created.at,
        refType: 'interaction',
        refId: created.id,
        note: '使用方法',
      }),
    ]);
  });

  it("the customer's 対応履歴 is newest first, in keyset pages that neither repeat nor skip", async () => {
    const customerId = await createCustomer(app, t.adminToken);
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      const at = new Date(Date.UTC(2024, 0, 1 + i, 1, 0, 0)).toISOString();
      made.push(
        (await postInteraction(app, t.adminToken, { customerId, kindId: kinds.complaint, channel: 'mail', at })).id,
      );
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Interaction[]; nextCursor: string | null } = await getJson(
        app,
        t.adminToken,
        `/api/v1/customers/${customerId}/interactions?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...made].reverse());
  });
});

describe('change', () => {
  it('PATCH: If-Match stale → 412, current → 200 and ETag +1; history keeps status, assignee and due changes', async () => {
    const customerId = await createCustomer(app, t.adminToken);
    const supervisor = await t.user('supervisor', { name: '古賀 雅美' });
    const created = await postInteraction(app, t.adminToken, { customerId, kindId: kinds.complaint });
    const patch = (payload: Record<string, unknown>, ifMatch?: string) =>
      app.inject({
        method: 'PATCH',
        url: `/api/v1/interactions/${created.id}`,
        headers: { ...auth(t.adminToken), ...(ifMatch ? { 'if-match': ifMatch } : {}) },
        payload,
      });

    const first = await patch(
      { status: 'on_hold', assigneeId: supervisor.userId, dueAt: '2030-01-31T18:00:00+09:00' },
      '"1"',
    );
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers.etag).toBe('"2"');
    expect(first.json()).toMatchObject({
      status: 'on_hold',
      assigneeId: supervisor.userId,
      assigneeName: '古賀 雅美',
      dueAt: '2030-01-31T09:00:00.000Z',
      version: 2,
    });
    expectProblem(await patch({ status: 'done' }, '"1"'), 412, 'precondition_failed');
    const done = await patch({ status: 'done', body: '説明書を郵送' });
    expect(done.json()).toMatchObject({ status: 'done', body: '説明書を郵送', version: 3 });

    const { items } = await getJson<{ items: { field: string; from: string | null; to: string | null }[] }>(
      app,
      t.adminToken,
      `/api/v1/interactions/${created.id}/events`,
    );
    expect(items.map((e) => [e.field, e.from, e.to])).toEqual([
      ['created', null, 'in_progress'],
      ['status', 'in_progress', 'on_hold'],
      ['assignee', null, supervisor.userId],
      ['due', null, '2030-01-31T09:00:00.000Z'],
      ['status', 'on_hold', 'done'],
    ]);
  });
});

describe('last contact', () => {
  it('a new customer is quiet since its registration; an interaction moves its last contact', async () => {
    const customerId = await createCustomer(app, t.adminToken, { name: '放置 次郎' });
    const neglected = (days: number) =>
      getJson<{ items: { customerId: string; lastContactLabel: string | null }[] }>(
        app,
        t.adminToken,
        `/api/v1/customers/neglected?days=${days}&limit=500`,
      );
    // 1 day: only customers whose last touch is before today's start; a customer registered today is not.
    expect((await neglected(1)).items.map((c) => c.customerId)).not.toContain(customerId);
    await postInteraction(app, t.adminToken, {
      customerId,
      kindId: kinds.order,
      channel: 'letter',
      at: '2020-01-15T10:00:00+09:00',
    });
    // A contact older than the registration does not make the customer look quieter.
    expect((await neglected(1)).items.map((c) => c.customerId)).not.toContain(customerId);
  });
});
