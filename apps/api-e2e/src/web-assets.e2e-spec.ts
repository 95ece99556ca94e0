import { request } from 'node:http';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startApi, type RunningApi } from './support/api-process';
import { ROOT } from './support/gateway';

const WEB = join(ROOT, 'dist/apps/web/browser');

/**
 * The most the first screen's scripts may weigh over the wire (brotli, as the API sends them),
 * in bytes: 80 KB as the bench counts them (1 KB = 1,024 bytes).
 */
const INITIAL_JS_BUDGET = 81_920;

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET whose body is kept as sent: node:http does not decompress. */
function get(url: string, acceptEncoding?: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const headers = acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding };
    request(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
      );
    })
      .on('error', reject)
      .end();
  });
}

describe('web app assets', () => {
  let api: RunningApi;
  // The largest script (the framework chunk): big enough that compression must halve it.
  const largestJs = readdirSync(WEB)
    .filter((file) => /^[a-z]+-[A-Z0-9]{8}\.js$/.test(file))
    .sort((a, b) => readFileSync(join(WEB, b)).length - readFileSync(join(WEB, a)).length)[0];
  const built = readFileSync(join(WEB, largestJs));

  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.stop());

  it.each([
    ['gzip, deflate, br, zstd', 'br', brotliDecompressSync],
    ['br', 'br', brotliDecompressSync],
    ['gzip', 'gzip', gunzipSync],
    ['gzip;q=1, identity', 'gzip', gunzipSync],
  ])(
    'should send the built file compressed for Accept-Encoding "%s" (%s)',
    async (accept, encoding, inflate) => {
      const response = await get(`${api.baseUrl}/${largestJs}`, accept);
      expect(response.status).toBe(200);
      expect(response.headers['content-encoding']).toBe(encoding);
      expect(response.headers['content-type']).toMatch(/^text\/javascript|^application\/javascript/);
      expect(response.headers['vary']).toMatch(/accept-encoding/i);
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(response.body.length).toBeLessThan(built.length / 2);
      expect(inflate(response.body).equals(built)).toBe(true);
    },
  );

  it('should send the file as built when the client accepts no compression', async () => {
    const response = await get(`${api.baseUrl}/${largestJs}`);
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.body.equals(built)).toBe(true);
  });

  it('should never cache index.html, at its own path or as a deep link', async () => {
    for (const path of ['/', '/index.html', '/some/deep/link']) {
      const response = await get(`${api.baseUrl}${path}`, 'gzip, br');
      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('no-cache');
      const html =
        response.headers['content-encoding'] === 'br' ? brotliDecompressSync(response.body) : response.body;
      expect(html.toString()).toContain(largestJs);
    }
  });

  it('should not answer a request for the compressed copy by its own name as JavaScript', async () => {
    const response = await get(`${api.baseUrl}/${largestJs}.br`, 'br');
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.headers['content-type']).not.toMatch(/javascript/);
  });

  it(`should send the first screen's scripts in at most ${INITIAL_JS_BUDGET} bytes`, async () => {
    const html = readFileSync(join(WEB, 'index.html'), 'utf8');
    const scripts = [
      ...new Set([...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="([^"]+\.js)"/g)].map((m) => m[1])),
    ];
    expect(scripts.length).toBeGreaterThan(0);
    let bytes = 0;
    for (const script of scripts) {
      const response = await get(`${api.baseUrl}/${script}`, 'gzip, deflate, br, zstd');
      expect([response.status, response.headers['content-encoding']]).toEqual([200, 'br']);
      bytes += response.body.length;
    }
    expect(bytes).toBeLessThanOrEqual(INITIAL_JS_BUDGET);
  });
});
