/** Types by the name a person knows them by. */
const NAMES = new Map<string, string>([
  // Files a browser cannot name are declared as bytes: allowing them allows any file.
  ['application/octet-stream', 'any file'],
  ['application/pdf', 'PDF'],
  ['text/plain', 'text'],
  ['text/csv', 'CSV'],
  ['text/markdown', 'Markdown'],
  ['application/json', 'JSON'],
  ['application/zip', 'ZIP'],
  ['application/msword', 'Word'],
  ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'Word'],
  ['application/vnd.ms-excel', 'Excel'],
  ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'Excel'],
  ['application/vnd.ms-powerpoint', 'PowerPoint'],
  ['application/vnd.openxmlformats-officedocument.presentationml.presentation', 'PowerPoint'],
  ['application/vnd.oasis.opendocument.text', 'OpenDocument text'],
  ['video/mp4', 'MP4 video'],
  ['video/quicktime', 'QuickTime video'],
  ['audio/mpeg', 'MP3'],
]);

const FAMILIES = new Map<string, string>([
  ['image', 'images'],
  ['video', 'videos'],
  ['audio', 'audio'],
  ['text', 'text files'],
  ['font', 'fonts'],
]);

/** `image/*` → `images`, `application/pdf` → `PDF`, `application/octet-stream` → `any file`. */
export function describeType(type: string): string {
  const essence = type.trim().toLowerCase();
  const known = NAMES.get(essence);
  if (known) return known;
  const [family, subtype = ''] = essence.split('/');
  if (subtype === '*') return FAMILIES.get(family) ?? `${family} files`;
  // A short subtype is a name people see on files (PNG, WEBP); a long one is not, so it stays whole.
  return /^[a-z0-9]{2,5}$/.test(subtype) ? subtype.toUpperCase() : essence;
}

/** The accepted types as one line, each named once, "any file" last since it covers the rest. */
export function describeTypes(types: readonly string[]): string {
  const names = [...new Set(types.map(describeType))];
  const any = names.indexOf('any file');
  if (any >= 0) names.push(...names.splice(any, 1));
  return names.join(', ');
}
