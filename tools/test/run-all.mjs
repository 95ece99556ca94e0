#!/usr/bin/env node
// `npm test`: every suite, in order, each counted from its own report. Formatting, lint and type
// checks count one per file or project; jest and Playwright count their tests from their JSON
// reporters. Ends with one line, `N passed, N failed`, and exits non-zero when anything failed.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CEPH, CHROMIUM, CLAMAV, NGINX, REDIS, ensurePackages } from '../system-packages.mjs';
import { POSTGRES } from '../local-pg/binaries.mjs';
import { describeRuntime } from '../runtime/node-version.mjs';
import { unmetEngines } from '../runtime/engines.mjs';

const root = join(import.meta.dirname, '../..');
const reports = join(root, 'tmp/reports');
const results = [];

function run(command, args, { env = {}, quiet = false } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', ...env },
      stdio: ['ignore', quiet ? 'pipe' : 'inherit', 'inherit'],
    });
    let stdout = '';
    child.stdout?.on('data', (chunk) => (stdout += chunk));
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout }));
  });
}

function record(suite, passed, failed, note = '') {
  results.push({ suite, passed, failed, note });
  console.log(`\n── ${suite}: ${passed} passed, ${failed} failed${note ? ` (${note})` : ''}\n`);
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

async function formatting() {
  const { code, stdout } = await run('npx', ['prettier', '--list-different', '.'], { quiet: true });
  const files = stdout.split('\n').filter(Boolean);
  if (files.length) console.log(`Not formatted (run npm run format):\n${files.join('\n')}`);
  record(
    'format (prettier)',
    code === 0 ? 1 : 0,
    code === 0 ? 0 : 1,
    files.length ? `${files.length} files` : '',
  );
}

async function lint() {
  const out = join(reports, 'eslint.json');
  await run('npx', ['eslint', '.', '--format', 'json', '--output-file', out]);
  const report = readJson(out);
  if (!report) return record('lint (eslint)', 0, 1, 'eslint did not run');
  const failedFiles = report.filter((file) => file.errorCount > 0);
  for (const file of failedFiles) {
    for (const m of file.messages.filter((m) => m.severity === 2)) {
      console.log(`${file.filePath}:${m.line}:${m.column} ${m.message} (${m.ruleId})`);
    }
  }
  record('lint (eslint, per file)', report.length - failedFiles.length, failedFiles.length);
}

async function nxTargets(target, label) {
  const projects = (
    await run('npx', ['nx', 'show', 'projects', '--with-target', target], { quiet: true })
  ).stdout
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const { code, stdout } = await run('npx', ['nx', 'run-many', '-t', target, '--output-style=static'], {
    quiet: true,
  });
  process.stdout.write(stdout);
  const failed = projects.filter((p) => new RegExp(`^\\s*-\\s*${p}:${target}\\s*$`, 'm').test(stdout));
  const failures = code !== 0 && failed.length === 0 ? 1 : failed.length;
  record(label, projects.length - failed.length, failures);
  return failures === 0;
}

async function jest(suite, args, file) {
  rmSync(file, { force: true });
  await run('npx', ['jest', ...args, '--json', '--outputFile', file]);
  const report = readJson(file);
  if (!report) return record(suite, 0, 1, 'jest did not report');
  // A suite that failed to load counts once, since its tests never ran.
  const brokenSuites = report.testResults.filter(
    (r) => r.status === 'failed' && r.assertionResults.length === 0,
  ).length;
  record(suite, report.numPassedTests, report.numFailedTests + brokenSuites);
}

async function playwright() {
  const file = join(reports, 'playwright.json');
  rmSync(file, { force: true });
  await run('npx', ['playwright', 'test', '-c', 'apps/web-e2e/playwright.config.mts'], {
    env: { PLAYWRIGHT_JSON_OUTPUT_FILE: file },
  });
  const report = readJson(file);
  if (!report) return record('browser (Playwright, Chromium)', 0, 1, 'Playwright did not report');
  const { expected = 0, unexpected = 0, flaky = 0 } = report.stats ?? {};
  const loadErrors = report.errors?.length ?? 0;
  record(
    'browser (Playwright, Chromium)',
    expected + flaky,
    unexpected + loadErrors,
    flaky ? `${flaky} flaky` : '',
  );
}

function engines() {
  const unmet = unmetEngines();
  for (const line of unmet) console.log(`engines: ${line}, this is ${process.version}`);
  record('runtime (engines of every package)', unmet.length === 0 ? 1 : 0, unmet.length);
}

async function main() {
  mkdirSync(reports, { recursive: true });
  try {
    console.log(`npm test: ${describeRuntime()}`);
    ensurePackages([...CEPH, ...POSTGRES, ...CHROMIUM, ...CLAMAV, ...REDIS, ...NGINX], (m) =>
      console.log(`npm test: ${m}`),
    );
  } catch (error) {
    console.error(`npm test: ${error.message}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
  // The module-boundary lint rule reads Nx's project graph; compute it before ESLint runs.
  await run('npx', ['nx', 'show', 'projects'], { quiet: true });
  engines();
  await formatting();
  await lint();
  await nxTargets('typecheck', 'type checks (tsc, per project)');
  const built = await nxTargets('build', 'production builds (with budgets)');
  await jest('unit (jest)', ['-c', 'jest.config.ts'], join(reports, 'unit.json'));

  if (!built || !existsSync(join(root, 'dist/apps/api/main.js'))) {
    record('integration and browser', 0, 1, 'skipped: the build failed');
  } else {
    // One throwaway gateway for both suites; each suite would start it itself if run alone.
    const gateway = await run(process.execPath, ['tools/local-s3/test-gateway.mjs', 'start'], {
      quiet: true,
    });
    if (gateway.code !== 0) {
      record('test gateway (Ceph RGW)', 0, 1, 'did not start');
    } else {
      await jest(
        'integration (jest, API + gateway)',
        ['-c', 'apps/api-e2e/jest.config.cts'],
        join(reports, 'integration.json'),
      );
      await playwright();
      await run(process.execPath, ['tools/local-s3/test-gateway.mjs', 'stop']);
    }
  }

  const passed = results.reduce((sum, r) => sum + r.passed, 0);
  const failed = results.reduce((sum, r) => sum + r.failed, 0);
  console.log('\n| suite | passed | failed |\n| --- | ---: | ---: |');
  for (const r of results) console.log(`| ${r.suite} | ${r.passed} | ${r.failed} |`);
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

main();
