import { expect, test } from '@playwright/test';
import { demoAdmin, screenshot } from './helpers.js';

test('opening the app without a session shows the sign-in page', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('login-email')).toBeVisible();
  await expect(page.getByTestId('login-password')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', /^ja/);
  await screenshot(page, '01-sign-in');
});

test('the demo admin the server was started with can sign in', async ({ page }) => {
  const admin = demoAdmin();
  await page.goto('/');
  await page.getByTestId('login-email').fill(admin.email);
  await page.getByTestId('login-password').fill(admin.password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-email')).toBeHidden();
  await expect(page).not.toHaveURL(/\/login/);
});
