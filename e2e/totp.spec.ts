import { generateSync } from 'otplib';
import { expect, test } from './fixtures.js';
import { createUser, fillSignIn, screenshot, signIn, signOut, totpStep, waitForTotpStepAfter } from './helpers.js';

// A fresh user (not the demo admin) enrols, so the other specs keep signing in with a password.
test('a user enrols TOTP, then signs in with a TOTP code and with a recovery code, each once', async ({
  page,
  adminApi,
}) => {
  // Up to one 30-second TOTP step is waited for (a step's code is taken once).
  test.setTimeout(75_000);
  const user = await createUser(adminApi, { name: '二要素 花子', ready: true });
  await signIn(page, user.email, user.password);

  // Enrol on the account screen.
  await page.getByTestId('nav-account').click();
  await page.getByTestId('account-tab-totp').click();
  await expect(page.getByTestId('totp-status')).toHaveText('二要素認証は無効です');
  await page.getByTestId('totp-setup').click();
  const qr = page.getByTestId('totp-qr');
  await expect(qr).toBeVisible();
  await expect(qr).toHaveAttribute('src', /^data:image\/png;base64,/);
  expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 100)).toBe(true);
  const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').trim();
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  await expect(page.getByTestId('totp-code')).toBeFocused();
  await screenshot(page, '08-account-totp-setup');

  // A wrong code is refused under the field; the setup stays open.
  const wrong = String((Number(generateSync({ secret })) + 500_000) % 1_000_000).padStart(6, '0');
  await page.getByTestId('totp-code').fill(wrong);
  await page.keyboard.press('F1');
  await expect(page.getByText('二要素認証のコードが正しくありません。')).toBeVisible();
  await expect(page.getByTestId('totp-code')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('totp-qr')).toBeVisible();

  const code = generateSync({ secret });
  // Taken after the code: at or after the code's step, never before it.
  const enrolStep = totpStep();
  await page.getByTestId('totp-code').fill(code);
  await expect(page.getByTestId('totp-enable')).toContainText('F1');
  await page.keyboard.press('F1');
  const codes = page.getByTestId('recovery-code');
  await expect(codes).toHaveCount(10);
  const recoveryCodes = (await codes.allInnerTexts()).map((c) => c.trim());
  expect(new Set(recoveryCodes).size).toBe(10);
  for (const c of recoveryCodes) expect(c).toMatch(/^[0-9A-Za-z-]{8,}$/);
  await screenshot(page, '09-account-recovery-codes');
  await page.getByTestId('recovery-done').click();
  await expect(page.getByTestId('recovery-codes')).toBeHidden();
  await expect(page.getByTestId('totp-status')).toHaveText('二要素認証は有効です');
  await signOut(page);

  // A password alone is no longer enough: the code is asked for.
  await fillSignIn(page, user.email, user.password);
  await expect(page.getByTestId('login-totp')).toBeVisible();
  await expect(page.getByTestId('login-totp')).toBeFocused();
  await expect(page.getByTestId('home-greeting')).toBeHidden();
  await screenshot(page, '14-sign-in-totp');

  // Sign in with a recovery code first (no need to wait for the next TOTP step).
  const [firstRecovery] = recoveryCodes;
  if (!firstRecovery) throw new Error('no recovery code');
  await page.getByTestId('login-use-recovery').click();
  await page.getByTestId('login-recovery').fill(firstRecovery);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('home-greeting')).toHaveText('二要素 花子 さん、お疲れさまです');
  await signOut(page);

  // A recovery code works once.
  await fillSignIn(page, user.email, user.password);
  await page.getByTestId('login-use-recovery').click();
  await page.getByTestId('login-recovery').fill(firstRecovery);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-error')).toContainText('二要素認証のコードが正しくありません。');
  await expect(page.getByTestId('home-greeting')).toBeHidden();

  // Now with the authenticator's code, from a step after the one used to enrol.
  await page.getByTestId('login-use-totp').click();
  await expect(page.getByTestId('login-totp')).toBeFocused();
  await waitForTotpStepAfter(enrolStep);
  const signInCode = generateSync({ secret });
  await page.getByTestId('login-totp').fill(signInCode);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('home-greeting')).toBeVisible();
  await signOut(page);

  // The same code replayed is refused, even within its 30 seconds.
  await fillSignIn(page, user.email, user.password);
  await page.getByTestId('login-totp').fill(signInCode);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-error')).toContainText('二要素認証のコードが正しくありません。');
  await expect(page.getByTestId('home-greeting')).toBeHidden();
});
