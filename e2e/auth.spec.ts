import { expect, test } from './fixtures.js';
import { createUser, demoAdmin, fillSignIn, screenshot, signOut } from './helpers.js';

test('the demo admin signs in on the Japanese sign-in screen and signs out', async ({ page }) => {
  const admin = demoAdmin();
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja');
  await expect(page.getByRole('heading', { name: 'サインイン' })).toBeVisible();
  // Japanese labels, tied to their fields.
  await expect(page.getByLabel('メールアドレス')).toBeVisible();
  await expect(page.getByTestId('login-email')).toBeFocused();
  await expect(page.getByTestId('login-submit')).toHaveText('サインイン');

  await fillSignIn(page, admin.email, admin.password);
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('home-greeting')).toHaveText('管理者 さん、お疲れさまです');
  await expect(page.getByTestId('header-tenant')).toHaveText('デモ通販株式会社');
  await expect(page.getByTestId('nav-users')).toHaveText('ユーザー');
  await expect(page.getByTestId('logout')).toHaveText('サインアウト');
  expect((await page.request.get('/api/v1/auth/me')).status()).toBe(200);

  await signOut(page);
  await expect(page.getByText('サインアウトしました')).toBeVisible();
  // The session is gone on the server, and the app asks for a sign-in again.
  expect((await page.request.get('/api/v1/auth/me')).status()).toBe(401);
  await page.goto('/admin/audit');
  await expect(page).toHaveURL(/\/login\?redirect=/);
  // Signing in again goes on to the screen asked for.
  await fillSignIn(page, admin.email, admin.password);
  await expect(page).toHaveURL(/\/admin\/audit$/);
  await expect(page.getByTestId('page-title')).toHaveText('監査ログ');
});

test('a wrong password shows the Japanese error and signs nobody in', async ({ page }) => {
  const admin = demoAdmin();
  await page.goto('/login');
  await fillSignIn(page, admin.email, 'not-the-password');
  const error = page.getByTestId('login-error');
  await expect(error).toBeVisible();
  await expect(error).toContainText('メールアドレスまたはパスワードが正しくありません。');
  await expect(page).toHaveURL(/\/login/);
  // What was typed stays, so the password can be corrected.
  await expect(page.getByTestId('login-email')).toHaveValue(admin.email);
  expect((await page.request.get('/api/v1/auth/me')).status()).toBe(401);
});

test('a user the admin created must change the password at first sign-in, then lands on home', async ({
  page,
  adminApi,
}) => {
  const user = await createUser(adminApi, { name: '初回 太郎' });
  await fillSignIn(page, user.email, user.password);

  await expect(page).toHaveURL(/\/password$/);
  await expect(page.getByRole('heading', { name: 'パスワードの変更' })).toBeVisible();
  await expect(page.getByText('パスワードは管理者が設定したものです。')).toBeVisible();
  await screenshot(page, '13-forced-password-change');
  // No way round it: the app sends the user back here.
  await page.goto('/account');
  await expect(page).toHaveURL(/\/password$/);

  const next = `${user.password}-new`;
  await page.getByTestId('pwchange-current').fill(user.password);
  await page.getByTestId('pwchange-new').fill(next);
  await page.getByTestId('pwchange-confirm').fill(`${next}x`);
  await page.keyboard.press('F1');
  await expect(page.getByText('確認用のパスワードが一致しません')).toBeVisible();
  await page.getByTestId('pwchange-confirm').fill(next);
  await expect(page.getByTestId('pwchange-submit')).toContainText('F1');
  await page.getByTestId('pwchange-submit').click();

  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('home-greeting')).toHaveText('初回 太郎 さん、お疲れさまです');
  // Done for good: the server no longer asks for it, and a reload stays on home.
  const me = (await (await page.request.get('/api/v1/auth/me')).json()) as { user: { mustChangePassword: boolean } };
  expect(me.user.mustChangePassword).toBe(false);
  await page.reload();
  await expect(page.getByTestId('home-greeting')).toBeVisible();
  await expect(page).toHaveURL(/\/$/);
});
