import { writeFile } from 'node:fs/promises';
import { expect, test } from './fixtures.js';
import { demoAdmin, fillSignIn, unique } from './helpers.js';

// The back office: masters (the shared list + edit pattern), settings, customer data care,
// shipping files. Screenshots go to /tmp/back-office-*.png to be looked at.
/** Mantine's FileInput is a button: the file goes through the chooser it opens. */
async function chooseFile(page: import('@playwright/test').Page, testid: string, file: string) {
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId(testid).click();
  await (await chooser).setFiles(file);
}

const shot = (page: import('@playwright/test').Page, name: string) =>
  page.screenshot({ path: `/tmp/back-office-${name}.png`, fullPage: true, animations: 'disabled' });

test.beforeEach(async ({ page }) => {
  const admin = demoAdmin();
  await page.goto('/login');
  await fillSignIn(page, admin.email, admin.password);
  await expect(page.getByTestId('home-greeting')).toBeVisible();
});

test('an admin creates a product in the masters screen, finds it, and sees a server problem on its field', async ({
  page,
}) => {
  const code = `E2E-${unique()}`.slice(0, 30);
  await page.getByTestId('nav-mProducts').click();
  await expect(page.getByTestId('page-title')).toHaveText('商品マスタ');
  await page.keyboard.press('F2');
  const form = page.getByTestId('master-products-form');
  await expect(form).toBeVisible();
  await form.getByTestId('master-products-form-code').fill(code);
  await form.getByTestId('master-products-form-name').fill('健康トニック お試し');
  await form.getByTestId('master-products-form-nameKana').fill('ケンコウトニック');
  await form.getByTestId('master-products-form-unitPrice').fill('6900');
  await form.getByTestId('master-products-form-unitCost').fill('1200');
  await form.getByTestId('master-products-form-stock').fill('25');
  await shot(page, '01-product-new');
  await page.keyboard.press('F1');
  await expect(form).toBeHidden();

  // Found by the search box (server search by code or name).
  await page.getByTestId('master-products-search').fill(code);
  await page.keyboard.press('Enter');
  const row = page.getByTestId('master-products-row').filter({ hasText: code });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('健康トニック お試し');
  await expect(row).toContainText('¥6,900');
  await expect(row).toContainText('25');
  await shot(page, '02-product-list');

  // A second product with the same code: the server's problem shows under the code field.
  await page.keyboard.press('F2');
  await form.getByTestId('master-products-form-code').fill(code);
  await form.getByTestId('master-products-form-name').fill('重複');
  await form.getByTestId('master-products-form-unitPrice').fill('100');
  await page.keyboard.press('F1');
  await expect(form.getByTestId('master-products-form-code')).toHaveAttribute('aria-invalid', 'true');
  await shot(page, '03-product-duplicate-code');
  await page.keyboard.press('Escape');

  // Edit: the price changes and the list shows it.
  await row.click();
  await expect(form.getByTestId('master-products-form-code')).toHaveValue(code);
  await form.getByTestId('master-products-form-unitPrice').fill('5800');
  await page.keyboard.press('F1');
  await expect(form.getByTestId('master-products-form-error')).toBeHidden();
  await expect(form).toBeHidden();
  await expect(row).toContainText('¥5,800');
});

test('a product CSV with a bad row is refused by the dry run and nothing is imported', async ({ page }) => {
  const code = `CSV-${unique()}`.slice(0, 30);
  const file = `/tmp/back-office-products-${code}.csv`;
  await writeFile(file, `商品コード,商品名,税率,単価\r\n${code},CSV商品,10,1000\r\n${code}-2,,10,-5\r\n`);
  await page.goto('/masters/products');
  await page.getByTestId('master-products-import').click();
  const modal = page.getByTestId('master-products-import-modal');
  await chooseFile(page, 'master-products-import-modal-file', file);
  await modal.getByTestId('master-products-import-modal-dryrun').click();
  await expect(modal.getByTestId('master-products-import-modal-summary')).toContainText('取込不可');
  await expect(modal.getByTestId('master-products-import-modal-errors')).toContainText('3');
  await expect(modal.getByTestId('master-products-import-modal-commit')).toBeDisabled();
  await shot(page, '04-product-import-dryrun');
  await page.keyboard.press('Escape');
  await page.getByTestId('master-products-search').fill(code);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('master-products-empty')).toBeVisible();
});

test('the other back-office screens open in Japanese', async ({ page }) => {
  test.setTimeout(90_000);
  for (const [path, title, name] of [
    ['/masters/campaigns', 'キャンペーン管理', '05-campaigns'],
    ['/masters/payment-methods', '支払方法マスタ', '06-payment-methods'],
    ['/masters/carriers', '運送会社・配達時間帯', '07-carriers'],
    ['/masters/ranks', 'ランクマスタ', '08-ranks'],
    ['/customers/duplicates', '重複顧客', '09-duplicates'],
    ['/admin/settings', '設定', '10-settings'],
    ['/shipping/export', '送り状データ出力', '11-shipping-export'],
    ['/sales-reports', '売上集計', '12-sales-reports'],
  ] as const) {
    await page.goto(path);
    await expect(page.getByTestId('page-title')).toHaveText(title);
    await page.waitForLoadState('networkidle');
    await shot(page, name);
  }
  await page.goto('/masters/campaigns');
  await expect(page.getByTestId('master-campaigns-table')).toBeVisible();
  await page.keyboard.press('F2');
  await expect(page.getByTestId('master-campaigns-form')).toBeVisible();
  await page.getByTestId('master-campaigns-form-presents-add').click();
  await shot(page, '13-campaign-new');
});

test('customer CSV import maps the columns, dry-runs, then imports', async ({ page }) => {
  const tag = unique();
  const file = `/tmp/back-office-customers-${tag}.csv`;
  await writeFile(file, `お名前,TEL,メモ欄\r\n取込 太郎${tag},03-1234-5678,x\r\n取込 花子${tag},090-1111-2222,y\r\n`);
  await page.goto('/customers/import');
  await chooseFile(page, 'customer-import-file', file);
  await expect(page.getByTestId('customer-import-detected')).toContainText('2 行');
  // お名前 and TEL are recognised; メモ欄 is mapped by hand to 備考.
  await page.getByTestId('customer-import-map-2').click();
  await page.getByRole('option', { name: '備考 (note)' }).click();
  await page.getByTestId('customer-import-dryrun').click();
  await expect(page.getByTestId('customer-import-summary')).toContainText('OK');
  await shot(page, '14-customer-import');
  await page.keyboard.press('F1');
  await expect(page.getByTestId('customer-import-summary')).toContainText('登録 2 行');
});
