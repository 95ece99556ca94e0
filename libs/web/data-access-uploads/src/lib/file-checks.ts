import type { UploadsConfig } from '@dropgate/shared/api-contract';
import { isTypeAllowed } from '@dropgate/shared/util-content-types';
import { formatBytes } from './format';

/** Types browsers leave empty for some files, guessed from the extension. */
const TYPES_BY_EXTENSION = new Map([
  ['csv', 'text/csv'],
  ['md', 'text/markdown'],
  ['json', 'application/json'],
  ['zip', 'application/zip'],
  ['heic', 'image/heic'],
]);

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/** The MIME type to declare for a file: the browser's, or a guess from the extension. */
export function contentTypeOf(file: Pick<File, 'name' | 'type'>): string {
  return file.type || TYPES_BY_EXTENSION.get(extensionOf(file.name)) || 'application/octet-stream';
}

/**
 * Why the API would refuse this file, checked before anything is sent, or undefined when it
 * passes. The API checks again; this only saves a round trip and explains early.
 */
export function rejectionReason(
  file: Pick<File, 'name' | 'type' | 'size'>,
  config: UploadsConfig,
): string | undefined {
  if (file.size === 0) return 'empty file: nothing to upload';
  if (file.size > config.maxFileSize) {
    return `too large: ${formatBytes(file.size)}, limit ${formatBytes(config.maxFileSize)}`;
  }
  const type = contentTypeOf(file);
  if (!isTypeAllowed(type, config.allowedTypes)) {
    const extension = extensionOf(file.name);
    return `type not allowed: ${extension ? `.${extension}` : type}`;
  }
  return undefined;
}
