#!/usr/bin/env node
// One autocannon run against a presign endpoint: warm-up, then the measured run. Prints JSON.
// usage: load.mjs <url> <seconds> <warmup-seconds>
import autocannon from 'autocannon';

const [url, seconds, warmup] = process.argv.slice(2);
const options = {
  url,
  method: 'POST',
  connections: 16,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ fileName: 'q3 report.pdf', contentType: 'application/pdf', size: 12345 }),
};
await autocannon({ ...options, duration: Number(warmup) });
const result = await autocannon({ ...options, duration: Number(seconds) });
console.log(
  JSON.stringify({
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    total: result.requests.total,
  }),
);
