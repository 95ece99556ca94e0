import { deferDateFormats } from './deferred-date-formats';

describe('deferDateFormats', () => {
  const Real = Intl.DateTimeFormat;
  const options: Intl.DateTimeFormatOptions = {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    timeZone: 'UTC',
  };
  const at = Date.UTC(2026, 10, 30, 12, 34, 56);
  let restore: () => void = () => undefined;

  afterEach(() => restore());

  it('should build no real formatter until the stand-in is used', () => {
    const built = jest.fn();
    // A spy in place of the real constructor: the stand-in builds with the one it replaced.
    Intl.DateTimeFormat = new Proxy(Real, {
      construct: (target, args: ConstructorParameters<typeof Real>) => (built(), new target(...args)),
    });
    const undo = deferDateFormats();
    restore = () => {
      undo();
      Intl.DateTimeFormat = Real;
    };
    const formatter = new Intl.DateTimeFormat('en-US', options);
    expect(built).not.toHaveBeenCalled();
    expect(formatter.format(at)).toBe('11/30/2026');
    expect(built).toHaveBeenCalledTimes(1);
    formatter.formatToParts(at);
    expect(built).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['format', (f: Intl.DateTimeFormat) => f.format(at)],
    ['format, detached as loggers use it', (f: Intl.DateTimeFormat) => [at].map(f.format)],
    ['formatToParts', (f: Intl.DateTimeFormat) => f.formatToParts(at)],
    ['formatRange', (f: Intl.DateTimeFormat) => f.formatRange(at, at + 86_400_000)],
    ['resolvedOptions', (f: Intl.DateTimeFormat) => f.resolvedOptions()],
  ])('should answer %s as the real formatter does', (_name, use) => {
    const expected = use(new Real('en-GB', options));
    restore = deferDateFormats();
    const formatter = new Intl.DateTimeFormat('en-GB', options);
    expect(formatter).toBeInstanceOf(Real);
    expect(use(formatter)).toEqual(expected);
  });

  it('should put the real constructor back for formatters made after restore', () => {
    restore = deferDateFormats();
    expect(Intl.DateTimeFormat).not.toBe(Real);
    expect(Intl.DateTimeFormat.supportedLocalesOf(['en-US'])).toEqual(['en-US']);
    restore();
    expect(Intl.DateTimeFormat).toBe(Real);
  });
});
