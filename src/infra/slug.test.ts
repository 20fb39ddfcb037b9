import { describe, expect, it } from 'vitest';
import { slugify, uniqueSlug } from './slug.ts';

describe('slugify', () => {
  it('writes umlauts out and joins words with dashes', () => {
    expect(slugify('Grünflächenamt Süd')).toBe('gruenflaechenamt-sued');
    expect(slugify('Straßen- & Brückenbau')).toBe('strassen-brueckenbau');
    expect(slugify('  Öffentliche Ordnung (ÖO) ')).toBe('oeffentliche-ordnung-oeo');
    expect(slugify('Café Müller')).toBe('cafe-mueller');
  });

  it('never returns an empty slug and keeps it short', () => {
    expect(slugify('!!!')).toBe('team');
    expect(slugify('a'.repeat(100))).toHaveLength(60);
    expect(slugify(`${'a'.repeat(59)} b`)).toBe('a'.repeat(59));
  });
});

describe('uniqueSlug', () => {
  it('appends a number when the slug is taken', () => {
    expect(uniqueSlug('tiefbauamt', new Set())).toBe('tiefbauamt');
    expect(uniqueSlug('tiefbauamt', new Set(['tiefbauamt']))).toBe('tiefbauamt-2');
    expect(uniqueSlug('tiefbauamt', new Set(['tiefbauamt', 'tiefbauamt-2']))).toBe('tiefbauamt-3');
  });
});
