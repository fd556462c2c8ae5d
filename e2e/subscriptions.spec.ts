// Issue 6 (定期), as an operator runs it during a call: the call pops the customer monitor, the
// operator keys an order with 伝票区分 定期 and a monthly cycle and registers it (F1 + Enter); the
// 定期情報 tab shows the subscription with that order as delivery 1 and the next 12 dates; the
// operator skips the next delivery (S, F1): the schedule moves on a month and 対応履歴 gets a 定期変更
// entry with before → after. Then the server's (test) clock is moved to the day the delivery after
// the skipped one falls due, an admin presses 今すぐ生成 on 定期発送一覧, and that day's list holds
// exactly this subscription's order (none for the skipped delivery). Screenshots:
// /tmp/subscriptions-*.png (also the forecast, retention and order-import screens).
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import {
  createCallableCustomer,
  createUser,
  openOrderEntry,
  popMonitorOnCall,
  signIn,
  typeLine,
  unique,
} from './helpers.js';

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `/tmp/subscriptions-${name}.png`, fullPage: true, animations: 'disabled' });

/** The tenant's default 定期 lead days (settings.subscriptions.leadDays): due = delivery − 7 ≤ D. */
const LEAD_DAYS = 7;

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Delivery n of a monthly cycle anchored on `anchor` (an independent model of CONTRACTS.md's rule):
 * the anchor's month + n, on the anchor's day, else the month's last day when it is shorter.
 */
function monthly(anchor: string, n: number): string {
  const [y, m, d] = anchor.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + n;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${pad(month)}-${pad(Math.min(d, last))}`;
}

function addDays(date: string, days: number): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}

/** "2025-05-09" → "5/9"-free matching: the screens show dates in several forms; data-date is ISO. */
interface Sub {
  id: string;
  number: number;
  status: string;
  firstDeliveryDate: string;
  nextDeliveryDate: string | null;
  sourceOrderId: string | null;
  deliveriesMade: number;
  deliveriesSkipped: number;
}
interface SubOrder {
  id: string;
  number: number;
  subscriptionDeliveryDate?: string | null;
  deliveryDate?: string | null;
}

test('an order becomes a monthly 定期, a delivery is skipped during the call, and generation makes exactly the next one', async ({
  adminApi,
  browser,
}) => {
  test.setTimeout(120_000);
  const tag = unique();
  const customer = await createCallableCustomer(adminApi, '090', {
    name: `定期 桜子${tag.slice(-4)}`,
    nameKana: 'テイキ サクラコ',
    postalCode: '812-0011',
    prefecture: '福岡県',
    city: '福岡市博多区',
    address1: '博多駅前1-1',
  });
  const operator = await createUser(adminApi, { role: 'operator', ready: true, name: `定期係 ${tag}` });

  // The call rings for this operator: the monitor opens on the customer.
  const { context, page } = await popMonitorOnCall(browser, adminApi, operator, customer, `e2e-sub-${tag}`);

  // F12 受注入力: one product on the keyboard, Enter on the empty code moves to 伝票区分.
  await openOrderEntry(page);
  await typeLine(page, 0, 'AOJIRU-30', 1);
  await expect(page.getByTestId('order-line-code-1')).toBeFocused();
  await page.keyboard.press('Enter');
  // 伝票区分 is a radio group: → picks 定期, and the cycle (every 1 month by default) appears.
  const kindRadio = page.getByTestId('order-kind').locator('input:checked');
  await expect(kindRadio).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('order-kind').locator('input:checked')).toHaveValue('subscription');
  await expect(page.getByTestId('order-subscription')).toBeVisible();
  await expect(page.getByTestId('order-cycle-every')).toHaveValue('1');
  await expect(page.getByTestId('order-cycle-unit').locator('input:checked')).toHaveValue('month');
  await expect(page.getByTestId('order-subscription-preview')).not.toBeEmpty();
  await expect(page.getByTestId('order-delivery-date')).not.toContainText('—');
  await shot(page, '01-order-entry');

  // F1 登録 → 入力確認 → Enter: the order is made and handed over to 定期情報 as delivery 1.
  await page.keyboard.press('F1');
  await expect(page.getByTestId('order-confirm')).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('order-confirm')).toBeHidden();
  const historyRow = page.getByTestId('order-history').locator('[data-testid^="history-row-"]').first();
  await expect(historyRow).toContainText('青汁');
  const orderId = ((await historyRow.getAttribute('data-testid')) ?? '').replace('history-row-', '');
  expect(orderId).not.toBe('');

  // What the server made of it (to know the dates the screen must show).
  const subs = await adminApi.get<{ items: Sub[] }>(`/subscriptions?customerId=${customer.id}`);
  expect(subs.items).toHaveLength(1);
  const sub = subs.items[0] as Sub;
  expect(sub.sourceOrderId).toBe(orderId);
  expect(sub.deliveriesMade).toBe(1);
  const first = sub.firstDeliveryDate;
  const second = monthly(first, 1);
  const third = monthly(first, 2);
  expect(sub.nextDeliveryDate).toBe(second);

  // 定期情報: the subscription, delivery 1 = the order, and the next 12 dates (2nd delivery first).
  await page.getByTestId('tab-subscriptions').click();
  const row = page.getByTestId(`sub-row-${sub.id}`);
  await expect(row).toHaveAttribute('data-status', 'active');
  await expect(row).toHaveAttribute('data-selected', 'true');
  await expect(row).toHaveAttribute('data-number', String(sub.number));
  await expect(page.getByTestId(`sub-order-row-${orderId}`)).toBeVisible();
  await expect(page.locator('[data-testid^="sub-order-row-"]')).toHaveCount(1);
  await expect(page.locator('[data-testid^="sub-schedule-date-"]')).toHaveCount(12);
  for (let i = 0; i < 12; i++)
    await expect(page.getByTestId(`sub-schedule-date-${i}`)).toHaveAttribute('data-date', monthly(first, i + 1));
  const created = page.locator('[data-testid^="sub-history-row-"][data-kind="created"]');
  await expect(created).toHaveCount(1);
  await expect(created.locator('[data-field="carrier"]')).toContainText('ヤマト');
  await shot(page, '02-subscription-tab');

  // The customer asks to skip the next delivery: S opens the dialog, F1 runs it.
  await page.getByTestId('sub-schedule').click(); // focus on the tab, not in a field
  await page.keyboard.press('s');
  await expect(page.getByTestId('sub-skip')).toBeVisible();
  await expect(page.getByTestId('sub-skip-message')).not.toBeEmpty();
  await shot(page, '03-skip-dialog');
  await page.keyboard.press('F1');
  await expect(page.getByTestId('sub-skip')).toBeHidden();

  // The schedule moves on at once: the first date is now the third delivery, a month later.
  await expect(page.getByTestId('sub-schedule-date-0')).toHaveAttribute('data-date', third);
  await expect(page.getByTestId('sub-schedule-date-11')).toHaveAttribute('data-date', monthly(first, 13));
  await expect(page.getByTestId(`sub-row-next-${sub.id}`)).toHaveAttribute('data-date', third);
  await expect(page.getByTestId(`sub-row-skipped-${sub.id}`)).toHaveText('1');
  const skipped = page.locator('[data-testid^="sub-history-row-"][data-kind="skipped"]');
  await expect(skipped).toHaveCount(1);
  await expect(skipped.locator('[data-field="nextDeliveryDate"]')).toContainText('→');
  await shot(page, '04-after-skip');

  // 対応履歴 (F7): a 定期変更 entry with the skipped date (before) and the new next delivery (after).
  await page.keyboard.press('F7');
  const entry = page.locator('[data-testid^="interaction-row-"]', { hasText: '次回お届けスキップ' });
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText(`定期 #${sub.number}`);
  await expect(entry).toContainText(second);
  await expect(entry).toContainText(third);
  await expect(entry).toContainText('定期変更');
  await shot(page, '05-interactions');

  // The same tab in English (no raw keys, carriers and statuses translated).
  await page.getByTestId('tab-subscriptions').click();
  await page.getByTestId('lang-switch').getByText('English').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByTestId('sub-schedule-date-0')).toHaveAttribute('data-date', third);
  await expect(page.getByTestId('sub-history')).toContainText('Yamato');
  await expect(page.getByTestId('sub-detail')).not.toContainText('subs.');
  await shot(page, '05b-subscription-tab-en');
  await context.close();

  // The admin generates on the day the third delivery falls due (delivery − lead days): the
  // server's test clock goes there for the run, and comes back whatever happens.
  const dueDay = addDays(third, -LEAD_DAYS);
  // A fresh admin (not the demo one: the English look at the end must not change its language).
  const admin = await createUser(adminApi, { role: 'admin', ready: true, name: `定期管理 ${tag}` });
  const adminContext = await browser.newContext();
  const adminPage = await adminContext.newPage();
  try {
    await adminApi.post('/test/clock', { now: `${dueDay}T09:00:00+09:00` });
    await signIn(adminPage, admin.email, admin.password);
    await adminPage.goto('/subscription-shipments');
    await expect(adminPage.getByTestId('page-title')).toHaveText('定期発送一覧');
    await adminPage.keyboard.press('F6');
    await expect(adminPage.getByTestId('confirm-message')).toBeVisible();
    await adminPage.keyboard.press('Enter');
    await expect(adminPage.getByTestId('confirm-message')).toBeHidden();

    // Exactly once: a second run (another job, another process) makes nothing for it.
    await adminApi.post('/subscriptions/generate', { date: dueDay });
  } finally {
    await adminApi.post('/test/clock', { now: new Date().toISOString() });
  }

  // The subscription made exactly one more order: the third delivery's (none for the skipped one).
  const orders = await adminApi.get<{ items: SubOrder[] }>(`/orders?subscriptionId=${sub.id}`);
  expect(orders.items).toHaveLength(2);
  const generated = orders.items.find((o) => o.id !== orderId) as SubOrder;
  expect(generated.subscriptionDeliveryDate ?? generated.deliveryDate).toBe(third);
  const after = await adminApi.get<Sub>(`/subscriptions/${sub.id}`);
  expect(after.nextDeliveryDate).toBe(monthly(first, 3));
  expect(after.deliveriesMade).toBe(2);

  // 定期発送一覧 by delivery date: the third delivery's day lists exactly this customer's order…
  await adminPage.getByTestId('subship-by').getByText('お届け予定日').click();
  await adminPage.getByTestId('subship-date').fill(third);
  const mine = adminPage.locator('[data-testid^="subship-row-"]', { hasText: customer.name });
  await expect(mine).toHaveCount(1);
  await expect(mine).toHaveAttribute('data-testid', `subship-row-${generated.number}`);
  await expect(mine).toContainText('AOJIRU-30');
  await shot(adminPage, '06-shipments');
  // …and the skipped delivery's day none of it.
  await adminPage.getByTestId('subship-date').fill(second);
  await expect(adminPage.getByTestId('subship-table')).toBeVisible();
  await expect(adminPage.locator('[data-testid^="subship-row-"]', { hasText: customer.name })).toHaveCount(0);

  // The forecast, the retention reports and the order import, for a look.
  await adminPage.goto('/subscription-shipments/forecast');
  await expect(adminPage.getByTestId('forecast-table')).toBeVisible();
  await shot(adminPage, '07-forecast');
  await adminPage.goto('/subscription-reports');
  await expect(adminPage.getByTestId('page-title')).toBeVisible();
  await adminPage.waitForLoadState('networkidle');
  await shot(adminPage, '08-retention');
  await adminPage.goto('/orders/import');
  await expect(adminPage.getByTestId('order-import-file')).toBeAttached();
  await shot(adminPage, '09-order-import');

  // The 定期 back-office screens in English.
  await adminPage.getByTestId('lang-switch').getByText('English').click();
  await expect(adminPage.locator('html')).toHaveAttribute('lang', 'en');
  await adminPage.goto('/subscription-shipments');
  await adminPage.getByTestId('subship-by').getByText('Delivery date').click();
  await adminPage.getByTestId('subship-date').fill(third);
  await expect(adminPage.locator('[data-testid^="subship-row-"]').first()).toBeVisible();
  await shot(adminPage, '10-shipments-en');
  await adminPage.goto('/subscription-shipments/forecast');
  await expect(adminPage.getByTestId('forecast-table')).toBeVisible();
  await shot(adminPage, '11-forecast-en');
  await adminPage.goto('/subscription-reports');
  await adminPage.waitForLoadState('networkidle');
  await shot(adminPage, '12-retention-en');
  await adminContext.close();
});

test('a delivery generation cannot make waits on 定期生成エラー until an operator resolves it', async ({
  adminApi,
  page,
}) => {
  const tag = unique();
  const product = await adminApi.post<{ id: string }>('/products', {
    code: `GEN-${tag}`,
    name: `販売終了テスト ${tag}`,
    unitPrice: 2000,
    taxRate: 8,
  });
  const customer = await createCallableCustomer(adminApi, '080', {
    name: `生成 失敗${tag.slice(-4)}`,
    postalCode: '150-0001',
    prefecture: '東京都',
    city: '渋谷区',
    address1: '神宮前1-1-1',
  });
  // Its first delivery is due today (delivery − lead days ≤ today); then the product goes off sale.
  const today = new Date(Date.now() + 9 * 3600_000).toISOString().slice(0, 10);
  const sub = await adminApi.post<Sub>('/subscriptions', {
    customerId: customer.id,
    lines: [{ productId: product.id, quantity: 1 }],
    cycle: { every: 1, unit: 'month' },
    firstDeliveryDate: addDays(today, 3),
  });
  await adminApi.patch(`/products/${product.id}`, { active: false });
  const run = await adminApi.post<{ exceptions: number }>('/subscriptions/generate', {});
  expect(run.exceptions).toBeGreaterThanOrEqual(1);

  const operator = await createUser(adminApi, { role: 'operator', ready: true });
  await signIn(page, operator.email, operator.password);
  await page.goto('/subscription-shipments/exceptions');
  const row = page.getByTestId('subscription-exceptions').locator('tr', { hasText: `#${sub.number}` });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(customer.name);
  await shot(page, '13-exceptions');
  await row.getByRole('button', { name: '解決済みにする' }).click();
  await page.keyboard.press('F1');
  await expect(row).toHaveCount(0);
  // Resolved, not forgotten: the next run meets the same cause and lists it again.
  await adminApi.post('/subscriptions/generate', {});
  await page.keyboard.press('F5');
  await expect(row).toHaveCount(1);
});
