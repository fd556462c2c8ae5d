import { test as base } from '@playwright/test';
import { ApiSession, demoAdmin } from './helpers.js';

/**
 * `adminApi`: the demo admin signed in through the API once per worker, to prepare data (fresh
 * users) for a flow without going through the screens another spec tests.
 */
export const test = base.extend<object, { adminApi: ApiSession }>({
  adminApi: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright fixtures take their dependencies destructured
    async ({}, use) => {
      const admin = demoAdmin();
      const session = await ApiSession.signIn(admin.email, admin.password);
      await use(session);
      await session.dispose();
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';
