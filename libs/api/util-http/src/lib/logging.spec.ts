import { pino } from 'pino';
import { TurnBatchedStream, loggerOptions, type LineSink } from './logging';

/** A sink that records each write it is given, and each time it is asked to flush. */
function recordingSink(): LineSink & { writes: string[]; flushes: number } {
  return {
    writes: [],
    flushes: 0,
    write(text: string) {
      this.writes.push(text);
    },
    flushSync() {
      this.flushes++;
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
    expect(sink.writes).toEqual([]);
    await turn();
    expect(sink.writes).toEqual(['a\nb\n']);
    sut.write('c\n');
    await turn();
    expect(sink.writes).toEqual(['a\nb\n', 'c\n']);
  });

  it('should write what is pending and flush the sink when asked to before exit', () => {
    const sink = recordingSink();
    const sut = new TurnBatchedStream(sink);
    sut.write('last\n');
    sut.flushSync();
    expect(sink.writes).toEqual(['last\n']);
    expect(sink.flushes).toBe(1);
  });

  it('should write nothing for a turn without lines', async () => {
    const sink = recordingSink();
    const sut = new TurnBatchedStream(sink);
    sut.flush();
    await turn();
    expect(sink.writes).toEqual([]);
  });

  it('should carry pino’s lines whole, one JSON object per line, with secrets redacted', async () => {
    const sink = recordingSink();
    const logger = pino(loggerOptions('info'), new TurnBatchedStream(sink));
    logger.info({ requestId: 'r1', status: 201 }, 'request');
    logger.info({ post: { fields: { Policy: 'eyJwb2xpY3kiOjF9' } } }, 'signed');
    await turn();
    expect(sink.writes).toHaveLength(1);
    const lines = sink.writes[0]
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
