import nx from '@nx/eslint-plugin';

// Module boundaries: what each kind of library may import. A violation fails lint.
const depConstraints = [
  // Scopes: api and web never import each other; shared imports only shared.
  { sourceTag: 'scope:api', onlyDependOnLibsWithTags: ['scope:api', 'scope:shared'] },
  {
    sourceTag: 'scope:web',
    onlyDependOnLibsWithTags: ['scope:web', 'scope:shared'],
    bannedExternalImports: ['@nestjs/*', '@aws-sdk/*', 'fastify', '@fastify/*'],
  },
  {
    sourceTag: 'scope:shared',
    onlyDependOnLibsWithTags: ['scope:shared'],
    bannedExternalImports: ['@angular/*', '@nestjs/*', '@aws-sdk/*'],
  },
  // Browser tests drive the web app from outside and check the bucket, so they may use the SDK.
  { sourceTag: 'scope:e2e', onlyDependOnLibsWithTags: ['scope:shared'] },
  // Types: apps compose features; features use data-access, ui and util; ui and util stay leaves.
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:ui', 'type:util'],
  },
  // Integration tests also drive the adapters (S3, clamd) against the real services.
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:data-access', 'type:util'] },
  { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:data-access', 'type:ui', 'type:util'] },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:util'] },
  { sourceTag: 'type:ui', onlyDependOnLibsWithTags: ['type:ui', 'type:util'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
];

// Angular's rules (and inline-template checks) apply to the web projects only.
const WEB = ['apps/web', 'libs/web'];
const inWeb = (config) => ({
  ...config,
  files: WEB.flatMap((dir) => (config.files ?? ['**/*.ts']).map((f) => `${dir}/${f}`)),
});
const angular = [
  ...[...nx.configs['flat/angular'], ...nx.configs['flat/angular-template']].map(inWeb),
  inWeb({
    files: ['**/*.ts'],
    rules: {
      '@angular-eslint/directive-selector': [
        'error',
        { type: 'attribute', prefix: 'dg', style: 'camelCase' },
      ],
      // Attribute selectors too, for components that must be a native element (`<li dg-upload-item>`).
      '@angular-eslint/component-selector': [
        'error',
        { type: ['element', 'attribute'], prefix: 'dg', style: 'kebab-case' },
      ],
    },
  }),
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  ...angular,
  {
    ignores: [
      '**/dist',
      '**/out-tsc',
      '**/test-output',
      '**/test-results',
      '**/playwright-report',
      '.local-s3',
      '.angular',
      'tmp',
      'bench-results',
    ],
  },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs', '**/*.cjs', '**/*.cts', '**/*.mts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          // Jest configs share the workspace's transform settings from tools/jest.
          allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$', '^.*/tools/jest/.*$'],
          depConstraints,
        },
      ],
    },
  },
  {
    // @nestjs/swagger is loaded only when the OpenAPI document is first asked for: routes and DTOs
    // take its decorators from @dropgate/api/util-http (libs/api/util-http/src/lib/openapi).
    // A pattern that holds from any project's folder too (`nx lint` runs eslint there).
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@nestjs/swagger',
              message:
                "Import its decorators from '@dropgate/api/util-http', which loads it only for the docs.",
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
];
