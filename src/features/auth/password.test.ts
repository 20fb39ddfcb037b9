import { describe, expect, it } from 'vitest';
import { dummyVerify, generatePassword, hashPassword, PASSWORD_MIN, passwordProblem, verifyPassword } from './password.ts';

describe('passwordProblem', () => {
  it('accepts a long, varied password', () => {
    expect(passwordProblem('Laterne am Marktplatz 7')).toBeNull();
  });

  it(`wants at least ${PASSWORD_MIN} characters`, () => {
    expect(passwordProblem('kurz-kurz12')).toContain('mindestens 12 Zeichen');
    expect(passwordProblem('genau-12-zei')).toBeNull();
  });

  it('caps the length', () => {
    expect(passwordProblem('abcd'.repeat(65))).toContain('höchstens 256 Zeichen');
  });

  it('rejects monotonous passwords and surrounding spaces', () => {
    expect(passwordProblem('aaaaaaaaaaaaaaaa')).toContain('eintönig');
    expect(passwordProblem('abcabcabcabcabca')).toContain('eintönig');
    expect(passwordProblem(' ein-gutes-passwort')).toContain('Leerzeichen');
  });

  it('rejects the e-mail address as password', () => {
    expect(passwordProblem('Erika.Muster@musterstadt.de', { email: 'erika.muster@musterstadt.de' })).toContain('E-Mail');
    expect(passwordProblem('erika.mustermann', { email: 'erika.mustermann@musterstadt.de' })).toContain('E-Mail');
  });
});

describe('generatePassword', () => {
  it('makes different passwords that pass the rules and avoid look-alike characters', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const pw = generatePassword();
      expect(pw).toMatch(/^[a-zA-Z0-9]{4}(-[a-zA-Z0-9]{4}){4}$/);
      expect(pw).not.toMatch(/[0OIl15]/);
      expect(passwordProblem(pw)).toBeNull();
      seen.add(pw);
    }
    expect(seen.size).toBe(50);
  });
});

describe('hashing', () => {
  it('uses argon2id and verifies only the right password', async () => {
    const stored = await hashPassword('Laterne am Marktplatz 7');
    expect(stored.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(stored, 'Laterne am Marktplatz 7')).toBe(true);
    expect(await verifyPassword(stored, 'Laterne am Marktplatz 8')).toBe(false);
  });

  it('treats a malformed stored hash as a failed sign-in', async () => {
    expect(await verifyPassword('not-a-hash', 'whatever')).toBe(false);
    await expect(dummyVerify('whatever')).resolves.toBeUndefined();
  });
});
