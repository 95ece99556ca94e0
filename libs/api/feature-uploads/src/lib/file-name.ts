/** Longest sanitised name, in UTF-8 bytes: well inside S3's 1,024-byte key and common 255-byte file systems. */
export const MAX_NAME_BYTES = 150;
const MAX_EXTENSION_LENGTH = 16;

// Control, format (bidi overrides, zero-width), surrogate, private-use and line/paragraph separators.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Zl}\p{Zp}]/gu;
// Characters that are unsafe in a file name on some system or awkward in a URL.
const UNSAFE = /[<>:"|?*#%{}^~[\]`\\/]/g;
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;
// Printable ASCII: NFKC leaves it as it is, and it holds nothing INVISIBLE matches.
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Makes a client-supplied file name safe to use as the last part of an object key and as a
 * download name: no path, no invisible or bidi-control characters, no leading dots, NFKC form,
 * bounded in length with its extension kept. Returns '' when nothing usable is left.
 */
export function sanitiseFileName(raw: string): string {
  const ascii = PRINTABLE_ASCII.test(raw);
  const normalised = ascii ? raw : raw.normalize('NFKC');
  const lastSegment = normalised.split(/[/\\]/).pop() ?? '';
  const cleaned = (ascii ? lastSegment : lastSegment.replace(INVISIBLE, ''))
    .replace(UNSAFE, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+/, '')
    .replace(/[\s.]+$/, '');
  if (cleaned === '') return '';
  const { base, extension } = splitExtension(cleaned);
  const safeBase = WINDOWS_DEVICE.test(base) ? `_${base}` : base;
  return truncateKeepingExtension(safeBase, extension);
}

function splitExtension(name: string): { base: string; extension: string } {
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? name.slice(dot) : '';
  if (extension.length < 2 || extension.length > MAX_EXTENSION_LENGTH + 1 || /\s/.test(extension)) {
    return { base: name, extension: '' };
  }
  return { base: name.slice(0, dot), extension };
}

function truncateKeepingExtension(base: string, extension: string): string {
  const budget = MAX_NAME_BYTES - byteLength(extension);
  if (byteLength(base) <= budget) return `${base.replace(/[\s.]+$/, '')}${extension}`;
  let kept = '';
  let used = 0;
  // Iterate by code point so a cut never splits a character.
  for (const char of base) {
    const size = byteLength(char);
    if (used + size > budget) break;
    kept += char;
    used += size;
  }
  return `${kept.replace(/[\s.]+$/, '')}${extension}`;
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** The extension of a sanitised name, lower-cased and without its dot; '' when it has none. */
export function extensionOf(name: string): string {
  const { extension } = splitExtension(name);
  return extension.slice(1).toLowerCase();
}
