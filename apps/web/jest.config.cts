const angular = require('../../tools/jest/angular.cjs');

module.exports = {
  displayName: 'web',
  preset: '../../jest.preset.js',
  ...angular,
  coverageDirectory: '../../coverage/apps/web',
};
