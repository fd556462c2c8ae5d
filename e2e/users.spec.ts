import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures.js';
import { signInAsAdmin, unique } from './helpers.js';

async function openUsers(page: Page): Promise<void> {
  await signInAsAdmin(page);
  await page.getByTestId('nav-users').click();
  await expect(page).toHaveURL(/\/admin\/users$/);
  await expect(page.getByTestId('page-title')).toHaveText('ユーザー');
  await expect(page.getByTestId('users-table')).toBeVisible();
}

/**
 * The message Mantine shows under an input, found through the input's aria-describedby (which
 * also proves a screen reader announces it with the field).
 */
async function errorUnder(input: Locator): Promise<Locator> {
  await expect(input).toHaveAttribute('aria-describedby', /-error\b/);
  const ids = (await input.getAttribute('aria-describedby')) ?? '';
  const errorId = ids.split(/\s+/).find((id) => id.endsWith('-error'));
  if (!errorId) throw new Error(`no error described for the input (aria-describedby="${ids}")`);
  return input.page().locator(`[id="${errorId}"]`);
}

test('the admin creates a user with the keyboard alone; F1 saves and the user is listed', async ({ page }) => {
  await openUsers(page);
  const tag = unique();
  const email = `kb-${tag}@demo.madoguchi.jp`;
  const name = `山田 太郎${tag.slice(-4)}`;

  // F2 = 新規ユーザー (the button says so); the dialog opens with the cursor in the e-mail field.
  await expect(page.getByTestId('users-create')).toContainText('F2');
  await page.keyboard.press('F2');
  const emailInput = page.getByTestId('user-form-email');
  await expect(emailInput).toBeFocused();
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('user-form-name')).toBeFocused();
  await page.keyboard.type(name);
  await page.keyboard.press('Tab');
  // Role: operator by default; one up in the list is supervisor.
  const role = page.getByTestId('user-form-role');
  await expect(role).toBeFocused();
  await expect(role).toHaveValue('オペレーター');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('listbox')).toBeVisible();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await expect(role).toHaveValue('スーパーバイザー');
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('user-form-locale')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('user-form-password')).toBeFocused();

  // Too short a password is caught before anything is sent; the rest stays as typed.
  await page.keyboard.type('short');
  await page.keyboard.press('F1');
  await expect(await errorUnder(page.getByTestId('user-form-password'))).toHaveText('8 文字以上で入力してください');
  await expect(emailInput).toHaveValue(email);
  await page.keyboard.press('Control+A');
  await page.keyboard.type('initial-pass-1');

  const submit = page.getByTestId('user-form-submit');
  await expect(submit).toContainText('F1');
  await expect(submit).toContainText('登録');
  const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/users') && r.request().method() === 'POST');
  await page.keyboard.press('F1');
  expect((await created).status()).toBe(201);
  await expect(emailInput).toBeHidden();
  await expect(page.getByText('ユーザーを登録しました')).toBeVisible();

  // Listed (without reloading), with what was entered.
  const row = page.locator(`[data-email="${email}"]`);
  await expect(row).toBeVisible();
  await expect(row).toContainText(name);
  await expect(row).toContainText('スーパーバイザー');
  await expect(row).toContainText('パスワード変更待ち');
  await expect(row).toContainText('未サインイン');

  // And found by the search box.
  await page.getByTestId('users-search').fill(tag);
  await expect(page.locator('[data-testid^="user-row-"]')).toHaveCount(1);
  await expect(row).toBeVisible();
});

test('an e-mail address already in use is shown under the field, with the input kept', async ({ page }) => {
  await openUsers(page);
  await page.getByTestId('users-create').click();
  const takenEmail = 'sato@demo.madoguchi.jp'; // a demo user
  await page.getByTestId('user-form-email').fill(takenEmail);
  await page.getByTestId('user-form-name').fill('重複 確認');
  await page.getByTestId('user-form-password').fill('initial-pass-1');
  const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/users') && r.request().method() === 'POST');
  await page.keyboard.press('F1');
  expect((await answer).status()).toBe(409);

  const emailInput = page.getByTestId('user-form-email');
  const error = await errorUnder(emailInput);
  await expect(error).toHaveText('このメールアドレスは既に使われています。');
  // Under the field, not somewhere else.
  const [inputBox, errorBox] = [await emailInput.boundingBox(), await error.boundingBox()];
  expect(errorBox && inputBox && errorBox.y >= inputBox.y + inputBox.height - 1).toBe(true);
  await expect(emailInput).toBeFocused();
  // Nothing typed is lost, the dialog stays open, nothing else is flagged.
  await expect(emailInput).toHaveValue(takenEmail);
  await expect(page.getByTestId('user-form-name')).toHaveValue('重複 確認');
  await expect(page.getByTestId('user-form-password')).toHaveValue('initial-pass-1');
  await expect(page.getByTestId('user-form-name')).not.toHaveAttribute('aria-describedby', /-error\b/);
  await expect(page.getByTestId('form-error')).toHaveCount(0);

  // Correcting the address saves.
  const email = `fixed-${unique()}@demo.madoguchi.jp`;
  await emailInput.fill(email);
  await page.keyboard.press('F1');
  await expect(emailInput).toBeHidden();
  await expect(page.locator(`[data-email="${email}"]`)).toContainText('重複 確認');
});
