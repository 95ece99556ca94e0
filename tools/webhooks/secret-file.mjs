// The secret of the endpoint a listener registered, kept in a git-ignored file. The API shows a
// secret only once, and a second rotation within the grace period (24 h) is refused, so a
// listener restarted without this file could not learn its secret again.
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** `<dir>/listen-<port>.json`: `{ api, url, endpointId, secret, savedAt }`, mode 600. */
export function secretFile(dir, port) {
  const file = join(dir, `listen-${port}.json`);
  return {
    /** Where it is, as a user would type it from the current folder. */
    path: relative(process.cwd(), file) || file,
    /** The saved record, or undefined when there is none or it is unreadable (then it is rotated). */
    load() {
      try {
        const saved = JSON.parse(readFileSync(file, 'utf8'));
        return typeof saved?.secret === 'string' && typeof saved?.endpointId === 'string' ? saved : undefined;
      } catch {
        return undefined;
      }
    },
    save(record) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      // Written aside and renamed, so that a listener stopped mid-write never leaves half a secret.
      const draft = `${file}.${process.pid}.tmp`;
      writeFileSync(draft, `${JSON.stringify({ ...record, savedAt: new Date().toISOString() }, null, 2)}\n`, {
        mode: 0o600,
      });
      chmodSync(draft, 0o600);
      renameSync(draft, file);
    },
    remove() {
      rmSync(file, { force: true });
    },
  };
}

/**
 * Whether a saved secret is the endpoint's current one. The API shows only a hint, which ends with
 * the secret's last four characters; comparing just those keeps working if the hint's prefix
 * changes, and a stale file still shows (its hint differs) after someone else rotated the secret.
 */
export function isCurrentSecret(saved, endpoint) {
  return (
    saved !== undefined &&
    saved.endpointId === endpoint.id &&
    typeof endpoint.secretHint === 'string' &&
    endpoint.secretHint.endsWith(saved.secret.slice(-4))
  );
}
