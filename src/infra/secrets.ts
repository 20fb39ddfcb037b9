import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { secretKeySchema } from '../config.ts';

/**
 * Secrets at rest (passwords and tokens of channel accounts): AES-256-GCM with a random 12-byte IV.
 * Sealed text: "v1.<key id>.<iv>.<tag>.<ciphertext>" (base64url). The key id, a short hash of the
 * key, says which key sealed a value, so a wrong SECRET_KEY is named as such instead of failing
 * as "bad data", and a rotation can tell old values from new ones.
 */
export interface SecretBox {
  readonly keyId: string;
  seal(plaintext: string): string;
  open(sealed: string): string;
  /** After a rotation has re-sealed every stored value: the running process seals and opens with the new key. */
  replaceKey(key: Buffer): void;
}

export class SecretKeyMismatchError extends Error {
  constructor(
    public readonly sealedWith: string,
    public readonly current: string,
  ) {
    super(
      `Gespeicherte Zugangsdaten sind mit einem anderen Schlüssel verschlüsselt (Schlüssel ${sealedWith}, eingestellt ist ${current}). Bitte SECRET_KEY prüfen.`,
    );
  }
}

const VERSION = 'v1';

export const keyIdOf = (key: Buffer): string => createHash('sha256').update(key).digest('hex').slice(0, 8);

export function createSecretBox(initialKey: Buffer): SecretBox {
  let key = checked(initialKey);
  let keyId = keyIdOf(key);
  return {
    get keyId() {
      return keyId;
    },
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      // The key id is authenticated too: a value cannot be moved under another key's label.
      cipher.setAAD(Buffer.from(`${VERSION}.${keyId}`));
      const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [VERSION, keyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
    },
    open(sealed) {
      const [version, sealedWith, iv, tag, data, ...rest] = sealed.split('.');
      if (version !== VERSION || !sealedWith || !iv || !tag || data === undefined || rest.length) {
        throw new Error('not a sealed secret');
      }
      if (sealedWith !== keyId) throw new SecretKeyMismatchError(sealedWith, keyId);
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(`${VERSION}.${keyId}`));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
    },
    replaceKey(next) {
      key = checked(next);
      keyId = keyIdOf(key);
    },
  };
}

function checked(key: Buffer): Buffer {
  if (key.length !== 32) throw new Error('AES-256 needs a 32-byte key');
  return Buffer.from(key);
}

/** The key id a sealed value names, without opening it. */
export const sealedKeyId = (sealed: string): string | undefined => sealed.split('.')[1];

export const generateSecretKey = (): string => randomBytes(32).toString('base64');

/** Reads a key as SECRET_KEY is written (base64 or hex); German message when it is not one. */
export function parseSecretKey(text: string): Buffer {
  const parsed = secretKeySchema.safeParse(text);
  if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? 'ungültiger Schlüssel');
  return parsed.data;
}

export const SECRET_KEY_FILE = 'secret-key';

/**
 * Without SECRET_KEY (development, tests, the demo) a random key is kept in the data folder, as
 * the session secret is. Production refuses to start without SECRET_KEY (config.ts).
 */
export function localSecretKey(dataDir: string): Buffer {
  const file = join(dataDir, SECRET_KEY_FILE);
  if (existsSync(file)) return parseSecretKey(readFileSync(file, 'utf8'));
  mkdirSync(dataDir, { recursive: true });
  const key = generateSecretKey();
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return parseSecretKey(key);
}

/** After a rotation with the key in the data folder, the new key replaces it there. */
export function replaceLocalSecretKey(dataDir: string, key: Buffer): void {
  writeFileSync(join(dataDir, SECRET_KEY_FILE), `${key.toString('base64')}\n`, { mode: 0o600 });
}
