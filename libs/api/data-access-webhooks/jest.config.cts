const nodeEsm = require('../../../tools/jest/node-esm.cjs');

module.exports = {
  displayName: 'api-data-access-webhooks',
  preset: '../../../jest.preset.js',
  testEnvironment: 'node',
  ...nodeEsm,
  moduleFileExtensions: ['ts', 'js', 'mjs'],
  coverageDirectory: '../../../coverage/libs/api/data-access-webhooks',
};
