// Seed 004's inbound desk, as an operator runs it: a call rings, the customer monitor pops up,
// the operator records the contact from the keyboard (F2, F1), escalates it (F4, F1), and a
// supervisor sees the case turn overdue on the board once its due time passes (the server's
// test clock is moved; no sleeping).
import { expect, test } from './fixtures.js';
import { createUser, screenshot, signIn, unique } from './helpers.js';

const tokyoLocal = (d: Date) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo', dateStyle: 'short', timeStyle: 'short' })
    .format(d)
    .replace(' ', 'T');

test('an inbound call pops the monitor; the contact is recorded, escalated and shows overdue to the supervisor', async ({
  adminApi,
  browser,
}) => {
  const tag = unique();
  const number = `0901${String(Date.now()).slice(-7)}`; // 090-0… is not a mobile number
  const customer = await adminApi.post<{ id: string; name: string }>('/customers', {
    name: `着信 太郎${tag.slice(-3)}`,
    nameKana: 'チャクシン タロウ',
    phones: [{ number: `${number.slice(0, 3)}-${number.slice(3, 7)}-${number.slice(7)}`, kind: 'mobile' }],
  });
  const operator = await createUser(adminApi, { role: 'operator', ready: true, name: `受付 ${tag}` });
  const supervisor = await createUser(adminApi, { role: 'supervisor', ready: true, name: `監督 ${tag}` });

  const opContext = await browser.newContext();
  const op = await opContext.newPage();
  await signIn(op, operator.email, operator.password);
  await expect(op.getByTestId('screenpop-status')).toHaveAttribute('data-state', 'open');

  // The PBX reports the call ringing for this operator: the monitor opens with the customer.
  await adminApi.post('/telephony/events', {
    event: 'ringing',
    callId: `e2e-${tag}`,
    from: `+81${number.slice(1)}`,
    to: '0312345678',
    direction: 'inbound',
    agentId: operator.id,
  });
  await expect(op).toHaveURL(new RegExp(`/customers/${customer.id}`));
  await expect(op.getByTestId('monitor-name')).toContainText(customer.name);
  await expect(op.getByTestId('header-call')).toBeVisible();

  // F2 starts a new contact with the cursor on 区分; the operator types and saves with F1.
  await op.keyboard.press('F2');
  const kind = op.getByTestId('interaction-form-kind');
  await expect(kind).toBeFocused();
  await kind.selectOption({ label: 'クレーム' });
  await op.getByTestId('interaction-form-body').fill('商品が届かないとのお問い合わせ。配送状況を確認して折り返す。');
  await op.keyboard.press('F1');
  const row = op.locator('[data-testid^="interaction-row-"]').first();
  await expect(row).toContainText('商品が届かない');

  // F4 escalates the saved contact to the supervisor, due in 30 minutes.
  const serverNow = new Date();
  await op.keyboard.press('F4');
  await expect(op.getByTestId('escalate-modal')).toBeVisible();
  await op.getByTestId('escalate-assignee').selectOption({ label: supervisor.name });
  await op.getByTestId('escalate-due').fill(tokyoLocal(new Date(serverNow.getTime() + 30 * 60_000)));
  await op.getByTestId('escalate-note').fill('配送業者への確認が必要です。');
  await op.keyboard.press('F1');
  await expect(op.getByTestId('escalate-modal')).toBeHidden();
  await expect(row).toHaveAttribute('data-status', 'escalated');
  await screenshot(op, '20-monitor-escalated');

  const supContext = await browser.newContext();
  const sup = await supContext.newPage();
  await signIn(sup, supervisor.email, supervisor.password);
  await sup.goto('/cases');
  const card = sup.locator('[data-testid^="board-card-"]', { hasText: customer.name });
  await expect(card).toHaveAttribute('data-overdue', 'false');

  try {
    await adminApi.post('/test/clock', { advanceMs: 45 * 60_000 });
    await sup.getByTestId('board-refresh').click();
    await expect(card).toHaveAttribute('data-overdue', 'true');
    await screenshot(sup, '21-board-overdue');
  } finally {
    await adminApi.post('/test/clock', { now: new Date().toISOString() });
  }
  await opContext.close();
  await supContext.close();
});

test('a call from an unknown number opens the new-customer form with the number filled', async ({
  adminApi,
  browser,
}) => {
  const operator = await createUser(adminApi, { role: 'operator', ready: true });
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, operator.email, operator.password);
  await expect(page.getByTestId('screenpop-status')).toHaveAttribute('data-state', 'open');
  const number = `0701${String(Date.now()).slice(-7)}`;
  await adminApi.post('/telephony/events', {
    event: 'ringing',
    callId: `e2e-new-${unique()}`,
    from: number,
    to: '0312345678',
    direction: 'inbound',
    agentId: operator.id,
  });
  await expect(page).toHaveURL(/\/customers\/new/);
  await expect(page.getByTestId('customer-form-phone-0')).toHaveValue(/070/);
  await context.close();
});
