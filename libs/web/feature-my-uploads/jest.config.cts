const angular = require('../../../tools/jest/angular.cjs');

module.exports = {
  displayName: 'web-feature-my-uploads',
  preset: '../../../jest.preset.js',
  ...angular,
  coverageDirectory: '../../../coverage/libs/web/feature-my-uploads',
};
