const angular = require('../../../tools/jest/angular.cjs');

module.exports = {
  displayName: 'web-feature-webhooks',
  preset: '../../../jest.preset.js',
  ...angular,
  coverageDirectory: '../../../coverage/libs/web/feature-webhooks',
};
