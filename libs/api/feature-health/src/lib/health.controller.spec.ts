import { Logger } from '@nestjs/common';
import type { DatabaseHealth } from '@dropgate/api/data-access-db';
import type { S3BucketProbe } from '@dropgate/api/data-access-s3';
import type { ClamdClient } from '@dropgate/api/data-access-clamav';
import { ProblemException } from '@dropgate/api/util-http';
import { DrainService } from './drain.service';
import { HealthController } from './health.controller';
import { ReadinessProbe } from './readiness-probe';

// What the SDK and pg say when they fail: host names, addresses, the database user, the bucket.
const STORAGE_ERROR = Object.assign(new Error('getaddrinfo ENOTFOUND s3.internal.example.net'), {
  name: 'TimeoutError',
});
const DATABASE_ERROR =
  'the database does not answer: password authentication failed for user "dropgate_app" at db-7.internal:5432';

describe('HealthController readiness', () => {
  let now: number;
  let bucket: { bucket: string; check: jest.Mock<Promise<void>, []> };
  let database: { problem: jest.Mock<Promise<string | undefined>, []> };
  let scanner: { ping: jest.Mock<Promise<void>, []> };
  let warnings: jest.SpyInstance;
  let sut: HealthController;

  beforeEach(() => {
    now = 1_000_000;
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    warnings = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    bucket = { bucket: 'acme-private-uploads', check: jest.fn().mockResolvedValue(undefined) };
    database = { problem: jest.fn().mockResolvedValue(undefined) };
    scanner = { ping: jest.fn().mockResolvedValue(undefined) };
    const probe = new ReadinessProbe(
      bucket as unknown as S3BucketProbe,
      database as unknown as DatabaseHealth,
      scanner as unknown as ClamdClient,
    );
    sut = new HealthController(probe, new DrainService({ drainSeconds: 0 }));
  });
  afterEach(() => jest.restoreAllMocks());

  const refusal = () =>
    sut.ready().then(
      () => {
        throw new Error('ready, where a dependency is down');
      },
      (error: unknown) => error as ProblemException,
    );

  it('should name only the failing dependencies, and log why', async () => {
    bucket.check.mockRejectedValue(STORAGE_ERROR);
    database.problem.mockResolvedValue(DATABASE_ERROR);

    const answer = await refusal();
    expect(answer.getStatus()).toBe(503);
    // The same problem as while draining, its errors naming each dependency.
    expect([answer.problem.type, answer.problem.title]).toEqual([
      'urn:dropgate:problem:not-ready',
      'Not ready',
    ]);
    expect(answer.problem.detail).toBe('Not ready: storage, database');
    expect(answer.problem.errors.map((e) => e.code)).toEqual(['storage.unavailable', 'database.unavailable']);
    const body = JSON.stringify(answer.problem);
    for (const secret of [
      's3.internal',
      'acme-private-uploads',
      'TimeoutError',
      'dropgate_app',
      'db-7.internal',
    ]) {
      expect(body).not.toContain(secret);
    }
    const logged = warnings.mock.calls.map(([message]) => String(message)).join('\n');
    expect(logged).toContain('s3.internal.example.net');
    expect(logged).toContain('dropgate_app');
  });

  it('should probe at most once per second, however many calls arrive', async () => {
    await Promise.all(Array.from({ length: 20 }, () => sut.ready()));
    for (let i = 0; i < 20; i++) await sut.ready();
    now += 999;
    await sut.ready();
    expect([bucket.check.mock.calls.length, database.problem.mock.calls.length]).toEqual([1, 1]);

    now += 1;
    await sut.ready();
    expect([bucket.check.mock.calls.length, database.problem.mock.calls.length]).toEqual([2, 2]);
  });

  it('should answer ready again once a later probe finds the dependency back', async () => {
    database.problem.mockResolvedValue(DATABASE_ERROR);
    expect((await refusal()).problem.detail).toBe('Not ready: database');
    database.problem.mockResolvedValue(undefined);
    now += 1_000;
    expect(await sut.ready()).toEqual({
      status: 'ok',
      info: { storage: { status: 'up' }, database: { status: 'up' }, scanner: { status: 'up' } },
    });
  });

  it('should stay ready while the scanner is down, report it, and log why once', async () => {
    scanner.ping.mockRejectedValue(new Error('connect ECONNREFUSED 10.0.0.9:3310'));
    for (let i = 0; i < 2; i++) {
      expect(await sut.ready()).toEqual({
        status: 'ok',
        info: { storage: { status: 'up' }, database: { status: 'up' }, scanner: { status: 'down' } },
      });
      now += 1_000;
    }
    expect(warnings).toHaveBeenCalledTimes(1);
    expect(String(warnings.mock.calls[0][0])).toContain('ECONNREFUSED 10.0.0.9:3310');
  });

  it('should log a lasting problem once, not on every probe', async () => {
    database.problem.mockResolvedValue(DATABASE_ERROR);
    for (let i = 0; i < 3; i++) {
      await refusal();
      now += 1_000;
    }
    expect(database.problem).toHaveBeenCalledTimes(3);
    expect(warnings).toHaveBeenCalledTimes(1);
  });
});
