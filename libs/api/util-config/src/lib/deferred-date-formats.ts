/**
 * Until `restore` is called, every `Intl.DateTimeFormat` made is a stand-in that builds the real
 * one the first time it is used. The API calls this before its modules load: `@nestjs/common`
 * builds a date formatter for its console logger as its module loads, which brings in ICU's date
 * data (about 8 MB resident, measured), and the API logs through pino and never uses it. A
 * stand-in that is used behaves as the real one: its methods are the real formatter's, bound.
 * Returns `restore`, which puts the real constructor back for everything made afterwards.
 */
export function deferDateFormats(): () => void {
  const Real = Intl.DateTimeFormat;
  const deferred = function DateTimeFormat(
    locales?: string | string[],
    options?: Intl.DateTimeFormatOptions,
  ): Intl.DateTimeFormat {
    let real: Intl.DateTimeFormat | undefined;
    const made = () => (real ??= new Real(locales, options));
    const method = <K extends keyof Intl.DateTimeFormat>(name: K) => ({
      get: () => {
        const value = made()[name];
        return typeof value === 'function' ? value.bind(made()) : value;
      },
    });
    return Object.create(Real.prototype, {
      format: method('format'),
      formatToParts: method('formatToParts'),
      formatRange: method('formatRange'),
      formatRangeToParts: method('formatRangeToParts'),
      resolvedOptions: method('resolvedOptions'),
    });
  } as unknown as typeof Intl.DateTimeFormat;
  Object.defineProperty(deferred, 'prototype', { value: Real.prototype });
  Object.defineProperty(deferred, 'supportedLocalesOf', { value: Real.supportedLocalesOf });
  Intl.DateTimeFormat = deferred;
  return () => {
    Intl.DateTimeFormat = Real;
  };
}
