import { describe, expect, it } from 'vitest';
import { bindNonce, nonceBelongsTo } from './form-nonce.ts';

describe('form nonces bound to a browser', () => {
  const key = 'a-session-secret-of-sufficient-length';

  it('fit the form schema (22–64 URL-safe characters) and are different each time', () => {
    const a = bindNonce(key, 'browser-a');
    expect(a).toMatch(/^[A-Za-z0-9_-]{22,64}$/);
    expect(bindNonce(key, 'browser-a')).not.toBe(a);
  });

  it('belong to the browser they were issued to, and to no other', () => {
    const nonce = bindNonce(key, 'browser-a');
    expect(nonceBelongsTo(key, 'browser-a', nonce)).toBe(true);
    expect(nonceBelongsTo(key, 'browser-b', nonce)).toBe(false);
    expect(nonceBelongsTo('another-secret-another-secret', 'browser-a', nonce)).toBe(false);
  });

  it('reject a changed id, a changed MAC, a bare id and nonsense', () => {
    const nonce = bindNonce(key, 'browser-a', 'bench-abc123-0000000000000001');
    expect(nonce.startsWith('bench-abc123-0000000000000001')).toBe(true);
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    expect(nonceBelongsTo(key, 'browser-a', flip(nonce, 0))).toBe(false);
    expect(nonceBelongsTo(key, 'browser-a', flip(nonce, nonce.length - 1))).toBe(false);
    expect(nonceBelongsTo(key, 'browser-a', 'bench-abc123-0000000000000001')).toBe(false);
    expect(nonceBelongsTo(key, 'browser-a', '')).toBe(false);
    expect(nonceBelongsTo(key, 'browser-a', 'ä'.repeat(30))).toBe(false);
  });
});
