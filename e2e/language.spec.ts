import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { createUser, screenshot, signIn } from './helpers.js';

async function serverLocale(page: Page): Promise<string> {
  const res = await page.request.get('/api/v1/auth/me');
  expect(res.status()).toBe(200);
  return ((await res.json()) as { user: { locale: string } }).user.locale;
}

// A fresh admin-role user, so the demo admin's language never changes under other specs.
test('the header switch turns the UI English, kept per user across reloads and browsers, and back', async ({
  page,
  browser,
  adminApi,
}) => {
  const user = await createUser(adminApi, { name: '言語 切替', role: 'admin', ready: true });
  await signIn(page, user.email, user.password);
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await expect(page.getByTestId('nav-users')).toHaveText('ユーザー');

  const patched = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/me') && r.request().method() === 'PATCH');
  await page.getByTestId('lang-switch').getByText('English').click();
  expect((await patched).status()).toBe(200);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByTestId('home-greeting')).toHaveText('Hello, 言語 切替');
  await expect(page.getByTestId('nav-users')).toHaveText('Users');
  await expect(page.getByTestId('nav-audit')).toHaveText('Audit log');
  await expect(page.getByTestId('logout')).toHaveText('Sign out');
  await expect(page).toHaveTitle(/Home/);
  expect(await serverLocale(page)).toBe('en');

  // Screens opened afterwards and server messages follow too.
  await page.getByTestId('nav-users').click();
  await expect(page.getByTestId('page-title')).toHaveText('Users');
  await expect(page.getByTestId('users-table')).toBeVisible();
  await screenshot(page, '12-users-en');
  await page.getByTestId('users-create').click();
  await page.getByTestId('user-form-email').fill(user.email);
  await page.getByTestId('user-form-name').fill('Duplicate');
  await page.getByTestId('user-form-password').fill('initial-pass-1');
  await page.keyboard.press('F1');
  await expect(page.getByText('This e-mail address is already in use.')).toBeVisible();
  await page.keyboard.press('Escape');

  await page.reload();
  await expect(page.getByTestId('page-title')).toHaveText('Users');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  // A browser that never saw the switch (nothing in its storage) gets English after sign-in:
  // the choice is the user's, kept on the server.
  const other = await browser.newContext({
    baseURL: process.env.E2E_BASE_URL,
    locale: 'ja-JP',
    viewport: { width: 1440, height: 900 },
  });
  try {
    const fresh = await other.newPage();
    await fresh.goto('/login');
    await expect(fresh.getByTestId('login-submit')).toHaveText('サインイン');
    await signIn(fresh, user.email, user.password);
    await expect(fresh.getByTestId('home-greeting')).toHaveText('Hello, 言語 切替');
    await expect(fresh.getByTestId('nav-users')).toHaveText('Users');
  } finally {
    await other.close();
  }

  // Back to Japanese.
  await page.getByTestId('lang-switch').getByText('日本語').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await expect(page.getByTestId('page-title')).toHaveText('ユーザー');
  await expect(page.getByTestId('nav-audit')).toHaveText('監査ログ');
  await expect.poll(() => serverLocale(page)).toBe('ja');
  await page.reload();
  await expect(page.getByTestId('page-title')).toHaveText('ユーザー');
});
