import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { Controller, Get, Module, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { pino } from 'pino';
import { ConfigError } from '@dropgate/api/util-config';
import { configureMetrics } from './configure-metrics';
import type { MetricsSettings } from './metrics.config';

@Controller('things')
class ThingsController {
  @Get(':id')
  find(@Param('id') id: string) {
    return { id };
  }
}

@Module({ controllers: [ThingsController] })
class ThingsModule {}

interface Running {
  app: NestFastifyApplication;
  publicUrl: string;
  /** The metrics server's URL, from the line it logged at boot. */
  metricsUrl?: string;
  logs: string[];
}

/** `pages`: a catch-all that answers index.html for deep links, as the web app's does. */
async function start(settings: MetricsSettings, { pages = false } = {}): Promise<Running> {
  const logs: string[] = [];
  const loggerInstance = pino({ level: 'info' }, { write: (line: string) => logs.push(line) });
  const app = await NestFactory.create<NestFastifyApplication>(
    ThingsModule,
    new FastifyAdapter({ loggerInstance }),
    { logger: false },
  );
  app.setGlobalPrefix('api');
  if (pages)
    app
      .getHttpAdapter()
      .getInstance()
      .get('/*', (_request, reply) => reply.send('<html>'));
  configureMetrics(app, settings);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const logged = logs
    .map((line) => JSON.parse(line).msg as string)
    .find((msg) => msg.startsWith('metrics on '));
  return {
    app,
    publicUrl: `http://127.0.0.1:${port}`,
    metricsUrl: logged?.slice('metrics on '.length),
    logs,
  };
}

const scrape = async (url: string) => (await fetch(url)).text();

describe('configureMetrics', () => {
  const running: Running[] = [];
  const startTracked = async (settings: MetricsSettings, options?: { pages: boolean }) => {
    const started = await start(settings, options);
    running.push(started);
    return started;
  };
  afterEach(async () => {
    await Promise.all(running.splice(0).map(({ app }) => app.close()));
  });

  it('should label a request with its route template and status code, never its URL', async () => {
    const { publicUrl, metricsUrl } = await startTracked({ port: 0, host: '127.0.0.1' });
    expect((await fetch(`${publicUrl}/api/things/secret-id-42?token=abc`)).status).toBe(200);
    expect((await fetch(`${publicUrl}/no/such/page`)).status).toBe(404);
    const text = await scrape(metricsUrl as string);
    expect(text).toMatch(
      /^http_request_duration_seconds_count\{method="GET",route="\/api\/things\/:id",status_code="200"\} 1$/m,
    );
    expect(text).toMatch(
      /^http_request_duration_seconds_count\{method="GET",route="unmatched",status_code="404"\} 1$/m,
    );
    expect(text).not.toContain('secret-id-42');
    expect(text).not.toContain('/no/such/page');
  });

  it('should serve the metrics on their own port with Prometheus’s content type, and nothing else there', async () => {
    const { metricsUrl } = await startTracked({ port: 0, host: '127.0.0.1' });
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const response = await fetch(metricsUrl as string);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await response.text()).toContain('# TYPE dropgate_db_pool_connections gauge');
    const base = (metricsUrl as string).replace(/\/metrics$/, '');
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/api/things/1`)).status).toBe(404);
    expect((await fetch(metricsUrl as string, { method: 'POST' })).status).toBe(404);
  });

  it.each([
    ['with the metrics port on', { port: 0, host: '127.0.0.1' }],
    ['with the metrics port off', { host: '127.0.0.1' }],
  ])('should never serve /metrics on the public port, %s', async (_case, settings: MetricsSettings) => {
    const { publicUrl } = await startTracked(settings, { pages: true });
    await fetch(`${publicUrl}/api/things/1`);
    const response = await fetch(`${publicUrl}/metrics`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('http_request_duration_seconds');
  });

  it('should log once how to turn the metrics on when METRICS_PORT is unset', async () => {
    const { logs, metricsUrl } = await startTracked({ host: '127.0.0.1' });
    expect(metricsUrl).toBeUndefined();
    const off = logs.map((line) => JSON.parse(line)).filter((entry) => /METRICS_PORT/.test(entry.msg));
    expect(off).toEqual([
      expect.objectContaining({ level: 30, msg: expect.stringContaining('set METRICS_PORT') }),
    ]);
  });

  it('should run two apps in one process, each with a metrics server of its own', async () => {
    const first = await startTracked({ port: 0, host: '127.0.0.1' });
    const second = await startTracked({ port: 0, host: '127.0.0.1' });
    expect(first.metricsUrl).not.toBe(second.metricsUrl);
    expect(await scrape(second.metricsUrl as string)).toContain(
      '# TYPE http_request_duration_seconds histogram',
    );
  });

  it('should close the metrics server with the app, even with a scrape stalled halfway', async () => {
    const { app, metricsUrl } = await start({ port: 0, host: '127.0.0.1' });
    const { port } = new URL(metricsUrl as string);
    // A scraper that sent half its request: not idle, so a plain close() would wait for it.
    const stalled = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => stalled.once('connect', resolve));
    stalled.write('GET /metrics HTTP/1.1\r\nHost: x\r\n');
    stalled.on('error', () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await app.close();
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect(fetch(metricsUrl as string)).rejects.toThrow();
    stalled.destroy();
  });

  it('should stop the boot naming METRICS_PORT when the port is taken', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const boot = start({ port, host: '127.0.0.1' });
      await expect(boot).rejects.toThrow(ConfigError);
      await expect(boot).rejects.toThrow(`Invalid configuration: METRICS_PORT ${port} is already in use`);
    } finally {
      taken.close();
    }
  });
});
