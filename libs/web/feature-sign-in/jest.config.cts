const angular = require('../../../tools/jest/angular.cjs');

module.exports = {
  displayName: 'web-feature-sign-in',
  preset: '../../../jest.preset.js',
  ...angular,
  coverageDirectory: '../../../coverage/libs/web/feature-sign-in',
};
