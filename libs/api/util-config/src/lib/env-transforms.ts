import { Transform } from 'class-transformer';

/** Parses a decimal string to a number; anything else is left as it is for the validator to reject. */
export const ToNumber = () =>
  Transform(({ value }) =>
    typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value,
  );

/** Parses `true`/`false`/`1`/`0`; anything else is left as it is for the validator to reject. */
export const ToBoolean = () =>
  Transform(({ value }) => {
    if (typeof value !== 'string') return value;
    const normalised = value.trim().toLowerCase();
    if (normalised === 'true' || normalised === '1') return true;
    if (normalised === 'false' || normalised === '0') return false;
    return value;
  });

/** Splits a comma-separated list (or one with another separator), trimming items and dropping empty ones. */
export const ToList = (separator: string | RegExp = ',') =>
  Transform(({ value }) =>
    typeof value === 'string'
      ? value
          .split(separator)
          .map((item) => item.trim())
          .filter(Boolean)
      : value,
  );
