const nodeEsm = require('../../../tools/jest/node-esm.cjs');

module.exports = {
  displayName: 'api-feature-webhooks',
  preset: '../../../jest.preset.js',
  testEnvironment: 'node',
  ...nodeEsm,
  moduleFileExtensions: ['ts', 'js', 'mjs'],
  coverageDirectory: '../../../coverage/libs/api/feature-webhooks',
};
