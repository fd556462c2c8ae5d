import { defineConfig, devices } from '@playwright/test';

// e2e in Debian's Chromium (apt `chromium`, with `fonts-noto-cjk` for Japanese). No browser is
// downloaded: @playwright/test is pinned to the release built for that Chromium major.
// e2e/global-setup.ts starts a throw-away PostgreSQL and the built server with a demo tenant,
// unless E2E_BASE_URL points at a running one (then set E2E_ADMIN_EMAIL / E2E_ADMIN_PASSWORD).
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results/e2e',
  globalSetup: './e2e/global-setup.ts',
  // The flows share one server and one demo tenant (sign-in, TOTP enrolment…): one at a time.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    // Set by the global setup before the workers start.
    baseURL: process.env.E2E_BASE_URL,
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 10_000,
    navigationTimeout: 20_000,
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        viewport: { width: 1440, height: 900 },
        deviceScaleFactor: 1,
        launchOptions: {
          executablePath: CHROMIUM,
          headless: true,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--lang=ja-JP',
          ],
        },
      },
    },
  ],
});
