import { randomBytes, randomInt } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

export const PASSWORD_MIN = 12;
// Argon2 hashes whatever it gets; a cap keeps a megabyte "password" from costing CPU on every try.
export const PASSWORD_MAX = 256;

/** The rules for a new password in German, or null when it is acceptable. Shared by web and CLI. */
export function passwordProblem(password: string, context: { email?: string } = {}): string | null {
  if (password.length < PASSWORD_MIN) return `Das Passwort muss mindestens ${PASSWORD_MIN} Zeichen lang sein.`;
  if (password.length > PASSWORD_MAX) return `Das Passwort darf höchstens ${PASSWORD_MAX} Zeichen lang sein.`;
  if (password.trim() !== password) return 'Das Passwort darf nicht mit Leerzeichen beginnen oder enden.';
  if (new Set(password).size < 4) return 'Das Passwort ist zu eintönig – bitte mehr verschiedene Zeichen verwenden.';
  const email = context.email?.trim().toLowerCase();
  if (email && (password.toLowerCase() === email || password.toLowerCase() === email.split('@')[0]))
    return 'Das Passwort darf nicht die E-Mail-Adresse sein.';
  return null;
}

// No 0/O, 1/l/I: a generated password is often read aloud or copied from a screen.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY34679';

/** A strong, readable password: 5 groups of 4 characters (about 112 bits). */
export function generatePassword(): string {
  const groups: string[] = [];
  for (let g = 0; g < 5; g++) {
    let group = '';
    for (let i = 0; i < 4; i++) group += ALPHABET[randomInt(ALPHABET.length)];
    groups.push(group);
  }
  return groups.join('-');
}

/** argon2id with the library defaults (the library's default algorithm is argon2id). */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    // A malformed stored hash is a failed sign-in, not a server error.
    return false;
  }
}

let dummyHash: Promise<string> | null = null;

/**
 * Verifies against a throwaway hash, so an unknown e-mail costs as much time as a known one and
 * response times do not reveal which addresses have an account.
 */
export async function dummyVerify(password: string): Promise<void> {
  dummyHash ??= hash(randomBytes(16).toString('hex'));
  await verifyPassword(await dummyHash, password);
}
