// Where Debian's PostgreSQL keeps its server programs: /usr/lib/postgresql/<major>/bin, off PATH.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LocalServiceError } from '../local-service/errors.mjs';
import { MissingPackagesError, ensurePackages } from '../system-packages.mjs';

const ROOT = '/usr/lib/postgresql';
export const MIN_MAJOR = 15;

/** The newest installed server's bin folder (15 or later), or undefined. */
export function postgresBinDir() {
  if (!existsSync(ROOT)) return undefined;
  const majors = readdirSync(ROOT)
    .map(Number)
    .filter((major) => major >= MIN_MAJOR && existsSync(join(ROOT, String(major), 'bin', 'initdb')))
    .sort((a, b) => b - a);
  return majors.length ? join(ROOT, String(majors[0]), 'bin') : undefined;
}

/** The Debian package, for ensurePackages. */
export const POSTGRES = [{ bin: 'initdb', pkg: 'postgresql', present: () => postgresBinDir() !== undefined }];

/** The bin folder, installing the package first when running as root. */
export function requirePostgres(say) {
  try {
    ensurePackages(POSTGRES, say);
  } catch (error) {
    if (error instanceof MissingPackagesError) throw new LocalServiceError(error.message);
    throw error;
  }
  const dir = postgresBinDir();
  if (!dir) throw new LocalServiceError(`no PostgreSQL ${MIN_MAJOR} or later under ${ROOT}`);
  return dir;
}
