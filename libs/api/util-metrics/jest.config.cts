const nodeEsm = require('../../../tools/jest/node-esm.cjs');

module.exports = {
  displayName: 'api-util-metrics',
  preset: '../../../jest.preset.js',
  testEnvironment: 'node',
  ...nodeEsm,
  moduleFileExtensions: ['ts', 'js', 'mjs'],
  coverageDirectory: '../../../coverage/libs/api/util-metrics',
};
