import { defineConfig } from '@playwright/test';
// tools/ is scripts, not a project: the bench launches the same Chromium with the same flags.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../tools/browser/chromium.mjs';

export default defineConfig({
  testDir: './src',
  outputDir: '../../tmp/web-e2e/test-output',
  // The specs share one gateway and one API; running them one by one keeps the machine quiet.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 20_000 },
  reporter: [
    ['list'],
    // Relative to this file; `npm test` passes an absolute path.
    [
      'json',
      { outputFile: process.env['PLAYWRIGHT_JSON_OUTPUT_FILE'] ?? '../../tmp/reports/playwright.json' },
    ],
  ],
  globalSetup: './src/support/global-setup.ts',
  globalTeardown: './src/support/global-teardown.ts',
  use: {
    baseURL: 'http://127.0.0.1:3100',
    browserName: 'chromium',
    viewport: { width: 1280, height: 860 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
  projects: [
    { name: 'chromium', testIgnore: /gateway-stopped/ },
    // Stops the gateway, so it runs after everything else.
    { name: 'chromium-gateway-stopped', testMatch: /gateway-stopped/, dependencies: ['chromium'] },
  ],
});
