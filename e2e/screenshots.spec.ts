import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures.js';
import { screenshot, signInAsAdmin, unique } from './helpers.js';

// The main screens as the demo admin sees them, saved under e2e/screenshots/ (git-ignored) to be
// looked at. The sign-in screen is taken by smoke.spec.ts, the TOTP enrolment by totp.spec.ts.
// With E2E_DOCS_SCREENSHOT=1 the users screen is also written to docs/screenshot.png (README).
const DOCS_SCREENSHOT = fileURLToPath(new URL('../docs/screenshot.png', import.meta.url));

test('the main screens, each loaded with its content', async ({ page }) => {
  await signInAsAdmin(page);
  await expect(page.getByTestId('home-holidays')).toBeVisible();
  await expect(page.getByTestId('home-shortcut-users')).toBeVisible();
  await screenshot(page, '02-home');

  await page.getByTestId('nav-users').click();
  await expect(page.getByTestId('users-table')).toBeVisible();
  await expect(page.locator('[data-email="sato@demo.madoguchi.jp"]')).toContainText('佐藤 美咲');
  await screenshot(page, '03-users');
  if (process.env.E2E_DOCS_SCREENSHOT === '1') {
    await page.mouse.move(0, 0);
    await page.screenshot({ path: DOCS_SCREENSHOT, animations: 'disabled' });
  }

  await page.getByTestId('nav-tokens').click();
  await expect(page.getByTestId('tokens-table')).toBeVisible();
  await page.keyboard.press('F2');
  const name = `基幹連携 ${unique().slice(-4)}`;
  await page.getByTestId('token-form-name').fill(name);
  await page.keyboard.press('F1');
  const secretField = page.getByTestId('token-secret');
  await expect(secretField).toBeVisible();
  const secret = ((await secretField.textContent()) ?? '').trim();
  expect(secret.length).toBeGreaterThan(20);
  await screenshot(page, '04-tokens-secret');
  // The secret shown is a working token.
  const withToken = { headers: { Authorization: `Bearer ${secret}` } };
  expect((await page.request.get('/api/v1/calendar/holidays', withToken)).status()).toBe(200);
  await page.getByTestId('token-secret-close').click();
  const row = page.locator('[data-testid^="token-row-"]', { hasText: name });
  await expect(row).toContainText('有効');
  await page.getByTestId('tokens-refresh').click();
  await expect(row).not.toContainText('未使用');
  await screenshot(page, '05-tokens');
  // Revoked from the screen, it stops working.
  await row.locator('[data-testid^="token-revoke-"]').click();
  await expect(page.getByTestId('confirm-message')).toContainText(name);
  await page.getByTestId('confirm-ok').click();
  await expect(row).toContainText('失効');
  expect((await page.request.get('/api/v1/calendar/holidays', withToken)).status()).toBe(401);

  await page.getByTestId('nav-audit').click();
  await expect(page.getByTestId('audit-table')).toBeVisible();
  await expect(page.locator('[data-testid^="audit-row-"]').first()).toBeVisible();
  await expect(page.getByTestId('audit-table')).toContainText('token.revoke');
  await screenshot(page, '06-audit');

  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('settings-name')).toHaveValue('デモ通販株式会社');
  // The demo's year-end closing, with its note in the row's note field.
  await expect(page.locator('[data-testid^="closing-row-"][data-testid$="-12-29"] input')).toHaveValue('年末休業');
  await expect(page.getByTestId('holidays-list')).toContainText('元日');
  await screenshot(page, '07-settings');

  await page.getByTestId('nav-jobs').click();
  await expect(page.getByTestId('schedules-table')).toBeVisible();
  await expect(page.getByTestId('jobs-table')).toBeVisible();
  await screenshot(page, '10-jobs');

  await page.getByTestId('nav-home').click();
  await page.keyboard.press('Control+k');
  await page.getByTestId('palette-input').fill('佐藤');
  await expect(page.locator('[data-testid^="palette-item-user-"]')).toContainText('佐藤 美咲');
  await screenshot(page, '11-palette');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('palette-input')).toBeHidden();
});
