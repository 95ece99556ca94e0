const nodeEsm = require('../../../tools/jest/node-esm.cjs');

module.exports = {
  displayName: 'api-data-access-redis',
  preset: '../../../jest.preset.js',
  testEnvironment: 'node',
  ...nodeEsm,
  moduleFileExtensions: ['ts', 'js', 'mjs'],
  coverageDirectory: '../../../coverage/libs/api/data-access-redis',
};
