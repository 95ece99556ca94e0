const angular = require('../../../tools/jest/angular.cjs');

module.exports = {
  displayName: 'web-ui-banner',
  preset: '../../../jest.preset.js',
  ...angular,
  coverageDirectory: '../../../coverage/libs/web/ui-banner',
};
