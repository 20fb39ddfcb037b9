import { describe, expect, it } from 'vitest';
import { caseNumberQuery, excerptAround, hasTrigrams, markHits, searchWords } from './search-words.ts';

describe('search words', () => {
  it('splits on spaces, drops sentence punctuation and repeats, keeps % _ and hyphens', () => {
    expect(searchWords('  Laterne, die  laterne! „Schule“ ')).toEqual(['Laterne', 'die', 'Schule']);
    expect(searchWords('100% QX_77 Straßen-Laterne')).toEqual(['100%', 'QX_77', 'Straßen-Laterne']);
    expect(searchWords(undefined)).toEqual([]);
    expect(searchWords('a b c d e f g h i j')).toHaveLength(8);
  });

  it('knows which words the trigram index can look up', () => {
    expect(hasTrigrams('Lat')).toBe(true);
    expect(hasTrigrams('B7')).toBe(false);
    expect(hasTrigrams('a%b')).toBe(false);
  });

  it('reads a case number whole or as its running number', () => {
    expect(caseNumberQuery('2026-00045')).toEqual({ exact: '2026-00045' });
    expect(caseNumberQuery(' 00045 ')).toEqual({ running: '00045' });
    expect(caseNumberQuery('45')).toBeNull();
    expect(caseNumberQuery('Hauptstraße 12')).toBeNull();
  });
});

describe('marking hits', () => {
  it('marks every case-insensitive occurrence, the longest word first', () => {
    expect(markHits('Straßenlaterne und Laterne', ['laterne', 'straßenlaterne'])).toEqual([
      { text: 'Straßenlaterne', hit: true },
      { text: ' und ', hit: false },
      { text: 'Laterne', hit: true },
    ]);
  });

  it('takes regular-expression characters in the words literally', () => {
    expect(markHits('zu 100% (ganz) kaputt, 2026-00045', ['100%', '(ganz)', '2026-00045']).filter((p) => p.hit)).toEqual([
      { text: '100%', hit: true },
      { text: '(ganz)', hit: true },
      { text: '2026-00045', hit: true },
    ]);
    expect(markHits('a.c abc', ['a.c'])).toEqual([
      { text: 'a.c', hit: true },
      { text: ' abc', hit: false },
    ]);
  });

  it('shows the part around a late first hit', () => {
    const text = `${'Vorrede '.repeat(20)}Die Laterne ist dunkel.`;
    const excerpt = excerptAround(text, ['Laterne'], 90);
    expect(excerpt.startsWith('…')).toBe(true);
    expect(excerpt).toContain('Laterne ist dunkel.');
    expect(excerptAround('Kurz.', [], 90)).toBe('Kurz.');
    expect(excerptAround('x'.repeat(100), [], 90)).toBe(`${'x'.repeat(90)}…`);
  });
});
