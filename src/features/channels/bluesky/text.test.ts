import { describe, expect, it } from 'vitest';
import { graphemeLength, isOnlyThanks, MAX_GRAPHEMES, splitForPosts } from './text.ts';

describe('Bluesky text length', () => {
  it('counts graphemes: a family emoji and a decomposed umlaut are one each', () => {
    expect(graphemeLength('👨‍👩‍👧‍👦')).toBe(1);
    expect('👨‍👩‍👧‍👦'.length).toBe(11);
    expect(graphemeLength('Mu\u0308ll')).toBe(4);
    expect(graphemeLength('Müll 🇩🇪')).toBe(6);
  });

  it('keeps a text of exactly 300 graphemes with emoji in one post, though it has more UTF-16 units', () => {
    const text = `${'ä'.repeat(290)} ${'😀'.repeat(9)}`;
    expect(text.length).toBeGreaterThan(300);
    expect(splitForPosts(text)).toEqual([text]);
  });

  it('splits a longer answer into a thread between words, never inside a word or link', () => {
    const link = 'https://musterstadt.de/verfolgen/abc-def-ghi';
    const text = `${'Straßenlaterne 🔦 repariert. '.repeat(14)}Mehr unter ${link} – danke für Ihren Hinweis über Ölflecken!`;
    const parts = splitForPosts(text);
    expect(parts.length).toBe(2);
    for (const p of parts) expect(graphemeLength(p)).toBeLessThanOrEqual(MAX_GRAPHEMES);
    expect(parts[0]).toMatch(/ \(1\/2\)$/);
    expect(parts.some((p) => p.includes(link))).toBe(true);
    const words = (s: string) => s.replace(/ \(\d\/\d\)$/, '').split(/\s+/);
    expect(parts.flatMap(words)).toEqual(text.split(/\s+/));
  });

  it('tells a plain thank-you from a report', () => {
    expect(isOnlyThanks('@musterstadt.bsky.social Vielen Dank! 🙏')).toBe(true);
    expect(isOnlyThanks('👍👍')).toBe(true);
    expect(isOnlyThanks('Danke, aber die Laterne ist immer noch aus')).toBe(false);
  });
});
