// The scan thread's entry point, apart from the library's index: the thread loads only what it
// runs (the AWS SDK, the ranged reader and the clamd client), not the API's Nest modules.
export { runScanThread } from './lib/scan-thread.serve';
