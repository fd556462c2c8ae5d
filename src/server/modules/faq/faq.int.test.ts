// FAQ / knowledge base: articles and categories, Japanese-folded search, suggestions for the
// monitor, use counts, an article made from a case, roles and tenants.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossTenantKit } from '../../test/cross-tenant.js';
import { auth, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';
import { escalate, makeInteraction } from '../cases/cases.test-util.js';

let app: TestApp;
let t: TestTenant;
let operator: string;

beforeAll(async () => {
  app = await testApp();
  t = await makeTenant(app);
  operator = await t.token('operator');
});

type Hit = { id: string; title: string; score: number; useCount: number; published: boolean };

async function article(body: Record<string, unknown>, token = t.adminToken): Promise<Hit & Record<string, unknown>> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/faq', headers: auth(token), payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function category(name: string, token = t.adminToken): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/faq/categories',
    headers: auth(token),
    payload: { name },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

async function search(query: string, token = t.adminToken): Promise<Hit[]> {
  const res = await app.inject({ method: 'GET', url: `/api/v1/faq?${query}`, headers: auth(token) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
}

async function suggest(text: string, token = operator): Promise<Hit[]> {
  const res = await app.inject({
    method: 'GET',
    url: `/api/v1/faq/suggest?text=${encodeURIComponent(text)}`,
    headers: auth(token),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
}

describe('FAQ articles', () => {
  it('writes, reads with ETag, patches with If-Match, deletes; drafts are for supervisors and admins', async () => {
    const cat = await category(`アカウント ${randomUUID().slice(0, 6)}`);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/faq',
      headers: auth(await t.token('supervisor')),
      payload: {
        title: '請求書の再発行',
        body: 'マイページから再発行できます。',
        categoryId: cat,
        keywords: ['請求書'],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.headers.etag).toBe('"1"');
    const a = res.json();
    expect(a).toMatchObject({ published: false, useCount: 0, category: { id: cat }, keywords: ['請求書'], version: 1 });

    expect((await app.inject({ method: 'GET', url: `/api/v1/faq/${a.id}`, headers: auth(operator) })).statusCode).toBe(
      404,
    );
    expect((await search('q=請求書', operator)).map((h) => h.id)).not.toContain(a.id);
    expect((await search('q=請求書')).map((h) => h.id)).toContain(a.id);

    const patch = (body: unknown, ifMatch?: string) =>
      app.inject({
        method: 'PATCH',
        url: `/api/v1/faq/${a.id}`,
        headers: { ...auth(t.adminToken), ...(ifMatch ? { 'if-match': ifMatch } : {}) },
        payload: body as object,
      });
    const published = await patch({ published: true, keywords: ['請求書', '領収書'] }, '"1"');
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json()).toMatchObject({ published: true, keywords: ['請求書', '領収書'], version: 2 });
    expect((await patch({ title: 'x' }, '"1"')).statusCode).toBe(412);
    const noCat = await patch({ categoryId: randomUUID() });
    expect(noCat.statusCode).toBe(400);
    expect(noCat.json().errors[0]).toMatchObject({ path: 'categoryId', code: 'not_found' });
    // The new keyword is searchable at once; operators see the article now.
    expect((await search('q=領収書', operator)).map((h) => h.id)).toContain(a.id);

    for (const [method, url, payload] of [
      ['POST', '/api/v1/faq', { title: 'x' }],
      ['PATCH', `/api/v1/faq/${a.id}`, { title: 'x' }],
      ['DELETE', `/api/v1/faq/${a.id}`, undefined],
      ['POST', '/api/v1/faq/categories', { name: 'x' }],
    ] as const) {
      const r = await app.inject({ method, url, headers: auth(operator), ...(payload ? { payload } : {}) });
      expect(r.statusCode, `${method} ${url}`).toBe(403);
    }
    const del = await app.inject({ method: 'DELETE', url: `/api/v1/faq/${a.id}`, headers: auth(t.adminToken) });
    expect(del.statusCode).toBe(204);
    expect(
      (await app.inject({ method: 'GET', url: `/api/v1/faq/${a.id}`, headers: auth(t.adminToken) })).statusCode,
    ).toBe(404);
  });

  it('searches with width, kana, long-vowel and variant-kanji folding, title above body', async () => {
    const tag = randomUUID().slice(0, 4);
    const inTitle = await article({
      title: `パスワードを忘れた場合 ${tag}`,
      body: 'ログイン画面の「パスワードを忘れた方」から再設定します。',
      keywords: ['ログイン', 'パスワード'],
      published: true,
    });
    const inBody = await article({
      title: `会員登録の方法 ${tag}`,
      body: '登録時にパスワードを決めていただきます。',
      published: true,
    });
    const variant = await article({ title: `齋藤様専用窓口 ${tag}`, body: 'ＶＩＰ窓口のご案内', published: true });

    // Half-width, hiragana, as stored, a minus sign typed for the long vowel mark.
    for (const q of ['ﾊﾟｽﾜｰﾄﾞ', 'ぱすわーど', 'パスワード', 'パスワ\u2212ド']) {
      const ids = (await search(`q=${encodeURIComponent(`${q} ${tag}`)}`)).map((h) => h.id);
      expect(ids, q).toEqual([inTitle.id, inBody.id]);
    }
    expect((await search(`q=${encodeURIComponent(`斎藤 ${tag}`)}`)).map((h) => h.id)).toEqual([variant.id]);
    expect((await search(`q=${encodeURIComponent(`vip ${tag}`)}`)).map((h) => h.id)).toEqual([variant.id]);
    // Every word must match: ログイン is in one of the two only.
    expect((await search(`q=${encodeURIComponent(`ろぐいん　ぱすわーど ${tag}`)}`)).map((h) => h.id)).toEqual([
      inTitle.id,
    ]);
    const ranked = await search(`q=${encodeURIComponent(`パスワード ${tag}`)}`);
    expect(ranked[0]?.score).toBeGreaterThan(ranked[1]?.score ?? 0);
  });

  it('suggests the best published articles for what the operator types, five at most', async () => {
    const tag = `${randomUUID().slice(0, 4)}`;
    const login = await article({
      title: `ログインできない ${tag}`,
      body: 'パスワードの再設定をご案内します。',
      keywords: [`ログイン${tag}`, 'パスワード再設定'],
      published: true,
    });
    const draft = await article({
      title: `ログイン障害のお詫び ${tag}`,
      keywords: [`ログイン${tag}`],
      published: false,
    });
    for (let n = 0; n < 6; n++) {
      await article({ title: `配送について ${n} ${tag}`, keywords: [`配送${tag}`], published: true });
    }
    const hits = await suggest(`お客様が昨日からﾛｸﾞｲﾝ${tag}できないとのこと`);
    expect(hits[0]?.id).toBe(login.id);
    expect(hits.map((h) => h.id)).not.toContain(draft.id);
    const delivery = await suggest(`配送${tag}の日時を変更したい`);
    expect(delivery).toHaveLength(5);
    expect((await suggest('   ')).length).toBe(0);
    const limited = await app.inject({
      method: 'GET',
      url: `/api/v1/faq/suggest?text=${encodeURIComponent(`配送${tag}`)}&limit=2`,
      headers: auth(operator),
    });
    expect(limited.json().items).toHaveLength(2);
  });

  it('counts uses, with the interaction they answered, and lists the most used first', async () => {
    const tag = randomUUID().slice(0, 6);
    const a = await article({ title: `返品の方法 ${tag}`, published: true });
    const b = await article({ title: `返金の時期 ${tag}`, published: true });
    const draft = await article({ title: `下書き ${tag}` });
    const i = await makeInteraction(app, operator);
    const use = (id: string, body?: unknown, token = operator) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/faq/${id}/used`,
        headers: auth(token),
        ...(body ? { payload: body as object } : {}),
      });
    expect((await use(b.id)).json()).toEqual({ id: b.id, useCount: 1 });
    expect((await use(b.id, { interactionId: i.id })).json()).toEqual({ id: b.id, useCount: 2 });
    expect((await use(a.id)).json().useCount).toBe(1);
    const bad = await use(a.id, { interactionId: randomUUID() });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ path: 'interactionId', code: 'not_found' });
    expect((await use(draft.id)).statusCode).toBe(404);
    // Supervisors and admins may count drafts (they see them).
    expect((await use(draft.id, undefined, t.adminToken)).json().useCount).toBe(1);
    expect((await use(b.id)).json().useCount).toBe(3);
    expect((await use(draft.id, undefined, t.adminToken)).json().useCount).toBe(2);
    const listed = (await search(`q=${tag}`)).map((h) => [h.id, h.useCount]);
    expect(listed).toEqual([
      [b.id, 3],
      [draft.id, 2],
      [a.id, 1],
    ]);
  });

  it('makes an unpublished article from a case, once', async () => {
    const engineer = await t.user('technician');
    const i = await makeInteraction(app, operator, {
      subject: 'プリンタが印刷しない',
      body: '用紙切れの表示が消えない',
    });
    const c = await escalate(app, operator, i.id, {
      assigneeId: engineer.userId,
      dueAt: new Date(Date.now() + 3_600_000).toISOString(),
      note: 'センサーの清掃で解決',
    });
    await app.inject({
      method: 'PATCH',
      url: `/api/v1/cases/${c.id}`,
      headers: auth(t.adminToken),
      payload: { comment: '綿棒で清掃するよう案内' },
    });
    const cat = await category(`プリンタ ${randomUUID().slice(0, 6)}`);
    const make = () =>
      app.inject({
        method: 'POST',
        url: `/api/v1/cases/${c.id}/faq`,
        headers: auth(t.adminToken),
        payload: { categoryId: cat },
      });
    const res = await make();
    expect(res.statusCode, res.body).toBe(201);
    const a = res.json();
    expect(a).toMatchObject({
      title: 'プリンタが印刷しない',
      published: false,
      sourceCaseId: c.id,
      category: { id: cat },
    });
    expect(a.body).toBe(
      '【お問い合わせ】\nプリンタが印刷しない\n用紙切れの表示が消えない\n\n【対応・回答】\nセンサーの清掃で解決\n・綿棒で清掃するよう案内',
    );
    const again = await make();
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('faq.case_has_article');
    expect(
      (await app.inject({ method: 'POST', url: `/api/v1/cases/${c.id}/faq`, headers: auth(operator), payload: {} }))
        .statusCode,
    ).toBe(403);
    expect(
      (await app.inject({ method: 'POST', url: `/api/v1/cases/${randomUUID()}/faq`, headers: auth(t.adminToken) }))
        .statusCode,
    ).toBe(404);
  });
});

describe('FAQ categories', () => {
  it('keeps an ordered master with article counts; deleting one uncategorises its articles', async () => {
    const b = await makeTenant(app);
    const second = await category('配送', b.adminToken);
    const first = (
      await app.inject({
        method: 'POST',
        url: '/api/v1/faq/categories',
        headers: auth(b.adminToken),
        payload: { name: '注文', position: 0 },
      })
    ).json().id;
    await app.inject({
      method: 'PATCH',
      url: `/api/v1/faq/categories/${second}`,
      headers: auth(b.adminToken),
      payload: { position: 5 },
    });
    const a = await article({ title: '送料', categoryId: second, published: true }, b.adminToken);
    await article({ title: '下書き', categoryId: second }, b.adminToken);
    const list = async (token: string) =>
      (await app.inject({ method: 'GET', url: '/api/v1/faq/categories', headers: auth(token) })).json().items;
    expect((await list(b.adminToken)).map((c: { id: string; articleCount: number }) => [c.id, c.articleCount])).toEqual(
      [
        [first, 0],
        [second, 2],
      ],
    );
    const bOperator = await b.token('operator');
    expect((await list(bOperator))[1].articleCount).toBe(1);
    const dup = await app.inject({
      method: 'POST',
      url: '/api/v1/faq/categories',
      headers: auth(b.adminToken),
      payload: { name: '配送' },
    });
    expect(dup.statusCode).toBe(409);
    const del = await app.inject({
      method: 'DELETE',
      url: `/api/v1/faq/categories/${second}`,
      headers: auth(b.adminToken),
    });
    expect(del.statusCode).toBe(204);
    const after = await app.inject({ method: 'GET', url: `/api/v1/faq/${a.id}`, headers: auth(b.adminToken) });
    expect(after.json().category).toBeNull();
  });
});

describe('cross-tenant', () => {
  it('keeps articles to their tenant', async () => {
    const b = await makeTenant(app);
    await crossTenantKit(app, t, b).expectIsolated({
      create: async (token) =>
        (await article({ title: `分離 ${randomUUID().slice(0, 6)}`, published: true }, token)).id,
      read: (id) => `/api/v1/faq/${id}`,
      list: '/api/v1/faq',
      writes: (id) => [
        { method: 'PATCH', url: `/api/v1/faq/${id}`, payload: { title: '乗っ取り' } },
        { method: 'POST', url: `/api/v1/faq/${id}/used`, payload: {} },
        { method: 'DELETE', url: `/api/v1/faq/${id}` },
      ],
    });
  });

  it('keeps suggestions and categories to their tenant', async () => {
    const b = await makeTenant(app);
    const word = `秘密${randomUUID().slice(0, 6)}`;
    const theirs = await article({ title: word, keywords: [word], published: true }, b.adminToken);
    expect((await suggest(`${word}について`)).map((h) => h.id)).not.toContain(theirs.id);
    expect((await suggest(`${word}について`, await b.token('operator'))).map((h) => h.id)).toEqual([theirs.id]);
    const cat = await category(`他社カテゴリ ${word}`, b.adminToken);
    const patch = await app.inject({
      method: 'PATCH',
      url: `/api/v1/faq/categories/${cat}`,
      headers: auth(t.adminToken),
      payload: { name: 'x' },
    });
    expect(patch.statusCode).toBe(404);
    const mine = await app.inject({
      method: 'POST',
      url: '/api/v1/faq',
      headers: auth(t.adminToken),
      payload: { title: '自社', categoryId: cat },
    });
    expect(mine.statusCode).toBe(400);
    expect(mine.json().errors[0]).toMatchObject({ path: 'categoryId', code: 'not_found' });
  });
});
