// For the API's first import, before any other module loads: only the date-format stand-in,
// without the rest of this library and its dependencies.
export { deferDateFormats } from './lib/deferred-date-formats';
