const angular = require('../../../tools/jest/angular.cjs');

module.exports = {
  displayName: 'web-data-access-auth',
  preset: '../../../jest.preset.js',
  ...angular,
  coverageDirectory: '../../../coverage/libs/web/data-access-auth',
};
