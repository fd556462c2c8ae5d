import { expect, test } from './fixtures.js';
import { createUser, signInAsAdmin, unique } from './helpers.js';

test('Ctrl+K opens the palette; a screen name and Enter go there', async ({ page }) => {
  await signInAsAdmin(page);
  const input = page.getByTestId('palette-input');
  await expect(input).toBeHidden();

  await page.keyboard.press('Control+k');
  await expect(input).toBeVisible();
  await expect(input).toBeFocused();
  // Every screen the admin may open is offered before anything is typed.
  await expect(page.getByTestId('palette-screen-users')).toBeVisible();
  await expect(page.getByTestId('palette-screen-jobs')).toBeVisible();

  await page.keyboard.type('監査');
  await expect(page.getByTestId('palette-screen-audit')).toBeVisible();
  await expect(page.getByTestId('palette-screen-users')).toBeHidden();
  await page.keyboard.press('Enter');

  await expect(page).toHaveURL(/\/admin\/audit$/);
  await expect(page.getByTestId('page-title')).toHaveText('監査ログ');
  await expect(input).toBeHidden();

  // Romaji and full-width input find screens too, and Escape closes without moving.
  await page.keyboard.press('Control+k');
  await expect(input).toHaveValue('');
  await page.keyboard.type('ＳＥＴＴＩＮＧＳ');
  await expect(page.getByTestId('palette-screen-settings')).toBeVisible();
  await expect(page.getByTestId('palette-screen-audit')).toBeHidden();
  await page.keyboard.press('Escape');
  await expect(input).toBeHidden();
  await expect(page).toHaveURL(/\/admin\/audit$/);
});

test("typing a user's name finds the user record and opens it", async ({ page, adminApi }) => {
  const name = `検索 花子${unique().slice(-5)}`;
  const user = await createUser(adminApi, { name });
  await signInAsAdmin(page);

  await page.getByTestId('palette-open').click();
  const input = page.getByTestId('palette-input');
  await expect(input).toBeFocused();
  await input.fill(name);
  const item = page.getByTestId(`palette-item-user-${user.id}`);
  await expect(item).toBeVisible();
  await expect(item).toContainText(name);
  await expect(item).toContainText(user.email);
  await expect(item).toContainText('ユーザー');
  // The only match (no screen has that name): the keyboard opens it.
  await expect(page.locator('[data-testid^="palette-item-"]')).toHaveCount(1);
  await expect(page.locator('[data-testid^="palette-screen-"]')).toHaveCount(0);
  await page.keyboard.press('Enter');

  await expect(page).toHaveURL(new RegExp(`/admin/users\\?focus=${user.id}$`));
  await expect(input).toBeHidden();
  const row = page.getByTestId(`user-row-${user.id}`);
  await expect(row).toBeVisible();
  await expect(row).toHaveAttribute('data-email', user.email);
  await expect(row).toContainText(name);
  // The list is narrowed to that user.
  await expect(page.getByTestId('users-search')).toHaveValue(user.email);
  await expect(page.locator('[data-testid^="user-row-"]')).toHaveCount(1);
});
