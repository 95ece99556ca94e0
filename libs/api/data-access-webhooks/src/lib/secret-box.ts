import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ConfigError } from '@dropgate/api/util-config';

const KEY_VARIABLE = 'WEBHOOK_SECRETS_KEY';
const HOW_TO_MAKE_ONE = 'make one with `openssl rand -base64 32`';
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Why a sealed value could not be opened. */
export type SecretBoxFault = 'malformed' | 'unsupported_version' | 'unreadable';

/** A sealed secret that cannot be opened: damaged, from a newer format, or sealed with another key. */
export class SecretBoxError extends Error {
  constructor(
    readonly code: SecretBoxFault,
    message: string,
  ) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

/**
 * Reads WEBHOOK_SECRETS_KEY: exactly 32 bytes in base64 (or base64url) or hex. Throws a
 * ConfigError that says how to make one, and never repeats the value.
 */
export function parseSecretsKey(value: string | undefined): Buffer {
  const text = value?.trim() ?? '';
  if (text === '')
    throw new ConfigError(
      KEY_VARIABLE,
      `is required: it encrypts the webhook signing secrets stored in the database; ${HOW_TO_MAKE_ONE} and keep it, since stored secrets cannot be read without it`,
    );
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/]{43}=?$/.test(text) || /^[A-Za-z0-9_-]{43}$/.test(text)) {
    const key = Buffer.from(text, text.includes('-') || text.includes('_') ? 'base64url' : 'base64');
    if (key.byteLength === 32) return key;
  }
  throw new ConfigError(
    KEY_VARIABLE,
    `must be exactly 32 bytes written as base64 (44 characters) or hex (64 characters), not ${text.length} characters; ${HOW_TO_MAKE_ONE}`,
  );
}

/** Encrypts endpoint secrets for the database with AES-256-GCM, so a leaked dump cannot sign. */
export class SecretBox {
  private readonly key: Buffer;

  constructor(key: Uint8Array) {
    if (key.byteLength !== 32) throw new RangeError('SecretBox needs a 32-byte key');
    this.key = Buffer.from(key);
  }

  /** `v1.<iv>.<tag>.<ciphertext>`, each part base64url, with a fresh random IV. */
  seal(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, ...[iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'))].join(
      '.',
    );
  }

  /** The plaintext of a sealed value; throws SecretBoxError if it was altered or sealed with another key. */
  open(sealed: string): string {
    const parts = sealed.split('.');
    if (parts[0] !== VERSION && parts.length === 4)
      throw new SecretBoxError(
        'unsupported_version',
        `Sealed secrets of version "${parts[0]}" are not supported`,
      );
    const [iv, tag, ciphertext] = parts.slice(1).map(fromBase64Url);
    if (
      parts.length !== 4 ||
      !iv ||
      !tag ||
      !ciphertext ||
      iv.length !== IV_BYTES ||
      tag.length !== TAG_BYTES
    )
      throw new SecretBoxError(
        'malformed',
        'This is not a sealed secret (expected v1.<iv>.<tag>.<ciphertext>)',
      );
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError(
        'unreadable',
        `The sealed secret was altered or sealed with another ${KEY_VARIABLE}`,
      );
    }
  }
}

function fromBase64Url(part: string): Buffer | undefined {
  return /^[A-Za-z0-9_-]*$/.test(part) ? Buffer.from(part, 'base64url') : undefined;
}
