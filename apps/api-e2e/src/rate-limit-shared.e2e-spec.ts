import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dropDatabase, emptyDatabase } from './support/database';
import { ROOT, identityEnv } from './support/gateway';
import { send, type RawResponse } from './support/http';
import { TestIdp } from './support/idp';
import { runApiExpectingFailure, startApi, type RunningApi } from './support/api-process';

// Three instances sharing one throwaway Redis (tools/local-redis), as `npm run cluster` runs them.
const REDIS_FLAGS = ['--dir', 'tmp/rate-limit-shared-redis', '--port', '7522'];
const LIMIT = 10;
const INSTANCES = 3;
/** What each instance lets through on its own while Redis is down: ceil(10 / 3). */
const SHARE = Math.ceil(LIMIT / INSTANCES);
const FALLBACK = /Redis at 127\.0\.0\.1:7522 does not answer/g;
const RECOVERY = /Redis at 127\.0\.0\.1:7522 answers again/g;

const redis = (command: string) =>
  execFileSync(process.execPath, ['tools/local-redis/local-redis.mjs', command, ...REDIS_FLAGS], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
const redisPid = () => Number(readFileSync(join(ROOT, 'tmp/rate-limit-shared-redis/run/redis.pid'), 'utf8'));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Tokens signed with the test provider's own key: one principal per case, so cases never share a count. */
const provider = new TestIdp('api-e2e-idp', Number(new URL(identityEnv.OIDC_ISSUER).port));
const tokenFor = (sub: string) => provider.craft({ sub });

/** Latencies seen with Redis down, kept for the README's figures; never asserted. */
const latencies: Record<string, number[]> = {};

describe('the rate limit shared by three instances through Redis', () => {
  let apis: RunningApi[] = [];
  let frozen = false;

  /** `rounds` requests to each instance in turn, one at a time, as one principal. */
  async function burst(sub: string, rounds: number, record?: string): Promise<RawResponse[]> {
    const authorization = `Bearer ${await tokenFor(sub)}`;
    const responses: RawResponse[] = [];
    for (let i = 0; i < rounds * INSTANCES; i++) {
      const started = performance.now();
      responses.push(
        await send(apis[i % INSTANCES].baseUrl, '/api/uploads/config', { headers: { authorization } }),
      );
      if (record) (latencies[record] ??= []).push(Math.round(performance.now() - started));
    }
    return responses;
  }

  const statuses = (responses: RawResponse[]) => responses.map((r) => r.status);
  const passed = (responses: RawResponse[]) => responses.filter((r) => r.status === 200).length;
  const logged = (marks: number[], pattern: RegExp) =>
    apis.map((api, i) => api.output().slice(marks[i]).match(pattern)?.length ?? 0);

  /** Until every instance has said Redis answers again, with requests of a principal of its own. */
  async function untilShared(marks: number[]): Promise<void> {
    for (let round = 0; round < 50 && logged(marks, RECOVERY).some((n) => n === 0); round++) {
      await Promise.all(
        apis.map(async (api, i) =>
          send(api.baseUrl, '/api/uploads/config', {
            headers: { authorization: `Bearer ${await tokenFor(`warm-up-${round}-${i}`)}` },
          }),
        ),
      );
      await sleep(200);
    }
    expect(logged(marks, RECOVERY)).toEqual([1, 1, 1]);
  }

  beforeAll(async () => {
    redis('start');
    const env = {
      DATABASE_URL: await emptyDatabase('rate_limit_shared'),
      REDIS_URL: redis('env')
        .trim()
        .replace(/^REDIS_URL=/, ''),
      RATE_LIMIT_MAX: String(LIMIT),
      RATE_LIMIT_INSTANCES: String(INSTANCES),
    };
    apis = await Promise.all(Array.from({ length: INSTANCES }, () => startApi(env)));
  }, 120_000);

  afterAll(async () => {
    if (frozen) process.kill(redisPid(), 'SIGCONT');
    await Promise.all(apis.map((api) => api.stop()));
    redis('reset');
    await dropDatabase('rate_limit_shared');
    mkdirSync(join(ROOT, 'tmp/rate-limit-shared'), { recursive: true });
    writeFileSync(join(ROOT, 'tmp/rate-limit-shared/latencies.json'), JSON.stringify(latencies));
  }, 60_000);

  it('should let at most the limit through across the three, and refuse the rest with 429 and Retry-After', async () => {
    const responses = await burst('shared', 5);
    expect(passed(responses)).toBe(LIMIT);
    for (const refused of responses.filter((r) => r.status !== 200)) {
      expect(refused.status).toBe(429);
      expect(refused.json().errors[0].code).toBe('rate.limited');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    expect(logged([0, 0, 0], FALLBACK)).toEqual([0, 0, 0]);
  });

  it("should answer every request from each instance's share with Redis stopped, logging the fallback once", async () => {
    const marks = apis.map((api) => api.output().length);
    redis('stop');
    const responses = await burst('redis-stopped', 10, 'redis stopped');
    expect(new Set(statuses(responses))).toEqual(new Set([200, 429]));
    expect(passed(responses)).toBe(SHARE * INSTANCES);
    expect(logged(marks, FALLBACK)).toEqual([1, 1, 1]);
  });

  it('should share the count again once Redis is back', async () => {
    const marks = apis.map((api) => api.output().length);
    redis('start');
    await untilShared(marks);
    expect(passed(await burst('after-restart', 5))).toBe(LIMIT);
  }, 30_000);

  it('should answer every request from memory with Redis frozen, logging the fallback once', async () => {
    const marks = apis.map((api) => api.output().length);
    process.kill(redisPid(), 'SIGSTOP');
    frozen = true;
    const responses = await burst('redis-frozen', 10, 'redis frozen');
    expect(new Set(statuses(responses))).toEqual(new Set([200, 429]));
    expect(passed(responses)).toBe(SHARE * INSTANCES);
    expect(logged(marks, FALLBACK)).toEqual([1, 1, 1]);
  });

  it('should share the count again once Redis is thawed', async () => {
    const marks = apis.map((api) => api.output().length);
    process.kill(redisPid(), 'SIGCONT');
    frozen = false;
    await untilShared(marks);
    expect(passed(await burst('after-thaw', 5))).toBe(LIMIT);
  }, 30_000);

  it('should shut down without waiting on a frozen Redis', async () => {
    process.kill(redisPid(), 'SIGSTOP');
    frozen = true;
    await burst('before-shutdown', 1);
    const last = apis.pop() as RunningApi;
    const started = performance.now();
    // A shutdown that waited on Redis would never resolve while it is frozen.
    await expect(last.stop()).resolves.toEqual({ code: 0, signal: null });
    latencies['shutdown, Redis frozen'] = [Math.round(performance.now() - started)];
  });
});

describe('the settings of the shared limit, checked at boot', () => {
  it.each<[string, Record<string, string>, RegExp]>([
    [
      'a Redis URL of another scheme',
      { REDIS_URL: 'http://127.0.0.1:6379' },
      /^Invalid configuration: REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL such as redis:\/\/127\.0\.0\.1:6379/m,
    ],
    [
      'no instances',
      { RATE_LIMIT_INSTANCES: '0' },
      /^Invalid configuration: RATE_LIMIT_INSTANCES must not be less than 1/m,
    ],
    [
      'a number of instances in words',
      { RATE_LIMIT_INSTANCES: 'three' },
      /^Invalid configuration: RATE_LIMIT_INSTANCES must be a whole number of API instances sharing the rate limits \(got "three"\)/m,
    ],
  ])('should refuse to start with %s, naming the variable', async (_case, env, message) => {
    const result = await runApiExpectingFailure(env);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(message);
  });
});
