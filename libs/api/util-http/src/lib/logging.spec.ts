import { pino } from 'pino';
import { TurnBatchedStream, createLogger, loggerOptions, type LineSink } from './logging';

/** A sink that records, in order, each write it is given and each time it is asked to flush. */
function recordingSink(): LineSink & { events: string[]; writes: () => string[] } {
  const events: string[] = [];
  return {
    events,
    writes: () => events.filter((e) => e.startsWith('write:')).map((e) => e.slice('write:'.length)),
    write(text: string) {
      events.push(`write:${text}`);
    },
    flushSync() {
      events.push('flushSync');
    },
  };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('TurnBatchedStream', () => {
  it('should write the lines of one turn together, once the turn ends, and each turn apart', async () => {
    const sink = recordingSink();
    const sut = new TurnBatchedStream(sink);
    sut.write('a\n');
    sut.write('b\n');
    expect(sink.events).toEqual([]);
    await turn();
    expect(sink.events).toEqual(['write:a\nb\n']);
    sut.write('c\n');
    await turn();
    expect(sink.events).toEqual(['write:a\nb\n', 'write:c\n']);
  });

  it('should write what is pending, then flush the sink, when the process exits; and any later line at once', () => {
    const sink = recordingSink();
    const sut = new TurnBatchedStream(sink);
    sut.write('last\n');
    sut.flushSync();
    expect(sink.events).toEqual(['write:last\n', 'flushSync']);
    sut.write('after\n');
    expect(sink.events).toEqual(['write:last\n', 'flushSync', 'write:after\n', 'flushSync']);
  });

  it('should hand what is pending to the sink, then call back, when pino’s logger is flushed', async () => {
    const sink = recordingSink();
    const logger = pino(loggerOptions('info'), new TurnBatchedStream(sink));
    logger.info('one');
    await new Promise<void>((resolve) => logger.flush(() => resolve()));
    expect(sink.writes()).toEqual([expect.stringContaining('"msg":"one"')]);
  });

  it('should carry pino’s lines whole, one JSON object per line, with secrets redacted', async () => {
    const sink = recordingSink();
    const logger = pino(loggerOptions('info'), new TurnBatchedStream(sink));
    logger.info({ requestId: 'r1', status: 201 }, 'request');
    logger.info({ post: { fields: { Policy: 'eyJwb2xpY3kiOjF9' } } }, 'signed');
    await turn();
    expect(sink.writes()).toHaveLength(1);
    const lines = sink
      .writes()[0]
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        service: 'dropgate-api',
        requestId: 'r1',
        status: 201,
        msg: 'request',
      }),
      expect.objectContaining({ msg: 'signed', post: { fields: { Policy: '[redacted]' } } }),
    ]);
  });
});

describe('createLogger', () => {
  it('should write the lines of the last turn when the process exits', () => {
    const once = jest.spyOn(process, 'once');
    try {
      const sink = recordingSink();
      const logger = createLogger('info', sink);
      const [event, onExit] = once.mock.calls[once.mock.calls.length - 1];
      expect(event).toBe('exit');
      logger.info('first');
      logger.warn('second');
      (onExit as () => void)();
      expect(sink.events).toEqual([expect.stringMatching(/"msg":"first".*\n.*"msg":"second"/s), 'flushSync']);
      process.removeListener('exit', onExit as () => void);
    } finally {
      once.mockRestore();
    }
  });
});
