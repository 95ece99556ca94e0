const MEDIA_TYPE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/;
const PARAM_NAME = /^[a-z0-9!#$&^_.+-]+$/;
const PARAM_VALUE = /^([A-Za-z0-9!#$&^_.+-]+|"[^"\\]*")$/;

/**
 * Lower-cases the type and parameter names of a MIME type and removes optional white space:
 * `Text/Plain; Charset=UTF-8` → `text/plain;charset=UTF-8`. Returns undefined when it is not a
 * valid media type (RFC 9110), so that it can be refused with a reason.
 */
export function normaliseContentType(raw: string): { essence: string; value: string } | undefined {
  if (raw.length > 255) return undefined;
  const [head, ...params] = raw.split(';');
  const essence = head.trim().toLowerCase();
  if (!MEDIA_TYPE.test(essence)) return undefined;
  const normalised = [essence];
  for (const param of params) {
    const eq = param.indexOf('=');
    const name = param.slice(0, eq).trim().toLowerCase();
    const value = param.slice(eq + 1).trim();
    if (eq <= 0 || !PARAM_NAME.test(name) || !PARAM_VALUE.test(value)) return undefined;
    normalised.push(`${name}=${value}`);
  }
  return { essence, value: normalised.join(';') };
}

/**
 * Types and the extensions they are stored under; both directions are checked where known. Maps,
 * not plain objects: both are looked up by what the client sent, and `constructor` or `__proto__`
 * must find nothing rather than Object's own members.
 */
const EXTENSIONS = new Map<string, readonly string[]>(
  Object.entries({
    'application/pdf': ['pdf'],
    'application/json': ['json'],
    'application/zip': ['zip'],
    'application/x-zip-compressed': ['zip'],
    'application/gzip': ['gz', 'tgz'],
    'application/msword': ['doc'],
    'application/vnd.ms-excel': ['xls'],
    'application/vnd.ms-powerpoint': ['ppt'],
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['xlsx'],
    'application/vnd.openxmlformats-officedocument.presentationml.presentation': ['pptx'],
    'application/x-msdownload': ['exe', 'dll'],
    'application/xml': ['xml'],
    'image/png': ['png'],
    'image/jpeg': ['jpg', 'jpeg', 'jpe', 'jfif'],
    'image/gif': ['gif'],
    'image/webp': ['webp'],
    'image/avif': ['avif'],
    'image/svg+xml': ['svg'],
    'image/tiff': ['tif', 'tiff'],
    'image/bmp': ['bmp'],
    'image/heic': ['heic'],
    'text/plain': ['txt', 'text', 'log', 'md'],
    'text/csv': ['csv'],
    'text/html': ['html', 'htm'],
    'text/markdown': ['md', 'markdown'],
    'text/xml': ['xml'],
    'video/mp4': ['mp4', 'm4v'],
    'video/quicktime': ['mov'],
    'video/webm': ['webm'],
    'audio/mpeg': ['mp3'],
    'audio/wav': ['wav'],
  }),
);

const TYPES_BY_EXTENSION = new Map<string, string[]>();
for (const [type, exts] of EXTENSIONS) {
  for (const ext of exts) TYPES_BY_EXTENSION.set(ext, [...(TYPES_BY_EXTENSION.get(ext) ?? []), type]);
}

/**
 * False when the extension and the type contradict each other: a known type needs one of its
 * extensions, and a known extension needs one of its types. Unknown pairs, and names with no
 * extension (README, passwd), are not judged: there is nothing to contradict.
 */
export function typeAgreesWithExtension(essence: string, extension: string): boolean {
  if (extension === '') return true;
  const extensionsOfType = EXTENSIONS.get(essence);
  if (extensionsOfType && !extensionsOfType.includes(extension)) return false;
  const typesOfExtension = TYPES_BY_EXTENSION.get(extension);
  if (typesOfExtension && !typesOfExtension.includes(essence)) return false;
  return true;
}
