import { execFileSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { pickFiles, row, signIn } from './support/page';
import { ROOT, gateway } from './support/servers';

// Stops the real gateway's HTTP daemon, then brings it back for whatever runs next.
test.beforeAll(() => {
  execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `
      import { resolveOptions } from './tools/local-s3/config.mjs';
      import { stopCluster } from './tools/local-s3/cluster.mjs';
      await stopCluster(resolveOptions({ dir: 'tmp/local-s3-test' }), ['client.rgw']);
    `,
    ],
    { cwd: ROOT, stdio: 'inherit' },
  );
});
test.afterAll(() => {
  gateway('start');
});

test('should say storage is unreachable, not hang, when the gateway is stopped', async ({ page }) => {
  await signIn(page);
  await expect(page.getByText(/Up to 5 MB per file/)).toBeVisible();
  await pickFiles(page, [{ name: 'nowhere.pdf', mimeType: 'application/pdf', size: 2048 }]);
  // Network errors back off (1 s, 2 s, 4 s) and then fail, each step saying why.
  await expect(row(page, 'nowhere.pdf')).toContainText('Storage unreachable (network/CORS)', {
    timeout: 5_000,
  });
  await expect(row(page, 'nowhere.pdf')).toHaveAttribute('data-status', 'failed', { timeout: 20_000 });
  await expect(page.getByRole('button', { name: 'Retry nowhere.pdf' })).toBeVisible();
});
