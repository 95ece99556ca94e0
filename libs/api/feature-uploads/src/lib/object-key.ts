/**
 * The object key for an upload: `<prefix><principal segment>/yyyy/mm/dd/<uuid>/<name>`, dated in
 * UTC. The UUID makes every key unique, so no upload can overwrite another, whatever its name.
 */
export function buildObjectKey(
  prefix: string,
  segment: string,
  now: Date,
  uuid: string,
  safeName: string,
): string {
  const yyyy = now.getUTCFullYear();
  const mm = String(now.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(now.getUTCDate()).padStart(2, '0');
  return `${prefix}${segment}/${yyyy}/${mm}/${dd}/${uuid}/${safeName}`;
}

/** Where clients write an upload's object: the final key's place under the staging prefix. */
export function stagingKeyFor(key: string, keyPrefix: string, stagingPrefix: string): string {
  return `${stagingPrefix}${key.slice(keyPrefix.length)}`;
}

/**
 * Where an upload's object is until it is promoted. Uploads recorded before staging existed were
 * written to their final key.
 */
export function stagedKey(upload: { key: string; staging_key: string | null }): string {
  return upload.staging_key ?? upload.key;
}
