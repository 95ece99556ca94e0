// Infers a cached `typecheck` target for every project: `tsc --noEmit` over each of its
// tsconfig.<kind>.json files (app, lib, spec, e2e), so that type errors in tests fail CI too.
const { readdirSync } = require('node:fs');
const { dirname, join } = require('node:path');

const KINDS = /^tsconfig\.(app|lib|spec|e2e)\.json$/;

exports.createNodesV2 = [
  '{apps,libs}/**/project.json',
  (projectFiles, _options, context) =>
    projectFiles.map((file) => {
      const root = dirname(file);
      const configs = readdirSync(join(context.workspaceRoot, root)).filter((name) => KINDS.test(name));
      if (configs.length === 0) return [file, {}];
      return [
        file,
        {
          projects: {
            [root]: {
              targets: {
                typecheck: {
                  cache: true,
                  inputs: ['default', '^default', { externalDependencies: ['typescript'] }],
                  command: configs.map((config) => `tsc --noEmit -p ${config}`).join(' && '),
                  options: { cwd: root },
                },
              },
            },
          },
        },
      ];
    }),
];
