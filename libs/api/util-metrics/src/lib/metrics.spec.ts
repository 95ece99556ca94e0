import { UPLOAD_STATUSES } from '@dropgate/shared/api-contract';
import { observeHttpRequest } from './http-metrics';
import { watchPool } from './pool-metrics';
import { countRateLimitRefusal } from './rate-limit-metrics';
import { metricsRegistry } from './registry';
import { observeScan } from './scan-metrics';
import { SETTLED_OUTCOMES, countUploadCreated, countUploadSettled } from './upload-metrics';
import { countWebhookAttempt, observeWebhookLag } from './webhook-metrics';

/** The value of one series in the registry's text, or undefined when it is not there. */
async function sample(name: string, labels: Record<string, string> = {}): Promise<number | undefined> {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const text = await metricsRegistry.metrics();
  const line = text
    .split('\n')
    .find(
      (l) =>
        (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && wanted.every((pair) => l.includes(pair)),
    );
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('the metrics registry', () => {
  it.each([
    'http_request_duration_seconds',
    'dropgate_uploads_created_total',
    'dropgate_uploads_settled_total',
    'dropgate_scan_duration_seconds',
    'dropgate_scans_total',
    'dropgate_webhook_attempts_total',
    'dropgate_webhook_delivery_lag_seconds',
    'dropgate_db_pool_connections',
    'dropgate_rate_limit_refusals_total',
    'process_cpu_seconds_total',
    'nodejs_eventloop_lag_seconds',
  ])('should define %s, with its HELP and TYPE lines', async (name) => {
    const text = await metricsRegistry.metrics();
    expect(text).toContain(`# HELP ${name} `);
    expect(text).toContain(`# TYPE ${name} `);
  });

  it('should serve Prometheus text', () => {
    expect(metricsRegistry.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('should take the settled outcomes from the contract: every status subscribers hear of', () => {
    expect(SETTLED_OUTCOMES).toEqual(UPLOAD_STATUSES.filter((s) => s !== 'pending' && s !== 'scanning'));
  });

  it('should start every created and settled series at 0, so that the first increment shows in rate()', async () => {
    expect(await sample('dropgate_uploads_created_total', { method: 'multipart' })).toBe(0);
    expect(await sample('dropgate_uploads_settled_total', { method: 'post', outcome: 'expired' })).toBe(0);
    expect(await sample('dropgate_rate_limit_refusals_total', { limit: 'address' })).toBe(0);
  });

  it('should count uploads created and settled by method and outcome, and ignore a step that is no outcome', async () => {
    countUploadCreated('post');
    countUploadSettled('post', 'available');
    countUploadSettled('multipart', 'scanning');
    expect(await sample('dropgate_uploads_created_total', { method: 'post' })).toBe(1);
    expect(await sample('dropgate_uploads_settled_total', { method: 'post', outcome: 'available' })).toBe(1);
    expect(await sample('dropgate_uploads_settled_total', { outcome: 'scanning' })).toBeUndefined();
  });

  it('should label a request by its route template and status, and an unmatched one as unmatched', async () => {
    observeHttpRequest('GET', '/api/uploads/:id', 200, 0.003);
    observeHttpRequest('GET', undefined, 404, 0.001);
    const labels = { method: 'GET', route: '/api/uploads/:id', status_code: '200' };
    expect(await sample('http_request_duration_seconds_count', labels)).toBe(1);
    expect(await sample('http_request_duration_seconds_bucket', { ...labels, le: '0.005' })).toBe(1);
    expect(
      await sample('http_request_duration_seconds_count', { route: 'unmatched', status_code: '404' }),
    ).toBe(1);
  });

  it('should count scans and webhook attempts by result, with their durations', async () => {
    observeScan('unavailable', 5);
    countWebhookAttempt('failed_network');
    observeWebhookLag(0.2);
    countRateLimitRefusal('principal');
    expect(await sample('dropgate_scans_total', { result: 'unavailable' })).toBe(1);
    expect(await sample('dropgate_scan_duration_seconds_sum', { result: 'unavailable' })).toBe(5);
    expect(await sample('dropgate_webhook_attempts_total', { result: 'failed_network' })).toBe(1);
    expect(await sample('dropgate_webhook_delivery_lag_seconds_bucket', { le: '0.25' })).toBe(1);
    expect(await sample('dropgate_rate_limit_refusals_total', { limit: 'principal' })).toBe(1);
  });

  it('should read the pools when scraped, summing live ones and dropping ended ones', async () => {
    const pool = { totalCount: 5, idleCount: 2, waitingCount: 3, ended: false };
    watchPool(pool);
    watchPool({ totalCount: 1, idleCount: 1, waitingCount: 0 });
    expect(await sample('dropgate_db_pool_connections', { state: 'in_use' })).toBe(3);
    expect(await sample('dropgate_db_pool_connections', { state: 'idle' })).toBe(3);
    expect(await sample('dropgate_db_pool_connections', { state: 'waiting' })).toBe(3);
    pool.totalCount = 8;
    expect(await sample('dropgate_db_pool_connections', { state: 'in_use' })).toBe(6);
    pool.ended = true;
    expect(await sample('dropgate_db_pool_connections', { state: 'in_use' })).toBe(0);
    expect(await sample('dropgate_db_pool_connections', { state: 'idle' })).toBe(1);
  });
});
