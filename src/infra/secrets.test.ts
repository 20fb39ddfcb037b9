import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';
import { createSecretBox, generateSecretKey, localSecretKey, parseSecretKey, SecretKeyMismatchError } from './secrets.ts';

const key = () => parseSecretKey(generateSecretKey());

describe('secret box', () => {
  it('seals with a fresh IV each time and opens again', () => {
    const box = createSecretBox(key());
    const a = box.seal('geheim-ä€');
    const b = box.seal('geheim-ä€');
    expect(a).not.toBe(b);
    expect(a).not.toContain('geheim');
    expect(a.startsWith(`v1.${box.keyId}.`)).toBe(true);
    expect(box.open(a)).toBe('geheim-ä€');
  });

  it('names a wrong key instead of returning garbage', () => {
    const sealed = createSecretBox(key()).seal('x');
    expect(() => createSecretBox(key()).open(sealed)).toThrow(SecretKeyMismatchError);
  });

  it('refuses a tampered value', () => {
    const box = createSecretBox(key());
    const parts = box.seal('Passwort').split('.');
    parts[4] = Buffer.from('Passwurt').toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow();
  });

  it('switches to a new key after a rotation', () => {
    const box = createSecretBox(key());
    const next = key();
    box.replaceKey(next);
    expect(createSecretBox(next).open(box.seal('neu'))).toBe('neu');
  });

  it('keeps a generated key in the data folder, readable only by the owner', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secret-key-'));
    try {
      const first = localSecretKey(dir);
      expect(localSecretKey(dir).equals(first)).toBe(true);
      expect(statSync(join(dir, 'secret-key')).mode & 0o077).toBe(0);
      expect(parseSecretKey(readFileSync(join(dir, 'secret-key'), 'utf8')).equals(first)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SECRET_KEY setting', () => {
  const production = { NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40) };

  it('accepts 32 bytes as base64 or hex', () => {
    expect(loadConfig({ SECRET_KEY: generateSecretKey() }).secretKey).toHaveLength(32);
    expect(loadConfig({ SECRET_KEY: 'ab'.repeat(32) }).secretKey).toHaveLength(32);
  });

  it('refuses other lengths with a German message', () => {
    expect(() => loadConfig({ SECRET_KEY: 'zu-kurz' })).toThrow(/SECRET_KEY: muss 32 Byte lang sein/);
    expect(() => loadConfig({ SECRET_KEY: 'ab'.repeat(31) })).toThrow(ConfigError);
  });

  it('is required in production', () => {
    expect(() => loadConfig(production)).toThrow(/SECRET_KEY: muss im Betrieb \(NODE_ENV=production\) gesetzt sein/);
    expect(loadConfig({ ...production, SECRET_KEY: generateSecretKey() }).env).toBe('production');
  });
});
