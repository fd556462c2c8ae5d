// Seed 004's order desk, as an operator runs it during a call: the call pops the customer monitor,
// the operator types a two-product order on the keyboard (code + Enter, quantity + Enter), applies
// a campaign code, registers it with F1 and Enter, sees it at once in 購入履歴 and 受注一覧, and
// re-orders it from the history. The demo catalogue (catalogue.demo.ts) has AOJIRU-30 (8 %,
// ¥3,240; ¥2,980 with campaign TV2980) and SERUM-30 (10 %, ¥5,500). Screenshots: /tmp/order-desk-*.png.
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import iconv from 'iconv-lite';
import { expect, test } from './fixtures.js';
import {
  createCallableCustomer,
  createUser,
  demoAdmin,
  openOrderEntry,
  popMonitorOnCall,
  signIn,
  typeLine,
  unique,
} from './helpers.js';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `/tmp/order-desk-${name}.png`, fullPage: true, animations: 'disabled' });

test('a call pops the monitor; the operator keys a two-product order with a campaign, registers it with F1 and re-orders it', async ({
  adminApi,
  browser,
}) => {
  test.setTimeout(90_000);
  const tag = unique();
  const customer = await createCallableCustomer(adminApi, '080', {
    name: `受注 花子${tag.slice(-3)}`,
    nameKana: 'ジュチュウ ハナコ',
    postalCode: '840-0000',
    prefecture: '佐賀県',
    city: '佐賀市',
    address1: '鍋島3-2',
  });
  const operator = await createUser(adminApi, { role: 'operator', ready: true, name: `受注係 ${tag}` });

  // The call rings for this operator: the monitor opens on the customer.
  const { context, page } = await popMonitorOnCall(browser, adminApi, operator, customer, `e2e-order-${tag}`);

  // F12 opens 受注入力 with the cursor in the first product code.
  await openOrderEntry(page);
  await typeLine(page, 0, 'AOJIRU-30', 2);
  await typeLine(page, 1, 'serum-30', 1); // codes are case-insensitive
  await expect(page.getByTestId('order-line-name-0')).toContainText('青汁');
  await expect(page.getByTestId('order-line-name-1')).toContainText('美容液');
  // Enter on the empty third code moves on to the header fields (伝票区分 first).
  await expect(page.getByTestId('order-line-code-2')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('order-line-code-2')).not.toBeFocused();

  // The quote: 3,240 × 2 + 5,500 before the campaign.
  await expect(page.getByTestId('order-goods-amount')).toHaveText('¥11,980');
  await expect(page.getByTestId('order-totals-tax-8')).not.toBeEmpty();
  await expect(page.getByTestId('order-totals-tax-10')).not.toBeEmpty();

  // Campaign TV2980 is for callers from the BS TV ad: without the ad the server refuses it on
  // the campaign field; with it, 青汁 is ¥2,980 and the totals follow as the operator types.
  await page.getByTestId('order-campaignCode').fill('TV2980');
  await expect(page.getByTestId('order-campaignCode')).toHaveAttribute('aria-invalid', 'true');
  await page.getByTestId('order-adMediumId').selectOption({ label: 'TV-BS BSテレビショッピング 30分枠' });
  await expect(page.getByTestId('order-campaignCode')).not.toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('order-line-amount-0')).toHaveText('5,960');
  await expect(page.getByTestId('order-goods-amount')).toHaveText('¥11,460');
  await expect(page.getByTestId('order-ship-date')).not.toContainText('—');
  await shot(page, '01-entry');

  // F1 登録 → 入力確認 → Enter.
  await page.keyboard.press('F1');
  await expect(page.getByTestId('order-confirm')).toBeVisible();
  await shot(page, '02-confirm');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('order-confirm')).toBeHidden();

  // At once in 購入履歴 (the monitor switches to it, the new order highlighted).
  const history = page.getByTestId('order-history');
  await expect(history).toBeVisible();
  const firstRow = history.locator('[data-testid^="history-row-"]').first();
  await expect(firstRow).toContainText('国産大麦若葉の青汁');
  await expect(firstRow).toContainText('受付');
  const firstNumber = await firstRow.getAttribute('data-number');
  expect(firstNumber).toBeTruthy();
  await shot(page, '03-history');

  // The registration is in 対応履歴 too.
  await page.keyboard.press('F7');
  await expect(page.locator('[data-testid^="interaction-row-"]').first()).toContainText(String(firstNumber));

  // 再注文: pick the order in 購入履歴, confirm, and the form opens filled.
  await page.keyboard.press('F11');
  await firstRow.getByRole('button', { name: '再注文' }).click();
  await expect(page.getByTestId('confirm-message')).toContainText(String(firstNumber));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('order-form')).toBeVisible();
  await expect(page.getByTestId('order-line-code-0')).toHaveValue('AOJIRU-30');
  await expect(page.getByTestId('order-line-qty-0')).toHaveValue('2');
  await expect(page.getByTestId('order-line-code-1')).toHaveValue('SERUM-30');
  await expect(page.getByTestId('order-line-qty-1')).toHaveValue('1');
  await expect(page.getByTestId('order-goods-amount')).toHaveText('¥11,980');
  await shot(page, '04-reorder');
  await page.keyboard.press('F1');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('order-confirm')).toBeHidden();
  await expect(history.locator('[data-testid^="history-row-"]')).toHaveCount(2);
  const secondNumber = await history.locator('[data-testid^="history-row-"]').first().getAttribute('data-number');
  expect(Number(secondNumber)).toBeGreaterThan(Number(firstNumber));

  // 受注一覧: today's orders include both; the detail shows lines, taxes and events.
  await page.getByTestId('nav-orders').click();
  await expect(page.getByTestId('page-title')).toHaveText('受注一覧');
  const listRow = page.locator(`[data-testid^="orders-row-"][data-number="${firstNumber}"]`);
  await expect(listRow).toContainText(customer.name);
  await expect(page.locator(`[data-testid^="orders-row-"][data-number="${secondNumber}"]`)).toBeVisible();
  await shot(page, '05-list');
  await listRow.click();
  await expect(page.getByTestId('page-title')).toHaveText(`受注 No.${firstNumber}`);
  await expect(page.getByTestId('order-detail-lines')).toContainText('AOJIRU-30');
  await expect(page.getByTestId('order-detail-totals-tax-8')).not.toBeEmpty();
  await shot(page, '06-detail');
  await context.close();
});

test("the day's Yamato B2 file is exported and the issued tracking numbers imported: the order shows 出荷済 with its link", async ({
  adminApi,
  page,
}) => {
  test.setTimeout(90_000);
  const tag = unique();
  const customer = await adminApi.post<{ id: string }>('/customers', {
    name: `出荷 次郎${tag.slice(-3)}`,
    phones: [{ number: `03-5${String(Date.now()).slice(-7, -4)}-${String(Date.now()).slice(-4)}`, kind: 'home' }], // 03-0… is no number
    postalCode: '150-0001',
    prefecture: '東京都',
    city: '渋谷区神宮前',
    address1: '1-2-3',
  });
  const product = (
    await adminApi.get<{ items: { id: string; code: string }[] }>('/products?q=BLUEBERRY-60')
  ).items.find((p) => p.code === 'BLUEBERRY-60');
  expect(product).toBeTruthy();
  const order = await adminApi.post<{ id: string; number: number; shipDate: string }>('/orders', {
    customerId: customer.id,
    lines: [{ productId: product?.id, quantity: 1 }],
  });

  const admin = demoAdmin();
  await signIn(page, admin.email, admin.password);
  await page.goto('/shipping/export');
  await page.getByTestId('shipping-export-date').fill(order.shipDate);
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('F1')]);
  const file = iconv.decode(await readFile(await download.path()), 'cp932');
  const rows = file.split('\r\n');
  expect(rows[0]?.split(',')[0]).toBe('お客様管理番号');
  expect(rows.some((r) => r.startsWith(`${order.number},`))).toBe(true);

  // B2 Cloud issues the slip numbers: the file comes back with 伝票番号 filled.
  const tracking = `4${String(Date.now()).slice(-11)}`;
  const issued = Buffer.from(`お客様管理番号,伝票番号\r\n${order.number},${tracking}\r\n`, 'utf8');
  await page.goto('/shipping/tracking');
  await page
    .locator('input[type="file"]')
    .setInputFiles({ name: 'b2-issued.csv', mimeType: 'text/csv', buffer: issued });
  await page.keyboard.press('F1');
  await expect(page.getByTestId('tracking-result')).toBeVisible();
  await shot(page, '07-tracking-import');

  await page.goto(`/orders/${order.id}`);
  await expect(page.locator('[data-status="shipped"]').first()).toBeVisible();
  await expect(page.getByTestId('order-detail-tracking')).toContainText(tracking);
  await shot(page, '08-shipped');
});
