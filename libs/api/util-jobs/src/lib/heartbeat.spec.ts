import { withHeartbeat } from './heartbeat';

describe('withHeartbeat', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('should renew every period while the work runs, and not after it ends', async () => {
    const renew = jest.fn(async () => undefined);
    let finish: (value: string) => void = () => undefined;
    const running = withHeartbeat(() => new Promise<string>((resolve) => (finish = resolve)), 1_000, renew);
    await jest.advanceTimersByTimeAsync(3_500);
    expect(renew).toHaveBeenCalledTimes(3);
    finish('done');
    await expect(running).resolves.toBe('done');
    await jest.advanceTimersByTimeAsync(5_000);
    expect(renew).toHaveBeenCalledTimes(3);
  });

  it("should pass on the work's error, stop renewing, and shrug off a failed renewal", async () => {
    const renew = jest.fn(async () => {
      throw new Error('the database is restarting');
    });
    let fail: (error: Error) => void = () => undefined;
    const running = withHeartbeat(() => new Promise<string>((_, reject) => (fail = reject)), 1_000, renew);
    await jest.advanceTimersByTimeAsync(2_000);
    expect(renew).toHaveBeenCalledTimes(2);
    fail(new Error('storage said no'));
    await expect(running).rejects.toThrow('storage said no');
    await jest.advanceTimersByTimeAsync(2_000);
    expect(renew).toHaveBeenCalledTimes(2);
  });
});
