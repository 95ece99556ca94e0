import { Logger } from '@nestjs/common';
import { Coalescer } from './coalescer';

/** One kind of background work: how to take what is due, and how to do one unit of it. */
export interface JobHandler<J> {
  /**
   * Claims up to `limit` due jobs in a short transaction of its own (`FOR UPDATE SKIP LOCKED`),
   * each under a lease: until the lease ends, no other instance takes it. Lanes that ask while a
   * claim runs are served together by the next one, so `limit` may be several lanes' shares.
   */
  claim(limit: number): Promise<J[]>;
  /**
   * Does one job, outside any transaction, and writes its result only while it still holds the
   * lease. `signal` aborts when the process stops.
   */
  handle(job: J, signal: AbortSignal): Promise<void>;
  /** After `handle` threw: gives the job back with a later due time (see `backoffMs`). */
  retryLater(job: J, error: unknown): Promise<void>;
  /**
   * On stop, gives back the jobs claimed but not started, so that another instance need not wait
   * for their leases to end. Without it they come back when their leases end.
   */
  giveBack?(jobs: J[]): Promise<void>;
}

export interface JobLoopOptions {
  /** For the log. */
  name: string;
  /** Jobs claimed at once. */
  batch: number;
  /** How often to look for due jobs when nothing wakes the loop. */
  pollMs: number;
  /** Jobs handled at the same time (default 1). */
  concurrency?: number;
}

/**
 * The loop every background worker runs: claim a batch, handle each job, give a failed one back
 * with backoff (one bad row never holds up the rest), and sleep until the next poll or a
 * `wake()`. `stop()` lets the jobs in hand finish (their handlers see the abort) and takes no
 * new one: a backlog never delays shutdown. Jobs claimed but not started are given back (or left
 * to their lease), and another instance takes them.
 */
export class JobLoop<J> {
  private readonly logger: Logger;
  private readonly stopper = new AbortController();
  private running?: Promise<void>;
  /** The lanes asleep, each with the way to wake it. */
  private readonly sleepers = new Set<() => void>();
  private woken = false;
  /** The timer of the earliest `wakeAt` still to come, and when it fires. */
  private alarm?: { at: number; timer: NodeJS.Timeout };
  /** Lanes that ask for jobs while a claim runs wait for it, then share the next claim. */
  private readonly claims = new Coalescer<number, J[]>(async (limits) => {
    const jobs = await this.handler.claim(limits.reduce((sum, limit) => sum + limit, 0));
    return limits.map((limit) => jobs.splice(0, limit));
  });

  constructor(
    private readonly handler: JobHandler<J>,
    private readonly options: JobLoopOptions,
  ) {
    this.logger = new Logger(options.name);
  }

  get stopping(): boolean {
    return this.stopper.signal.aborted;
  }

  start(): void {
    this.running ??= Promise.all(Array.from({ length: this.concurrency }, () => this.lane())).then(
      () => undefined,
    );
  }

  /** Looks for due jobs now rather than at the next poll (a NOTIFY, or work just written). */
  wake(): void {
    this.woken = true;
    for (const wakeUp of [...this.sleepers]) wakeUp();
  }

  /**
   * Wakes the loop at `at` if that comes before the next poll would: a job given back with a due
   * time of seconds (a webhook's first retry) is then taken on time, not a poll late.
   */
  wakeAt(at: Date): void {
    const due = at.getTime();
    if (this.stopping || due - Date.now() >= this.options.pollMs) return;
    if (this.alarm && this.alarm.at <= due) return;
    if (this.alarm) clearTimeout(this.alarm.timer);
    const timer = setTimeout(
      () => {
        this.alarm = undefined;
        this.wake();
      },
      Math.max(0, due - Date.now()),
    );
    timer.unref();
    this.alarm = { at: due, timer };
  }

  /** Resolves once the jobs in hand are done; no job is started after it is called. */
  async stop(): Promise<void> {
    this.stopper.abort();
    if (this.alarm) clearTimeout(this.alarm.timer);
    for (const wakeUp of [...this.sleepers]) wakeUp();
    await this.running;
  }

  /** One pass: claims once and handles what it got; the number of jobs claimed. */
  async runOnce(): Promise<number> {
    const jobs = await this.claim(this.options.batch);
    const queue = [...jobs];
    await Promise.all(Array.from({ length: this.concurrency }, () => this.work(queue)));
    return jobs.length;
  }

  private get concurrency(): number {
    return Math.max(1, this.options.concurrency ?? 1);
  }

  /**
   * One of `concurrency` lanes, each claiming its own share of the batch: a job that takes long
   * (a target that hangs until its timeout) holds up its lane only, never the others.
   */
  private async lane(): Promise<void> {
    const share = Math.max(1, Math.ceil(this.options.batch / this.concurrency));
    while (!this.stopping) {
      this.woken = false;
      const jobs = await this.claim(share);
      await this.work([...jobs]);
      // A full share means more may be due: go on at once. Otherwise wait for a poll or a wake.
      if (jobs.length < share && !this.woken) await this.sleep(this.options.pollMs);
    }
  }

  private async claim(limit: number): Promise<J[]> {
    try {
      return await this.claims.add(limit);
    } catch (error) {
      this.logger.warn(`claiming failed: ${(error as Error).message}`);
      return [];
    }
  }

  /** Handles queued jobs until none is left or the loop stops; gives back what was not started. */
  private async work(queue: J[]): Promise<void> {
    while (!this.stopping && queue.length > 0) await this.handleOne(queue.shift() as J);
    if (queue.length > 0) await this.giveBack(queue.splice(0));
  }

  private async handleOne(job: J): Promise<void> {
    try {
      await this.handler.handle(job, this.stopper.signal);
    } catch (error) {
      try {
        await this.handler.retryLater(job, error);
      } catch (releaseError) {
        // The lease ends on its own; the job comes back then.
        this.logger.warn(`could not reschedule a failed job: ${(releaseError as Error).message}`);
      }
    }
  }

  private async giveBack(jobs: J[]): Promise<void> {
    try {
      await this.handler.giveBack?.(jobs);
    } catch (error) {
      this.logger.warn(`could not give back ${jobs.length} unstarted jobs: ${(error as Error).message}`);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref();
      this.sleepers.add(done);
    });
  }
}
