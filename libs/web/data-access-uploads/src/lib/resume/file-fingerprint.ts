const MiB = 1024 * 1024;

/**
 * Who a file is, across reloads: its name, size, last modification, and a SHA-256 of its first
 * and last MiB, so a different file under the same name and size is not taken for it.
 */
export async function fileFingerprint(file: File): Promise<string> {
  const head = file.slice(0, MiB);
  const tail = file.slice(Math.max(MiB, file.size - MiB));
  const sample = await new Blob([head, tail]).arrayBuffer();
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', sample));
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${file.name}|${file.size}|${file.lastModified}|${hex}`;
}
