import { describe, expect, it } from 'vitest';
import { noticeHash, noticeHashInput } from './notice-hash.ts';

const AT = new Date('2026-03-02T09:30:00.000Z');

describe('noticeHash', () => {
  it('is SHA-256 hex of the UTF-8 of title, body and the UTC ISO time, joined by blank lines', () => {
    // Reference values from the shell: printf 'T\n\nB\n\n2026-03-02T09:30:00.000Z' | sha256sum
    expect(noticeHash({ title: 'T', body: 'B', publishedAt: AT })).toBe('c3ac8f02e2cd7d9686bd1703dab33d10f54da412cc3c67c4fecc40134f1f0a33');
    expect(noticeHash({ title: 'Straße', body: 'B', publishedAt: AT })).toBe(
      '51212e24a17e87fd3b5a5e65ab609d584fabcbaf9e5ee67479b8c672b37d5e95',
    );
    expect(noticeHashInput({ title: 'T', body: 'B', publishedAt: AT })).toBe('T\n\nB\n\n2026-03-02T09:30:00.000Z');
  });

  it('changes with every part', () => {
    const base = noticeHash({ title: 'T', body: 'B', publishedAt: AT });
    expect(noticeHash({ title: 'T ', body: 'B', publishedAt: AT })).not.toBe(base);
    expect(noticeHash({ title: 'T', body: 'B.', publishedAt: AT })).not.toBe(base);
    expect(noticeHash({ title: 'T', body: 'B', publishedAt: new Date(AT.getTime() + 1) })).not.toBe(base);
  });
});
