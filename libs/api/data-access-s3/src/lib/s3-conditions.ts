/** An ETag as S3 headers carry it: in double quotes. */
export const quoted = (etag: string): string => `"${etag.replace(/^"|"$/g, '')}"`;

/** An ETag without its quotes, as the rest of the API keeps it. */
export const unquoted = (etag: string): string => etag.replace(/^"|"$/g, '');

/**
 * Whether S3 refused an If-Match (or CopySourceIfMatch) because the object's ETag differs. A
 * HEAD's 412 has no body to name it, so the status decides as much as the name.
 */
export function isPreconditionFailed(error: unknown): boolean {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === 'PreconditionFailed' || $metadata?.httpStatusCode === 412;
}

/** Whether S3 found no such object: `NotFound` for a HEAD (no body), `NoSuchKey` otherwise. */
export function isNoSuchObject(error: unknown): boolean {
  const { name } = error as { name?: string };
  return name === 'NotFound' || name === 'NoSuchKey';
}

/** `x-amz-copy-source` for a key of the bucket: URL-encoded, its slashes kept. */
export const copySource = (bucket: string, key: string): string =>
  `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
