import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import * as limiters from 'rate-limiter-flexible';
import { REDIS_RETRY_AFTER_MS, RedisRateStore } from './redis-rate-store';

class FakeClient extends EventEmitter {
  status = 'ready';
  options = { host: '10.0.0.9', port: 6380 };
  disconnect = jest.fn();
  ping = jest.fn<Promise<string>, []>(() => Promise.reject(new Error('Command timed out')));
}

/** Lets the background PING settle. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('RedisRateStore', () => {
  let now: number;
  let client: FakeClient;
  let logger: { log: jest.Mock; warn: jest.Mock };
  let sut: RedisRateStore;
  const answers = () => Promise.resolve('shared');
  const fails = () => Promise.reject(new Error('Command timed out'));
  const local = () => Promise.resolve('local');

  beforeEach(() => {
    now = 1_000_000;
    client = new FakeClient();
    logger = { log: jest.fn(), warn: jest.fn() };
    sut = new RedisRateStore(client as unknown as Redis, limiters, logger, () => now);
  });

  describe('once booted', () => {
    beforeEach(() => sut.onModuleInit());

    it('should use Redis while it answers, logging nothing', async () => {
      expect(await sut.run(answers, local)).toBe('shared');
      expect(logger.warn).not.toHaveBeenCalled();
      expect(logger.log).not.toHaveBeenCalled();
    });

    it('should answer from memory when Redis fails, and warn once, naming host and port only', async () => {
      for (let i = 0; i < 3; i++) {
        expect(await sut.run(fails, local)).toBe('local');
        now += REDIS_RETRY_AFTER_MS;
      }
      client.emit('error', new Error('connect ECONNREFUSED'));
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.warn.mock.calls[0][0]).toMatch(
        /^Redis at 10\.0\.0\.9:6380 does not answer \(Command timed out\): counting rate limits in this process's memory/,
      );
    });

    it('should answer from memory after a failure, checking Redis with PING at most once a second', async () => {
      await sut.run(fails, local);
      const shared = jest.fn(answers);
      now += REDIS_RETRY_AFTER_MS - 1;
      expect(await sut.run(shared, local)).toBe('local');
      expect(client.ping).not.toHaveBeenCalled();
      now += 1;
      expect(await sut.run(shared, local)).toBe('local');
      await settle();
      expect(client.ping).toHaveBeenCalledTimes(1);
      expect(await sut.run(shared, local)).toBe('local');
      await settle();
      expect(client.ping).toHaveBeenCalledTimes(1);
      expect(shared).not.toHaveBeenCalled();
    });

    it('should check Redis once at a time, however many calls come while a PING is out', async () => {
      await sut.run(fails, local);
      now += REDIS_RETRY_AFTER_MS;
      client.ping.mockReturnValue(new Promise(() => undefined));
      for (let i = 0; i < 3; i++) {
        expect(await sut.run(answers, local)).toBe('local');
        now += REDIS_RETRY_AFTER_MS;
      }
      expect(client.ping).toHaveBeenCalledTimes(1);
    });

    it('should use Redis again once it answers a PING, and log that once', async () => {
      await sut.run(fails, local);
      now += REDIS_RETRY_AFTER_MS;
      client.ping.mockResolvedValue('PONG');
      expect(await sut.run(answers, local)).toBe('local');
      await settle();
      expect(await sut.run(answers, local)).toBe('shared');
      expect(await sut.run(answers, local)).toBe('shared');
      expect(logger.log).toHaveBeenCalledTimes(1);
      expect(logger.log.mock.calls[0][0]).toBe(
        'Redis at 10.0.0.9:6380 answers again: rate limits are shared again',
      );
    });
  });

  describe('at boot', () => {
    it('should not wait for a Redis that is ready', async () => {
      await sut.onModuleInit();
      expect(logger.warn).not.toHaveBeenCalled();
    });

    it('should forgive a failure when Redis is ready within the wait', async () => {
      client.status = 'connecting';
      const init = sut.onModuleInit();
      client.emit('error', new Error('Command timed out'));
      client.status = 'ready';
      client.emit('ready');
      await init;
      expect(logger.warn).not.toHaveBeenCalled();
    });

    it('should warn once, with the last failure, when Redis is not ready by the end of the wait', async () => {
      jest.useFakeTimers();
      try {
        client.status = 'reconnecting';
        const init = sut.onModuleInit();
        client.emit('error', new Error('connect ECONNREFUSED 10.0.0.9:6380'));
        client.emit('error', new Error('connect ECONNREFUSED 10.0.0.9:6380'));
        await jest.advanceTimersByTimeAsync(2000);
        await init;
      } finally {
        jest.useRealTimers();
      }
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.warn.mock.calls[0][0]).toContain('(connect ECONNREFUSED 10.0.0.9:6380)');
    });
  });

  it('should disconnect at shutdown without waiting for Redis, and count in memory after', async () => {
    await sut.onModuleInit();
    sut.onApplicationShutdown();
    expect(client.disconnect).toHaveBeenCalledTimes(1);
    const shared = jest.fn(answers);
    expect(await sut.run(shared, local)).toBe('local');
    expect(shared).not.toHaveBeenCalled();
    client.emit('error', new Error('Connection is closed.'));
    expect(logger.warn).not.toHaveBeenCalled();
  });
});
