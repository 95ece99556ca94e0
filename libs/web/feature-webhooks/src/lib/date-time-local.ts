const pad = (n: number) => String(n).padStart(2, '0');

/** A time as `<input type="datetime-local">` shows it: `YYYY-MM-DDTHH:mm`, in local time. */
export function toDateTimeLocal(time: Date): string {
  return (
    `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())}` +
    `T${pad(time.getHours())}:${pad(time.getMinutes())}`
  );
}

/** An `<input type="datetime-local">` value (local time) as ISO 8601 in UTC; undefined if it is none. */
export function fromDateTimeLocal(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return undefined;
  // Without an offset, a date-time string is read as local time.
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}
