import { defineConfig } from '@playwright/test';

// Debian's Chromium, never a downloaded browser. The flags keep it off the network it cannot reach.
const executablePath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

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
    launchOptions: { executablePath, args: chromiumArgs },
  },
  projects: [
    { name: 'chromium', testIgnore: /gateway-stopped/ },
    // Stops the gateway, so it runs after everything else.
    { name: 'chromium-gateway-stopped', testMatch: /gateway-stopped/, dependencies: ['chromium'] },
  ],
});
