import { runSignOutTasks } from './sign-out-tasks';

describe('runSignOutTasks', () => {
  it('should run every task, even after one fails', async () => {
    const ran: string[] = [];
    await runSignOutTasks([
      async () => {
        ran.push('a');
        throw new Error('storage refused');
      },
      async () => void ran.push('b'),
    ]);
    expect(ran).toEqual(['a', 'b']);
  });

  it('should not wait longer than the timeout for a task that hangs', async () => {
    const started = Date.now();
    await runSignOutTasks([() => new Promise<void>(() => undefined)], 50);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
