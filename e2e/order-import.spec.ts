// Web受注取込 (seed: 受注 → Web受注取込): an admin takes an online shop's order CSV in Shift_JIS, as
// the shop exports it (two orders, three rows, Japanese headers that map by themselves). The dry
// run shows both orders OK and writes nothing; a file with an unknown product code shows the bad
// row and can't be imported (nothing is written); the good file is imported and its orders are in
// 受注一覧 with channel Web. Screenshots: e2e/screenshots/order-import-*.png.
import type { Page } from '@playwright/test';
import iconv from 'iconv-lite';
import { expect, test } from './fixtures.js';
import { screenshot, signInAsAdmin, unique } from './helpers.js';

const shot = (page: Page, name: string) => screenshot(page, `order-import-${name}`);

const HEADER =
  '注文番号,商品コード,数量,氏名,フリガナ,電話番号,メールアドレス,郵便番号,都道府県,市区町村,住所1,支払方法,備考';

/** The shop's export: CRLF, Shift_JIS (CP932), one row per order line. */
const sjisCsv = (rows: string[]) => iconv.encode(`${[HEADER, ...rows].join('\r\n')}\r\n`, 'cp932');

async function upload(page: Page, name: string, buffer: Buffer) {
  // The FileInput's own <input type=file>, set directly (no file dialog).
  await page.locator('input[type="file"]').setInputFiles({ name, mimeType: 'text/csv', buffer });
}

test('a Shift_JIS web-order CSV: dry run, a bad row refused with nothing written, then imported as Web orders', async ({
  adminApi,
  page,
}) => {
  test.setTimeout(90_000);
  const tag = unique();
  const digits = String(Date.now()).slice(-8);
  // Mobile numbers of this run only (never 0X0-0…); two new customers.
  const phone1 = `090-2${digits.slice(1, 4)}-${digits.slice(4)}`;
  const phone2 = `080-3${digits.slice(1, 4)}-${digits.slice(4)}`;
  const w1 = `W${tag}-1`;
  const w2 = `W${tag}-2`;
  const rows = (secondCode: string) => [
    `${w1},BLUEBERRY-60,1,取込 一郎,トリコミ イチロウ,${phone1},ichiro-${tag}@example.jp,150-0001,東京都,渋谷区神宮前,1-2-3,CARD,のし不要`,
    `${w1},${secondCode},2,,,,,,,,,,`,
    `${w2},COLLAGEN-10,1,取込 花子,トリコミ ハナコ,${phone2},,530-0001,大阪府,大阪市北区梅田,4-5-6,COD,`,
  ];
  const good = sjisCsv(rows('AOJIRU-30'));
  const bad = sjisCsv(rows(`NOPE-${tag}`));
  const customersByPhone = async (phone: string) =>
    (await adminApi.get<{ items: unknown[] }>(`/customers/lookup?phone=${encodeURIComponent(phone)}`)).items.length;

  await signInAsAdmin(page);
  await page.goto('/orders/import');
  await expect(page.getByTestId('page-title')).toHaveText('Web受注取込');

  // The good file: Shift_JIS detected, the Japanese headers mapped by themselves.
  await upload(page, `orders-${tag}.csv`, good);
  await expect(page.getByTestId('order-import-detected')).toHaveText('Shift_JIS・3 行');
  const mapping = page.getByTestId('order-import-mapping');
  for (const [target, header] of [
    ['orderNumber', '注文番号'],
    ['productCode', '商品コード'],
    ['quantity', '数量'],
    ['name', '氏名'],
    ['phone', '電話番号'],
    ['paymentMethod', '支払方法'],
  ] as const) {
    await expect(mapping.getByTestId(`order-import-map-${target}`)).toHaveValue(header);
  }
  await expect(mapping).toContainText('BLUEBERRY-60');

  // 取込チェック (F4): both orders OK, two new customers; nothing written.
  await expect(page.getByTestId('order-import-commit')).toBeDisabled();
  await page.keyboard.press('F4');
  const summary = page.getByTestId('order-import-summary');
  await expect(summary).toContainText('OK');
  await expect(page.getByTestId('order-import-counts')).toHaveText(
    '3 行・受注 2 件（正常 2 件）・既存顧客 0 名・新規顧客 2 名',
  );
  for (const w of [w1, w2]) {
    await expect(page.getByTestId(`order-import-order-${w}`)).toContainText('OK');
    await expect(page.getByTestId(`order-import-order-${w}`)).toContainText('新規登録');
  }
  await expect(page.getByTestId(`order-import-order-${w1}`)).toContainText('取込 一郎');
  await expect(page.getByTestId('order-import-commit')).toBeEnabled();
  await shot(page, '01-dry-run');
  expect(await customersByPhone(phone1)).toBe(0);

  // A file with an unknown product code: the row, the file's column and the reason; no import.
  await upload(page, `orders-${tag}-bad.csv`, bad);
  await expect(page.getByTestId('order-import-summary')).toHaveCount(0);
  await page.getByTestId('order-import-dryrun').click();
  await expect(summary).toContainText('取込不可');
  const errors = page.getByTestId('order-import-errors');
  await expect(errors.locator('tbody tr')).toHaveCount(1);
  await expect(errors.locator('tbody tr td').first()).toHaveText('3');
  await expect(errors.locator('tbody tr').first()).toContainText('商品コード');
  await expect(errors.locator('tbody tr').first()).toContainText(`商品コード「NOPE-${tag}」の商品がありません。`);
  await expect(page.getByTestId(`order-import-order-${w1}`)).toContainText('エラー');
  await expect(page.getByTestId(`order-import-order-${w2}`)).toContainText('OK');
  await expect(page.getByTestId('order-import-commit')).toBeDisabled();
  await shot(page, '02-bad-row');
  expect(await customersByPhone(phone1)).toBe(0);
  expect(await customersByPhone(phone2)).toBe(0);

  // The good file again: check, then 取込実行 (F1).
  await upload(page, `orders-${tag}.csv`, good);
  await page.keyboard.press('F4');
  await expect(summary).toContainText('OK');
  await expect(page.getByTestId('order-import-commit')).toBeEnabled();
  await page.keyboard.press('F1');
  await expect(page.getByTestId('order-import-commit')).toBeDisabled();
  await expect(summary).toContainText('登録 2');
  const numberOf = async (w: string) => {
    const link = page.getByTestId(`order-import-order-${w}`).getByRole('link');
    await expect(link).toHaveText(/^\d+$/);
    return (await link.textContent())?.trim() ?? '';
  };
  const n1 = await numberOf(w1);
  const n2 = await numberOf(w2);
  await shot(page, '03-imported');
  expect(await customersByPhone(phone1)).toBe(1);

  // 受注一覧: both orders, channel Web, the site's order number in the note.
  await page.getByTestId('nav-orders').click();
  await expect(page.getByTestId('page-title')).toHaveText('受注一覧');
  const table = page.getByTestId('orders-table');
  for (const [n, name, goods] of [
    [n1, '取込 一郎', 'ブルーベリー'],
    [n2, '取込 花子', ''],
  ] as const) {
    const row = table.locator(`tr[data-number="${n}"]`);
    await expect(row).toHaveCount(1);
    await expect(row).toContainText(name);
    await expect(row.locator('[data-testid^="orders-channel-"]')).toHaveText('Web');
    if (goods) await expect(row).toContainText(goods);
  }
  await shot(page, '04-order-list');
  // By its number: other specs may have made newer orders (some under a moved test clock).
  const listed = await adminApi.get<{ items: { number: number; channel: string; note: string | null }[] }>(
    `/orders?number=${n1}`,
  );
  const first = listed.items.find((o) => String(o.number) === n1);
  expect(first).toMatchObject({ channel: 'web' });
  expect(first?.note).toContain(w1);

  // The customer calls about the web order: the note is read in the monitor's 対応履歴, whose
  // content column has the room for it (not a word a line).
  const customer = await adminApi.get<{ items: { id: string }[] }>(
    `/customers/lookup?phone=${encodeURIComponent(phone1)}`,
  );
  const customerId = customer.items[0]?.id ?? '';
  const kinds = await adminApi.get<{ items: { id: string; name: string }[] }>('/interaction-kinds');
  const kind = kinds.items.find((k) => k.name === '問い合わせ') ?? kinds.items[0];
  const note = `Web注文 ${w1} のお届け日変更のご相談。翌週の土曜午前に変更希望、のし不要。発送前のため受注を修正して折り返し連絡済み。`;
  await adminApi.post('/interactions', {
    customerId,
    kindId: kind?.id,
    channel: 'inbound_call',
    subject: `受注 #${n1} の変更`,
    body: note,
    status: 'done',
  });
  await page.goto(`/customers/${customerId}?tab=interactions`);
  const entry = page.locator('[data-testid^="interaction-row-"]', { hasText: `受注 #${n1} の変更` });
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText(note);
  const content = entry.locator('td').nth(2);
  expect((await content.boundingBox())?.width ?? 0).toBeGreaterThan(300);
  // The whole note shows within the three lines a row keeps (nothing clamped).
  const body = content.locator('p').last();
  expect(await body.evaluate((el) => el.scrollHeight <= el.clientHeight + 1)).toBe(true);
  await shot(page, '05-customer-history');
});
