const angular = require('../../../tools/jest/angular.cjs');

module.exports = {
  displayName: 'web-util-api',
  preset: '../../../jest.preset.js',
  ...angular,
  coverageDirectory: '../../../coverage/libs/web/util-api',
};
