import { describe, expect, it } from 'vitest';
import { limitOf } from './limits.ts';
import { shorten, textLength } from './shorten.ts';

describe('textLength', () => {
  it('counts graphemes for Bluesky and code points otherwise', () => {
    const family = '👨‍👩‍👧';
    expect(textLength(family, true)).toBe(1);
    expect(textLength(family, false)).toBe(5);
    expect(textLength('Straße', true)).toBe(6);
    expect(textLength('é', true)).toBe(1);
  });
});

describe('shorten', () => {
  it('returns a text that fits unchanged', () => {
    expect(shorten('Kurz und gut.', 20)).toBe('Kurz und gut.');
  });

  it('cuts only between words and ends with an ellipsis within the limit', () => {
    const out = shorten('Die Brücke am Markt wird ab Montag saniert', 25);
    expect(out).toBe('Die Brücke am Markt wird…');
    expect(textLength(out, false)).toBeLessThanOrEqual(25);
  });

  it('never cuts inside a link or a hashtag', () => {
    const text = 'Alles zur Sperrung: https://musterstadt.example/amtsblatt/sperrung-marktplatz #Baustelle #Musterstadt';
    for (let limit = 5; limit < textLength(text, false); limit++) {
      const out = shorten(text, limit);
      expect(textLength(out, false)).toBeLessThanOrEqual(limit);
      const words = out.replace(/…$/, '').split(/\s+/).filter(Boolean);
      for (const w of words) expect(text.split(/\s+/)).toContain(w);
    }
  });

  it('keeps the suffix (the post link) whole', () => {
    const out = shorten('Eins zwei drei vier fünf sechs sieben', 40, { suffix: 'https://m.example/a/1' });
    expect(out.endsWith('\n\nhttps://m.example/a/1')).toBe(true);
    expect(textLength(out, false)).toBeLessThanOrEqual(40);
    expect(out).toMatch(/^Eins zwei drei…/);
  });

  it('counts graphemes where the target does', () => {
    const text = `${'🎉 '.repeat(10)}Ende`;
    const out = shorten(text, 8, { countsGraphemes: true });
    expect(textLength(out, true)).toBeLessThanOrEqual(8);
    expect(out).toBe('🎉 🎉 🎉 🎉…');
  });

  it('gives an empty text when not even the first word fits', () => {
    expect(shorten('Donaudampfschifffahrtsgesellschaft', 10)).toBe('');
  });
});

describe('limitOf', () => {
  it('uses the documented defaults and the publisher capabilities', () => {
    expect(limitOf('mastodon')).toEqual({ max: 500, countsGraphemes: false });
    expect(limitOf('mastodon', { maxLength: 1000, countsGraphemes: false }).max).toBe(1000);
    expect(limitOf('bluesky')).toEqual({ max: 300, countsGraphemes: true });
    expect(limitOf('telegram').max).toBe(4096);
    expect(limitOf('website', { maxLength: 10, countsGraphemes: false }).max).toBeNull();
    expect(limitOf('newsletter').max).toBeNull();
  });
});
