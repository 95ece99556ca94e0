import { ConfigError } from '@dropgate/api/util-config';
import { metricsConfig } from './metrics.config';

describe('metricsConfig', () => {
  const saved = process.env;
  afterEach(() => (process.env = saved));
  const load = (env: Record<string, string>) => {
    process.env = { ...saved, METRICS_PORT: '', METRICS_HOST: '', ...env };
    return metricsConfig();
  };

  it('should leave the metrics server off, on loopback, when nothing is set', () => {
    expect(load({})).toEqual({ port: undefined, host: '127.0.0.1' });
  });

  it.each([
    ['0', 0],
    ['9464', 9464],
  ])('should read METRICS_PORT=%s as %d', (value, port) => {
    expect(load({ METRICS_PORT: value, METRICS_HOST: '0.0.0.0' })).toEqual({ port, host: '0.0.0.0' });
  });

  it.each(['http', '-1', '65536', '9464.5'])('should refuse METRICS_PORT=%s, naming it', (value) => {
    expect(() => load({ METRICS_PORT: value })).toThrow(ConfigError);
    expect(() => load({ METRICS_PORT: value })).toThrow(/^Invalid configuration: METRICS_PORT /);
  });
});
