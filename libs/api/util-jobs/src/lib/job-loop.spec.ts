import { Logger } from '@nestjs/common';
import { JobLoop, type JobHandler } from './job-loop';
import { backoffMs } from './backoff';

/** A handler over an in-memory list of due job numbers. */
function fakeHandler(
  due: number[],
  handle: (job: number, signal: AbortSignal) => Promise<void> = async () => undefined,
) {
  const handled: number[] = [];
  const retried: Array<[number, string]> = [];
  const givenBack: number[] = [];
  let claims = 0;
  const handler: JobHandler<number> = {
    claim: async (limit) => {
      claims += 1;
      return due.splice(0, limit);
    },
    handle: async (job, signal) => {
      await handle(job, signal);
      handled.push(job);
    },
    retryLater: async (job, error) => {
      retried.push([job, (error as Error).message]);
    },
    giveBack: async (jobs) => {
      givenBack.push(...jobs);
    },
  };
  return { handler, handled, retried, givenBack, claims: () => claims };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('JobLoop', () => {
  beforeAll(() => jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined));
  afterAll(() => jest.restoreAllMocks());

  it('should handle every job, and give a failing one back without holding up the rest', async () => {
    const fake = fakeHandler([1, 2, 3, 4], async (job) => {
      if (job === 2) throw new Error('storage said no');
    });
    const sut = new JobLoop(fake.handler, { name: 'test', batch: 10, pollMs: 60_000 });
    expect(await sut.runOnce()).toBe(4);
    expect(fake.handled).toEqual([1, 3, 4]);
    expect(fake.retried).toEqual([[2, 'storage said no']]);
  });

  it('should claim again at once after a full batch, and sleep after a short one', async () => {
    const fake = fakeHandler([1, 2, 3, 4, 5]);
    const sut = new JobLoop(fake.handler, { name: 'test', batch: 2, pollMs: 60_000 });
    sut.start();
    for (let i = 0; i < 20; i++) await tick();
    expect(fake.handled).toEqual([1, 2, 3, 4, 5]);
    // 2 + 2 + 1: the third batch was short, so the loop sleeps instead of claiming a fourth time.
    expect(fake.claims()).toBe(3);
    await sut.stop();
  });

  it('should stop between jobs: a backlog never holds up shutdown', async () => {
    const backlog = Array.from({ length: 50_000 }, (_, i) => i);
    let sawAbort = false;
    const fake = fakeHandler(backlog, async (_job, signal) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      sawAbort ||= signal.aborted;
    });
    const sut = new JobLoop(fake.handler, { name: 'test', batch: 100, pollMs: 60_000 });
    sut.start();
    await new Promise((resolve) => setTimeout(resolve, 30));
    await sut.stop();
    const handledAtStop = fake.handled.length;
    expect(handledAtStop).toBeGreaterThan(0);
    expect(handledAtStop).toBeLessThan(1_000);
    expect(sawAbort).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(fake.handled.length).toBe(handledAtStop);
  });

  it('should give back the jobs of its batch it had not started when it stopped', async () => {
    const fake = fakeHandler([1, 2, 3, 4, 5], async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
    const sut = new JobLoop(fake.handler, { name: 'test', batch: 5, pollMs: 60_000 });
    sut.start();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await sut.stop();
    expect(fake.handled).toEqual([1]);
    expect(fake.givenBack).toEqual([2, 3, 4, 5]);
  });

  it('should look for work when woken, without waiting for the poll', async () => {
    const due: number[] = [];
    const fake = fakeHandler(due);
    const sut = new JobLoop(fake.handler, { name: 'test', batch: 10, pollMs: 60_000 });
    sut.start();
    await tick();
    expect(fake.claims()).toBe(1);
    due.push(7);
    sut.wake();
    for (let i = 0; i < 5; i++) await tick();
    expect(fake.handled).toEqual([7]);
    await sut.stop();
  });

  it('should wake at a due time sooner than the poll, and ignore one after it', async () => {
    const due: number[] = [];
    const fake = fakeHandler(due);
    const sut = new JobLoop(fake.handler, { name: 'test', batch: 10, pollMs: 60_000 });
    sut.start();
    await tick();
    due.push(7);
    sut.wakeAt(new Date(Date.now() + 120_000));
    sut.wakeAt(new Date(Date.now() + 20));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(fake.handled).toEqual([7]);
    expect(fake.claims()).toBe(2);
    await sut.stop();
  });

  it('should go on after a claim fails (the database was down)', async () => {
    const fake = fakeHandler([1]);
    const claim = fake.handler.claim;
    let failures = 1;
    fake.handler.claim = async (limit) => {
      if (failures-- > 0) throw new Error('database.unavailable');
      return claim(limit);
    };
    const sut = new JobLoop(fake.handler, { name: 'test', batch: 10, pollMs: 5 });
    sut.start();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await sut.stop();
    expect(fake.handled).toEqual([1]);
  });

  it('should serve the lanes that ask while a claim runs with one claim for all their shares', async () => {
    const fake = fakeHandler([1, 2, 3, 4, 5, 6, 7, 8]);
    const limits: number[] = [];
    const claim = fake.handler.claim;
    fake.handler.claim = async (limit) => {
      limits.push(limit);
      await tick();
      return claim(limit);
    };
    const sut = new JobLoop(fake.handler, { name: 'test', batch: 8, pollMs: 60_000, concurrency: 4 });
    sut.start();
    for (let i = 0; i < 20; i++) await tick();
    await sut.stop();
    // The first lane claims its share of 2 alone; the three that asked meanwhile share the next.
    expect(limits.slice(0, 2)).toEqual([2, 6]);
    expect([...fake.handled].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('should handle up to `concurrency` jobs at a time', async () => {
    let inFlight = 0;
    let most = 0;
    const fake = fakeHandler([1, 2, 3, 4, 5, 6], async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
    });
    const sut = new JobLoop(fake.handler, { name: 'test', batch: 10, pollMs: 60_000, concurrency: 3 });
    await sut.runOnce();
    expect(fake.handled).toHaveLength(6);
    expect(most).toBe(3);
  });
});

describe('backoffMs', () => {
  it.each([
    [1, 0, 1000],
    [2, 0, 2000],
    [3, 0, 4000],
    [10, 0, 60_000],
    [1, 1, 750],
    [0, 0, 1000],
  ])('should wait after attempt %i (random %d) %i ms', (attempt, random, expected) => {
    expect(backoffMs(attempt, 1000, 60_000, () => random)).toBe(expected);
  });
});
