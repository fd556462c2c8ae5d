// Likely duplicates: the same phone number typed in different formats, the same name (width,
// kana, spaces, variant kanji folded) at the same address; keyset pages; roles; tenants.
import { beforeAll, describe, expect, it } from 'vitest';
import { findString, walkList } from '../../test/cross-tenant.js';
import { auth, dbOf, makeTenant, type TestApp, type TestTenant, testApp } from '../../test/harness.js';
import { listDuplicates } from './duplicates.service.js';

type Pair = { reason: string; key: string; customers: { id: string; name: string }[] };

let app: TestApp;

beforeAll(async () => {
  app = await testApp();
});

async function create(t: TestTenant, body: Record<string, unknown>): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/customers',
    headers: auth(t.adminToken),
    payload: body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

async function allPairs(t: TestTenant, query = '', limit = 500): Promise<Pair[]> {
  const pages = (await walkList(app, t.adminToken, `/api/v1/customers/duplicates${query}`, limit)) as {
    items: Pair[];
  }[];
  return pages.flatMap((p) => p.items);
}

const idsOf = (pairs: Pair[]) => pairs.map((p) => p.customers.map((c) => c.id).join('+'));
const sorted = (a: string, b: string) => (a < b ? `${a}+${b}` : `${b}+${a}`);
const address = { postalCode: '100-0001', prefecture: '東京都', city: '千代田区' };

describe('duplicates', () => {
  it('pairs customers sharing a number in any format, and same-named customers at the same address', async () => {
    const t = await makeTenant(app);
    const p1 = await create(t, { name: '電話 一', phones: [{ number: '03-1234-5678' }] });
    const p2 = await create(t, { name: '別名 二', phones: [{ number: '０３（１２３４）５６７８' }] });
    const p3 = await create(t, {
      name: '別名 三',
      phones: [{ number: '+81 3 1234 5678' }, { number: '090-2345-1111' }],
    });
    await create(t, { name: '電話 四', phones: [{ number: '03-1234-5679' }] });

    const h1 = await create(t, { name: '高橋 花子', ...address, address1: '千代田1丁目2番3号' });
    const h2 = await create(t, { name: '髙橋　花子', ...address, postalCode: '1000001', address1: '千代田１－２－３' });
    const k1 = await create(t, { name: 'やまだ はなこ', ...address, address1: '丸の内1ー1' });
    const k2 = await create(t, { name: 'ヤマダ ハナコ', ...address, address1: '丸の内 1-1' });
    const k3 = await create(t, { name: 'ﾔﾏﾀﾞ ﾊﾅｺ', ...address, address1: '丸の内１－１' });
    await create(t, { name: '高橋 花子', ...address, address1: '千代田9-9-9' }); // another address
    await create(t, { name: '高橋 花', ...address, address1: '千代田1-2-3' }); // another name

    const pairs = await allPairs(t);
    const phone = pairs.filter((p) => p.reason === 'phone');
    expect(phone.map((p) => p.key)).toEqual(['+81312345678', '+81312345678', '+81312345678']);
    expect(idsOf(phone).sort()).toEqual([sorted(p1, p2), sorted(p1, p3), sorted(p2, p3)].sort());
    const named = pairs.filter((p) => p.reason === 'name_address');
    expect(idsOf(named).sort()).toEqual([sorted(h1, h2), sorted(k1, k2), sorted(k1, k3), sorted(k2, k3)].sort());
    expect(named.find((p) => p.customers.some((c) => c.id === h1))?.key).toBe('100-0001|高橋花子|千代田1-2-3');
    expect(pairs).toHaveLength(7);
    // Phone pairs first, then name and address; the first customer of a pair has the lower id.
    expect(pairs.slice(0, 3).every((p) => p.reason === 'phone')).toBe(true);
    for (const p of pairs) expect((p.customers[0]?.id ?? '') < (p.customers[1]?.id ?? '')).toBe(true);

    // Keyset pages of one and of two walk the same pairs, none twice.
    expect(idsOf(await allPairs(t, '', 1))).toEqual(idsOf(pairs));
    expect(idsOf(await allPairs(t, '', 2))).toEqual(idsOf(pairs));
    expect(idsOf(await allPairs(t, '?reason=name_address', 1))).toEqual(idsOf(named));
    expect(idsOf(await allPairs(t, '?reason=phone', 2))).toEqual(idsOf(phone));

    // Merged away, a customer pairs with nobody: its numbers are the kept one's now.
    for (const [keepId, mergeId] of [
      [p1, p2],
      [h1, h2],
    ]) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/customers/merge',
        headers: auth(t.adminToken),
        payload: { keepId, mergeId },
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    const left = await allPairs(t);
    expect(idsOf(left).sort()).toEqual([sorted(p1, p3), sorted(k1, k2), sorted(k1, k3), sorted(k2, k3)].sort());
  });

  it('leaves out numbers shared by more than 20 customers (a switchboard), and refuses forged cursors', async () => {
    const t = await makeTenant(app);
    for (let i = 0; i < 21; i++) await create(t, { name: `代表 ${i}`, phones: [{ number: '050-1234-0000' }] });
    expect(await allPairs(t)).toEqual([]);
    const forged = await app.inject({
      method: 'GET',
      url: `/api/v1/customers/duplicates?cursor=${Buffer.from('[5,"x"]').toString('base64url')}`,
      headers: auth(t.adminToken),
    });
    expect(forged.statusCode).toBe(400);
  });

  it('reads a bounded stretch of the index per request: short pages carry on, a huge group is skipped', async () => {
    const t = await makeTenant(app);
    for (let i = 0; i < 30; i++) await create(t, { name: `代表 ${i}`, phones: [{ number: '03-1234-5555' }] });
    for (let i = 0; i < 21; i++) await create(t, { name: `単独 ${i}`, phones: [{ number: `06-6123-${1000 + i}` }] });
    const trio = [1, 2, 3].map(() => ({ name: '三人', phones: [{ number: '03-1234-0001' }] }));
    for (const body of trio) await create(t, body);
    for (let i = 0; i < 2; i++) await create(t, { name: `二人 ${i}`, phones: [{ number: '090-9999-0002' }] });

    const walk = async (scanRows?: number) => {
      const pairs: string[] = [];
      let shortPages = 0;
      let cursor: string | undefined;
      for (let n = 0; n < 100; n++) {
        const page = await listDuplicates(dbOf(app), t, { reason: 'phone', limit: 2, cursor }, scanRows);
        pairs.push(...page.items.map((p) => `${p.key}:${p.customers[0].id}+${p.customers[1].id}`));
        if (!page.nextCursor) return { pairs, shortPages };
        if (page.items.length < 2) shortPages++;
        cursor = page.nextCursor;
      }
      throw new Error('no end');
    };
    const whole = await walk();
    expect(whole.pairs).toHaveLength(4);
    expect(whole.shortPages).toBe(0);
    const bounded = await walk(25);
    expect(bounded.pairs).toEqual(whole.pairs);
    expect(bounded.shortPages).toBeGreaterThan(0);
  });

  it('is for admins and supervisors; each tenant sees only its own customers', async () => {
    const a = await makeTenant(app);
    const b = await makeTenant(app);
    const same = { name: '同姓 同名', phones: [{ number: '06-6000-0001' }], ...address, address1: '大手町1-1' };
    const aIds = [await create(a, same), await create(a, same)];
    const bIds = [await create(b, same), await create(b, same)];
    const operator = await a.token('operator');
    const refused = await app.inject({ method: 'GET', url: '/api/v1/customers/duplicates', headers: auth(operator) });
    expect(refused.statusCode).toBe(403);
    const supervisor = await a.token('supervisor');
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/customers/duplicates', headers: auth(supervisor) })).statusCode,
    ).toBe(200);

    const aPairs = await allPairs(a);
    const bPairs = await allPairs(b);
    expect(aPairs.map((p) => p.reason)).toEqual(['phone', 'name_address']);
    for (const id of bIds) expect(findString(aPairs, id)).toBe(false);
    for (const id of aIds) expect(findString(bPairs, id)).toBe(false);
    for (const id of bIds) expect(findString(bPairs, id)).toBe(true);
  });
});
