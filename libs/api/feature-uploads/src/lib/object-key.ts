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
