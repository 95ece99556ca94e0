// jsdom has no Web Workers, and jest's CommonJS cannot parse the `import.meta.url` that the app's
// bundler needs to find the worker; unit tests give the queue a fake Md5Hasher instead.
class WorkerMd5Hasher {
  md5() {
    return Promise.reject(new Error('No MD5 worker under jest: provide a fake Md5Hasher'));
  }
}
module.exports = { WorkerMd5Hasher };
