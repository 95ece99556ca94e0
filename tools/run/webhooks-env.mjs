// What `npm start` gives the API for webhooks when the user has not: a key of its own to seal
// endpoint secrets, kept in a git-ignored folder so that endpoints registered in development
// still work after a restart, and loopback as an allowed network for local receivers.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = '.local-webhooks';

/** WEBHOOK_SECRETS_KEY and WEBHOOK_ALLOWED_CIDRS for development, each unless already set. */
export function webhooksEnvironment(root, say) {
  const env = {};
  if (!process.env.WEBHOOK_SECRETS_KEY) {
    const file = join(root, DIR, 'secrets.key');
    if (!existsSync(file)) {
      mkdirSync(join(root, DIR), { recursive: true, mode: 0o700 });
      writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
      say(`webhooks: made a local WEBHOOK_SECRETS_KEY in ${DIR}/ (development only)`);
    }
    env.WEBHOOK_SECRETS_KEY = readFileSync(file, 'utf8').trim();
  }
  if (process.env.WEBHOOK_ALLOWED_CIDRS === undefined) {
    env.WEBHOOK_ALLOWED_CIDRS = '127.0.0.0/8,::1/128';
    say('webhooks: receivers on loopback allowed (development only; set WEBHOOK_ALLOWED_CIDRS to change)');
  }
  return env;
}
