// Seed 004's 入金管理 and 返品入力 (issue 5), as the back office runs them: a bank-transfer order is
// entered (through the API), the bank's 全銀協 入出金取引明細 arrives with the customer's transfer for
// exactly what the order owes and a stray deposit; the import check shows the match, the import
// pays the order and leaves the stray line in 未照合の入金, where it is dismissed. The order ships,
// the goods come back: 返品入力 from the order detail with restock; stock goes back up and the
// order shows the refund owed. Screenshots: e2e/screenshots/payments-*.png.
import type { Page } from '@playwright/test';
import iconv from 'iconv-lite';
import { expect, test } from './fixtures.js';
import { type ApiSession, demoAdmin, screenshot, signIn, unique } from './helpers.js';

const shot = (page: Page, name: string) => screenshot(page, `payments-${name}`);

// Kana without small letters or voiced marks, full width and as a bank writes it (half width).
const FULL = 'アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモラリルレロ';
const HALF = 'ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾗﾘﾙﾚﾛ';
const randomKana = (n: number) =>
  Array.from({ length: n }, () => FULL[Math.floor(Math.random() * FULL.length)] as string).join('');
const toHalf = (kana: string) => [...kana].map((c) => (FULL.includes(c) ? HALF[FULL.indexOf(c)] : c)).join('');

/** Today in Tokyo as YYYY-MM-DD. */
function tokyoToday(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(new Date());
}

/** YYMMDD in 令和 (the bank's 和暦 date). */
function reiwa(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${String(Number(y) - 2018).padStart(2, '0')}${m}${d}`;
}

/**
 * A 全銀協 入出金取引明細 file as a bank sends it: 200-byte records in JIS X 0201 (CP932), CRLF
 * after each: header (1), deposits (2), trailer (8) with the counts and sums, end (9).
 */
function zenginStatement(day: string, deposits: { amount: number; payer: string; summary?: string }[]): Buffer {
  const field = (value: string, bytes: number) => {
    const b = iconv.encode(value, 'cp932');
    if (b.length > bytes) throw new Error(`${value} is longer than ${bytes} bytes`);
    return Buffer.concat([b, Buffer.alloc(bytes - b.length, 0x20)]);
  };
  const num = (value: number, digits: number) => Buffer.from(String(value).padStart(digits, '0'), 'latin1');
  const date = reiwa(day);
  const header = Buffer.concat([
    Buffer.from(`1030${date}${date}${date}`, 'latin1'), // 種別 03, コード区分 0, 作成日, 勘定日(自)(至)
    num(1, 4),
    field('ﾏﾄﾞｸﾞﾁｷﾞﾝｺｳ', 15),
    num(1, 3),
    field('ﾎﾝﾃﾝ', 15),
    Buffer.from('000', 'latin1'),
    Buffer.from('1', 'latin1'), // 普通預金
    num(7654321, 10),
    field('ﾏﾄﾞｸﾞﾁﾂｳﾊﾝ(ｶ', 40),
    Buffer.from('11', 'latin1'),
    num(0, 14),
    field('', 71),
  ]);
  const data = deposits.map((d, i) =>
    Buffer.concat([
      Buffer.from('2', 'latin1'),
      num(i + 1, 8), // 照会番号
      Buffer.from(date + date, 'latin1'), // 勘定日, 預入・払出日
      Buffer.from('1', 'latin1'), // 入金
      Buffer.from('11', 'latin1'), // 取引区分: 振込
      num(d.amount, 12),
      num(0, 12),
      num(0, 6),
      num(0, 6),
      Buffer.from('0', 'latin1'),
      num(0, 7),
      num(0, 3),
      num(0, 10),
      field(d.payer, 48),
      field('ﾐｽﾞﾎ', 15),
      field('ｼﾌﾞﾔ', 15),
      field(d.summary ?? '', 20),
      field('', 20),
      field('', 1),
    ]),
  );
  const total = deposits.reduce((s, d) => s + d.amount, 0);
  const trailer = Buffer.concat([
    Buffer.from('8', 'latin1'),
    num(deposits.length, 6),
    num(total, 13),
    num(0, 6),
    num(0, 13),
    Buffer.from('1', 'latin1'),
    num(total, 14),
    num(deposits.length, 7),
    field('', 139),
  ]);
  const end = Buffer.concat([Buffer.from('9', 'latin1'), field('', 199)]);
  const records = [header, ...data, trailer, end];
  for (const r of records) expect(r.length).toBe(200);
  return Buffer.concat(records.flatMap((r) => [r, Buffer.from('\r\n', 'latin1')]));
}

async function productStock(api: ApiSession, code: string): Promise<{ id: string; stock: number | null }> {
  const page = await api.get<{ items: { id: string; code: string; stock: number | null }[] }>(
    `/products?q=${encodeURIComponent(code)}`,
  );
  const product = page.items.find((p) => p.code === code);
  if (!product) throw new Error(`no product ${code}`);
  return product;
}

test('a 全銀協 statement pays a bank-transfer order; the shipped goods come back with 返品入力 and restock', async ({
  adminApi,
  page,
}) => {
  test.setTimeout(120_000);
  const tag = unique();
  const family = randomKana(4);
  const given = randomKana(3);
  const digits = String(Date.now()).slice(-7);
  const customer = await adminApi.post<{ id: string; name: string }>('/customers', {
    name: `入金 確認${tag.slice(-4)}`,
    nameKana: `${family} ${given}`,
    phones: [{ number: `090-1${digits.slice(0, 3)}-${digits.slice(3)}`, kind: 'mobile' }],
    postalCode: '150-0001',
    prefecture: '東京都',
    city: '渋谷区神宮前',
    address1: '4-5-6',
  });
  const before = await productStock(adminApi, 'BLUEBERRY-60');
  expect(before.stock).not.toBeNull();
  const order = await adminApi.post<{
    id: string;
    number: number;
    total: number;
    status: string;
    lines: { lineNo: number; productCode: string; quantity: number; kind: string }[];
  }>('/orders', {
    customerId: customer.id,
    lines: [{ productId: before.id, quantity: 2 }],
    paymentMethod: 'BANK',
  });
  expect(order.total).toBeGreaterThan(0);
  const line = order.lines.find((l) => l.productCode === 'BLUEBERRY-60');
  expect(line?.quantity).toBe(2);

  // The bank's statement of today: the customer's transfer for exactly the order's total (the
  // payer's kana as banks write it) and a deposit nobody can place.
  const today = tokyoToday();
  const strayAmount = 1000 + Math.floor(Math.random() * 8000);
  const file = zenginStatement(today, [
    { amount: order.total, payer: `${toHalf(family)} ${toHalf(given)}` },
    { amount: strayAmount, payer: 'ﾌﾒｲ ﾆﾕｳｷﾝ', summary: 'ﾘｿｸ' },
  ]);

  const admin = demoAdmin();
  await signIn(page, admin.email, admin.password);
  await page.getByTestId('nav-payments').click();
  await expect(page.getByTestId('page-title')).toHaveText('入金管理');
  await page.keyboard.press('F6');
  await expect(page.getByTestId('payments-import')).toBeVisible();
  await page.locator('input[type="file"]').setInputFiles({
    name: `nyushukkin-${today}.txt`,
    mimeType: 'application/octet-stream',
    buffer: file,
  });

  // 取込チェック: the plan, nothing written yet.
  await page.getByTestId('payments-import-dryrun').click();
  const summary = page.getByTestId('payments-import-summary');
  await expect(summary).toHaveAttribute('data-dry-run', 'true');
  await expect(summary).toContainText('照合 1');
  await expect(summary).toContainText('未照合 1');
  const matchedRow = page.getByTestId('payments-import-row-2');
  await expect(matchedRow).toHaveAttribute('data-outcome', 'matched');
  await expect(matchedRow).toContainText(String(order.number));
  await expect(matchedRow).toContainText('金額＋カナで照合');
  await expect(page.getByTestId('payments-import-row-3')).toHaveAttribute('data-outcome', 'queued');
  await shot(page, '01-import-check');
  expect((await adminApi.get<{ status: string }>(`/payments/orders/${order.id}`)).status).toBe('unpaid');

  // F1 取込: written; the order is paid.
  await page.keyboard.press('F1');
  await expect(summary).toHaveAttribute('data-dry-run', 'false');
  await expect(summary).toContainText('照合 1');
  await expect(page.getByTestId('payments-import-commit')).toBeDisabled();
  await shot(page, '02-imported');
  const money = await adminApi.get<{ status: string; paidAmount: number; balance: number }>(
    `/payments/orders/${order.id}`,
  );
  expect(money).toMatchObject({ status: 'paid', paidAmount: order.total, balance: 0 });

  // 未照合の入金: the stray deposit waits; it is not a customer's payment (対象外).
  await page.keyboard.press('F7');
  const queue = page.getByTestId('payments-queue');
  const strayRow = queue
    .locator('tr', { hasText: 'ﾌﾒｲ ﾆﾕｳｷﾝ' })
    .filter({ hasText: `¥${strayAmount.toLocaleString('ja-JP')}` });
  await expect(strayRow).toHaveCount(1);
  await shot(page, '03-queue');
  await strayRow.getByRole('button', { name: '照合' }).click();
  await expect(page.getByTestId('payments-match')).toBeVisible();
  await shot(page, '04-match-dialog');
  await page.keyboard.press('F4');
  await expect(page.getByTestId('payments-match')).toBeHidden();
  await expect(strayRow).toHaveCount(0);

  // The order detail shows it paid, with the imported payment.
  await page.goto(`/orders/${order.id}`);
  await expect(page.getByTestId('page-title')).toHaveText(`受注 No.${order.number}`);
  await expect(page.getByTestId('order-money-status')).toHaveAttribute('data-status', 'paid');
  await expect(page.getByTestId('order-money-paid')).toHaveText(`¥${order.total.toLocaleString('ja-JP')}`);
  await expect(page.getByTestId('order-payments')).toContainText('取込');
  // Not shipped yet: no return.
  await expect(page.getByTestId('order-return-open')).toBeDisabled();
  await shot(page, '05-order-paid');

  // The parcel ships (B2's issued data with the tracking number).
  const tracking = `5${String(Date.now()).slice(-11)}`;
  const shipped = await adminApi.http.post('/api/v1/shipments/tracking-import?carrier=yamato-b2', {
    data: Buffer.from(`お客様管理番号,伝票番号\r\n${order.number},${tracking}\r\n`, 'utf8'),
    headers: { 'Content-Type': 'text/csv', 'X-CSRF-Token': adminApi.csrfToken },
  });
  expect(shipped.status(), await shipped.text()).toBe(200);
  const shippedStock = (await productStock(adminApi, 'BLUEBERRY-60')).stock as number;

  // 返品入力 from the order detail (F6): one of the two back, restocked, refund computed.
  await page.reload();
  await expect(page.locator('[data-status="shipped"]').first()).toBeVisible();
  await page.keyboard.press('F6');
  const form = page.getByTestId('return-form');
  await expect(form).toBeVisible();
  await expect(page.getByTestId('return-reason')).not.toHaveValue('');
  await page.getByTestId('return-reason').selectOption({ label: '商品の破損・不良' });
  await page.getByTestId(`return-qty-${line?.lineNo}`).fill('1');
  await expect(page.getByTestId('return-restock')).toBeChecked();
  await page.getByTestId('return-note').fill('外箱つぶれ');
  await shot(page, '06-return-entry');
  await page.keyboard.press('F1');
  const done = page.getByTestId('return-done');
  await expect(done).toBeVisible();
  await expect(done).toContainText('¥2,980');
  await shot(page, '07-return-done');
  await page.keyboard.press('F3');
  await expect(form).toBeHidden();

  // Stock back up by one; the order, paid in full, now owes the refund back (over, a credit).
  expect((await productStock(adminApi, 'BLUEBERRY-60')).stock).toBe(shippedStock + 1);
  await expect(page.getByTestId('order-money-status')).toHaveAttribute('data-status', 'over');
  await expect(page.getByTestId('order-money-credit')).toHaveText('¥2,980');
  await expect(page.getByTestId('order-returns')).toContainText('商品の破損・不良');
  await expect(page.getByTestId('order-detail-events')).toContainText('返品入力');
  await shot(page, '08-order-returned');

  // 返品一覧 lists it.
  await page.goto('/returns');
  await expect(page.getByTestId(`returns-row-${order.number}`)).toContainText('ブルーベリー');
  await expect(page.getByTestId(`returns-row-${order.number}`)).toContainText('外箱つぶれ');
  await shot(page, '09-returns');
});
