import type { Config } from 'jest';
import { getJestProjectsAsync } from '@nx/jest';

// Unit tests of every project. The integration suite (apps/api-e2e) needs the built API and the
// local gateway, so it runs on its own: `npx jest -c apps/api-e2e/jest.config.cts`.
export default async (): Promise<Config> => ({
  projects: (await getJestProjectsAsync()).filter((project) => !project.includes('api-e2e')),
});
