import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runApiExpectingFailure, startApi, type RunningApi } from './support/api-process';
import { dropDatabase, emptyDatabase } from './support/database';
import { bytes, call, send, sendFile, settledRecord } from './support/http';

/** The value of one series in a scrape, or undefined when the scrape does not have it. */
function valueOf(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

// The metrics of a real API process, scraped on their own port after a real upload settled.
describe('metrics', () => {
  let api: RunningApi;
  let url: string;
  let metricsUrl: string;

  beforeAll(async () => {
    // A database of its own: no other spec's upload is scanned or settled by this instance.
    url = await emptyDatabase('metrics_check');
    api = await startApi({ DATABASE_URL: url, METRICS_PORT: '0' });
    metricsUrl = /metrics on (http:\/\/[^"\s]+\/metrics)/.exec(api.output())?.[1] ?? '';
  }, 60_000);
  afterAll(async () => {
    await api.stop();
    await dropDatabase('metrics_check');
  });

  it('should count a settled upload, and label each request by its route template and status', async () => {
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const { created, completed } = await sendFile(
      api.baseUrl,
      { fileName: 'metrics.txt', contentType: 'text/plain', size: 1024 },
      bytes(1024),
    );
    expect(completed.status).toBe(200);
    expect((await settledRecord(api.baseUrl, created.id)).status).toBe('available');
    // POST: the web app's catch-all, when it is built, answers every GET.
    expect((await call(api.baseUrl, 'POST', `/api/uploads/${created.id}/nothing-here`)).status).toBe(404);

    const response = await fetch(metricsUrl);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const count = (method: string, route: string, status: number) =>
      valueOf(
        text,
        `http_request_duration_seconds_count{method="${method}",route="${route}",status_code="${status}"}`,
      );
    expect(count('POST', '/api/uploads', 201)).toBe(1);
    expect(count('POST', '/api/uploads/:id/complete', 200)).toBe(1);
    expect(count('GET', '/api/uploads/:id', 200)).toBeGreaterThanOrEqual(1);
    expect(count('POST', 'unmatched', 404)).toBe(1);
    // Route templates only: no id, no raw path.
    expect(text).not.toContain(created.id);
    expect(text).not.toContain('nothing-here');

    expect(valueOf(text, 'dropgate_uploads_settled_total{method="post",outcome="available"}')).toBe(1);
    expect(valueOf(text, 'dropgate_uploads_settled_total{method="post",outcome="rejected"}')).toBe(0);
    expect(valueOf(text, 'dropgate_uploads_created_total{method="post"}')).toBe(1);
    expect(valueOf(text, 'dropgate_scans_total{result="clean"}')).toBe(1);
    expect(valueOf(text, 'dropgate_scan_duration_seconds_count{result="clean"}')).toBe(1);
    const connections =
      (valueOf(text, 'dropgate_db_pool_connections{state="in_use"}') ?? 0) +
      (valueOf(text, 'dropgate_db_pool_connections{state="idle"}') ?? 0);
    expect(connections).toBeGreaterThanOrEqual(1);
    expect(valueOf(text, 'dropgate_rate_limit_refusals_total{limit="address"}')).toBe(0);
    expect(valueOf(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('should answer 404 to /metrics on the public port', async () => {
    const response = await send(api.baseUrl, '/metrics');
    expect(response.status).toBe(404);
    expect(response.text).not.toContain('http_request_duration_seconds');
  });

  it('should close the metrics port when the API stops', async () => {
    await api.stop();
    await expect(fetch(metricsUrl)).rejects.toThrow();
  });
});

describe('metrics configuration', () => {
  let taken: Server;
  let url: string;

  beforeAll(async () => {
    url = await emptyDatabase('metrics_config_check');
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  }, 60_000);
  afterAll(async () => {
    taken.close();
    await dropDatabase('metrics_config_check');
  });

  it('should stop the boot, naming METRICS_PORT, when that port is taken', async () => {
    const { port } = taken.address() as AddressInfo;
    const { code, output } = await runApiExpectingFailure({ DATABASE_URL: url, METRICS_PORT: String(port) });
    expect(code).toBe(1);
    expect(output).toContain(`Invalid configuration: METRICS_PORT ${port} is already in use`);
  });

  it('should refuse a METRICS_PORT that is no port, before anything starts', async () => {
    const { code, output } = await runApiExpectingFailure({ DATABASE_URL: url, METRICS_PORT: 'ninety' });
    expect(code).toBe(1);
    expect(output).toContain('Invalid configuration: METRICS_PORT must be a port number (got "ninety")');
  });

  it('should say at boot how to turn the metrics on when METRICS_PORT is unset', async () => {
    const api = await startApi({ DATABASE_URL: url, METRICS_PORT: '' });
    try {
      expect(api.output()).toMatch(/"level":"info".*"msg":"metrics are off: set METRICS_PORT/);
      expect(api.output()).not.toContain('metrics on http');
    } finally {
      await api.stop();
    }
  });
});
