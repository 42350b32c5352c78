import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

// E2E runs in Debian's Chromium (Playwright cannot download its own browser here) against
// the browser dashboard served by the real core (`gitbot serve`). Build first: npm run test:e2e.
// Elsewhere, without /usr/bin/chromium, Playwright's own build is used (npx playwright install chromium).
const chromium = process.env.GITBOT_CHROMIUM ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1440, height: 960 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      ...(chromium === undefined ? {} : { executablePath: chromium }),
      // Without the background-networking flags Chromium keeps dialling hosts this closed
      // network refuses; --no-sandbox because CI runs as root.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--enable-precise-memory-info',
        '--js-flags=--expose-gc',
      ],
    },
  },
});
