// NestJS 12 ships as ES modules only, while jest runs the API's specs as CommonJS. Compile those
// packages to CommonJS with Babel; everything else in node_modules is loaded as it is.
const ESM_PACKAGES = [
  '@nestjs',
  'file-type',
  'kysely',
  'strtok3',
  'token-types',
  'uint8array-extras',
  '@tokenizer',
  'load-esm',
  'jose',
];

module.exports = {
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
    '^.+\\.m?js$': [
      'babel-jest',
      {
        babelrc: false,
        configFile: false,
        plugins: [
          // By path, not as a function: jest hands this configuration to its workers as JSON.
          require.resolve('./babel-import-meta-url.cjs'),
          '@babel/plugin-transform-dynamic-import',
          '@babel/plugin-transform-modules-commonjs',
        ],
      },
    ],
  },
  transformIgnorePatterns: [`node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
};
