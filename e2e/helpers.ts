import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  expect,
  type Page,
  request,
} from '@playwright/test';

const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));

/** Saves a full-page screenshot as e2e/screenshots/<name>.png (git-ignored; look at them). */
export async function screenshot(page: Page, name: string): Promise<string> {
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  return file;
}

/** The demo tenant's admin login the global setup configured. */
export function demoAdmin(): { email: string; password: string } {
  const email = process.env.E2E_ADMIN_EMAIL;
  const password = process.env.E2E_ADMIN_PASSWORD;
  if (!email || !password)
    throw new Error('E2E_ADMIN_EMAIL / E2E_ADMIN_PASSWORD are not set (see e2e/global-setup.ts)');
  return { email, password };
}

function baseUrl(): string {
  const url = process.env.E2E_BASE_URL;
  if (!url) throw new Error('E2E_BASE_URL is not set (see e2e/global-setup.ts)');
  return url;
}

/** A short random suffix so that records made by one run never collide with another's. */
export function unique(): string {
  return `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

/**
 * A signed-in API session of its own (cookie + CSRF header), apart from any browser page: used to
 * prepare data (users) without going through screens that other specs test.
 */
export class ApiSession {
  private constructor(
    readonly http: APIRequestContext,
    readonly csrfToken: string,
  ) {}

  static async signIn(email: string, password: string): Promise<ApiSession> {
    const http = await request.newContext({ baseURL: baseUrl() });
    const res = await http.post('/api/v1/auth/login', { data: { email, password } });
    if (!res.ok()) {
      const body = await res.text();
      await http.dispose();
      throw new Error(`sign-in of ${email} failed: ${res.status()} ${body}`);
    }
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    return new ApiSession(http, csrfToken);
  }

  async get<T>(url: string): Promise<T> {
    const res = await this.http.get(`/api/v1${url}`);
    if (!res.ok()) throw new Error(`GET ${url}: ${res.status()} ${await res.text()}`);
    return (await res.json()) as T;
  }

  async post<T>(url: string, data?: unknown): Promise<T> {
    const res = await this.http.post(`/api/v1${url}`, {
      data: data ?? {},
      headers: { 'X-CSRF-Token': this.csrfToken },
    });
    if (!res.ok()) throw new Error(`POST ${url}: ${res.status()} ${await res.text()}`);
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async patch<T>(url: string, data: unknown): Promise<T> {
    const res = await this.http.patch(`/api/v1${url}`, { data, headers: { 'X-CSRF-Token': this.csrfToken } });
    if (!res.ok()) throw new Error(`PATCH ${url}: ${res.status()} ${await res.text()}`);
    const text = await res.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async dispose(): Promise<void> {
    await this.http.dispose();
  }
}

export interface TestUser {
  id: string;
  email: string;
  name: string;
  password: string;
}

/**
 * Creates a user as the demo admin would (through the API). Such a user must change the
 * password at first sign-in unless `ready` is set: then the user's first password change is done
 * here too, and `password` is the one to sign in with.
 */
export async function createUser(
  admin: ApiSession,
  opts: { name?: string; role?: string; locale?: 'ja' | 'en'; ready?: boolean } = {},
): Promise<TestUser> {
  const tag = unique();
  const initial = `Init-${tag}-pw`;
  const created = await admin.post<{ id: string; email: string; name: string; mustChangePassword: boolean }>('/users', {
    email: `e2e-${tag}@demo.madoguchi.jp`,
    name: opts.name ?? `テスト ${tag}`,
    role: opts.role ?? 'operator',
    locale: opts.locale ?? 'ja',
    password: initial,
  });
  expect(created.mustChangePassword).toBe(true);
  const user = { id: created.id, email: created.email, name: created.name, password: initial };
  if (!opts.ready) return user;
  const own = await ApiSession.signIn(user.email, initial);
  const password = `Ready-${tag}-pw`;
  await own.post('/auth/password', { currentPassword: initial, newPassword: password });
  await own.dispose();
  return { ...user, password };
}

/** Signs in on the sign-in screen with e-mail and password (no second factor). */
export async function fillSignIn(page: Page, email: string, password: string): Promise<void> {
  if (!/\/login/.test(page.url())) await page.goto('/login');
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** Signs in and waits for the home screen. */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await fillSignIn(page, email, password);
  await expect(page.getByTestId('home-greeting')).toBeVisible();
}

export async function signInAsAdmin(page: Page): Promise<void> {
  const admin = demoAdmin();
  await signIn(page, admin.email, admin.password);
}

/** Signs out with the header button and waits for the sign-in screen. */
export async function signOut(page: Page): Promise<void> {
  await page.getByTestId('logout').click();
  await expect(page.getByTestId('login-email')).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
}

/** The current 30-second TOTP step. */
export function totpStep(now = Date.now()): number {
  return Math.floor(now / 30_000);
}

/** Waits until the TOTP step is later than `step` (the server takes each step's code once). */
export async function waitForTotpStepAfter(step: number): Promise<void> {
  while (totpStep() <= step) {
    const next = (step + 1) * 30_000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(50, next - Date.now() + 50)));
  }
}

/**
 * A customer with a mobile number of its own: `prefix` (080, 090 …), a 1 (0X0-0… is not a mobile
 * number), then seven digits of the clock. `fields` are the rest of the customer (name, address …).
 */
export async function createCallableCustomer(
  admin: ApiSession,
  prefix: string,
  fields: { name: string } & Record<string, unknown>,
): Promise<{ id: string; name: string; number: string }> {
  const number = `${prefix}1${String(Date.now()).slice(-7)}`;
  const customer = await admin.post<{ id: string; name: string }>('/customers', {
    ...fields,
    phones: [{ number: `${number.slice(0, 3)}-${number.slice(3, 7)}-${number.slice(7)}`, kind: 'mobile' }],
  });
  return { ...customer, number };
}

/**
 * The operator signs in on a browser context of their own and the screen-pop stream opens; then a
 * call from the customer rings for them and the customer monitor pops.
 */
export async function popMonitorOnCall(
  browser: Browser,
  admin: ApiSession,
  operator: TestUser,
  customer: { id: string; name: string; number: string },
  callId: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, operator.email, operator.password);
  await expect(page.getByTestId('screenpop-status')).toHaveAttribute('data-state', 'open');
  await admin.post('/telephony/events', {
    event: 'ringing',
    callId,
    from: `+81${customer.number.slice(1)}`,
    to: '0312345678',
    direction: 'inbound',
    agentId: operator.id,
  });
  await expect(page).toHaveURL(new RegExp(`/customers/${customer.id}`));
  await expect(page.getByTestId('monitor-name')).toContainText(customer.name);
  return { context, page };
}

/** F12 opens 受注入力 on the monitor, with the cursor in the first product code. */
export async function openOrderEntry(page: Page): Promise<void> {
  await page.keyboard.press('F12');
  await expect(page.getByTestId('order-form')).toBeVisible();
  await page.getByTestId('order-line-code-0').focus();
}

/** Types a product line the way an operator does: code, Enter, quantity, Enter. */
export async function typeLine(page: Page, index: number, code: string, quantity: number): Promise<void> {
  const codeInput = page.getByTestId(`order-line-code-${index}`);
  await expect(codeInput).toBeFocused();
  await page.keyboard.type(code);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId(`order-line-qty-${index}`)).toBeFocused();
  await expect(page.getByTestId(`order-line-name-${index}`)).not.toBeEmpty();
  await page.keyboard.type(String(quantity));
  await page.keyboard.press('Enter');
}
