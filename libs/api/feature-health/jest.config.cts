const nodeEsm = require('../../../tools/jest/node-esm.cjs');

module.exports = {
  displayName: 'api-feature-health',
  preset: '../../../jest.preset.js',
  testEnvironment: 'node',
  ...nodeEsm,
  moduleFileExtensions: ['ts', 'js', 'mjs'],
  coverageDirectory: '../../../coverage/libs/api/feature-health',
};
