// Integration tests: the built API, run as `npm start` runs it, against the throwaway local gateway.
// ES-module-only packages (jose) are compiled for jest as in the unit tests.
const esm = require('../../tools/jest/node-esm.cjs');
const { pathsToModuleNameMapper } = require('ts-jest');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const { compilerOptions } = JSON.parse(readFileSync(join(__dirname, '../../tsconfig.base.json'), 'utf8'));

module.exports = {
  displayName: 'api-e2e',
  rootDir: __dirname,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/src/**/*.e2e-spec.ts'],
  transform: { ...esm.transform, '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.e2e.json' }] },
  transformIgnorePatterns: esm.transformIgnorePatterns,
  // Specs that drive an adapter (S3, clamd) import its library by its alias, as the API does.
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/../../' }),
  globalSetup: '<rootDir>/src/support/global-setup.cjs',
  globalTeardown: '<rootDir>/src/support/global-teardown.cjs',
  // Generous: each spec spawns APIs, whose boot takes seconds on a busy two-core machine.
  testTimeout: 90_000,
  // The specs share one gateway and spawn API processes; two at a time suits a two-core machine.
  maxWorkers: 2,
};
