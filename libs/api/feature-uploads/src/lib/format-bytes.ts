const UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];

/** `104857600` → `100 MiB`: sizes in messages that a person reads. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const rounded = unit === 0 ? String(value) : value.toFixed(value < 10 ? 1 : 0).replace(/\.0$/, '');
  return `${rounded} ${UNITS[unit]}`;
}
