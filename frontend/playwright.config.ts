import { defineConfig } from '@playwright/test';

// The e2e specs run against a live hrbridge server (the Go binary with the sandbox on),
// e.g. `HRBRIDGE_SANDBOX=1 HRBRIDGE_ADMIN_EMAIL=… HRBRIDGE_ADMIN_PASSWORD=… hrbridge serve`.
const baseURL = process.env.HRBRIDGE_E2E_URL ?? 'http://127.0.0.1:8080';
const executablePath = process.env.HRBRIDGE_E2E_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  timeout: 180_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  // the specs share one sandbox: run them one at a time
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL,
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    viewport: { width: 1280, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    acceptDownloads: true,
    launchOptions: {
      executablePath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'e2e', testIgnore: /bench\.spec\.ts$/ },
    { name: 'bench', testMatch: /bench\.spec\.ts$/, timeout: 300_000 },
  ],
});
