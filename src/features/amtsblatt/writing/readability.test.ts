import { describe, expect, it } from 'vitest';
import { fleschVerdict, readabilityOf, scoresOf } from './readability.ts';
import { splitSentences } from './sentences.ts';
import { syllablesOf } from './syllables.ts';

describe('syllables from the German hyphenation patterns', () => {
  it('counts syllables of words, also where the patterns leave a single letter at the edge', () => {
    const counted: Record<string, number> = {
      Hund: 1,
      schläft: 1,
      Katze: 2, // Kat-ze
      Abend: 2, // A-bend: the patterns never cut one letter off, the vowel groups find it
      aber: 2,
      Feuerwehr: 3, // Feu-er-wehr: "eue" would be one vowel group without the patterns
      Bauer: 2, // Bau-er
      Beamte: 3, // Be-am-te
      Gemeinderat: 4, // Ge-mein-de-rat
      Bürgermeisterin: 5, // Bür-ger-meis-te-rin
      Straßenbeleuchtung: 5, // Stra-ßen-be-leuch-tung
    };
    for (const [word, n] of Object.entries(counted)) expect([word, syllablesOf(word)]).toEqual([word, n]);
  });
});

describe('sentences', () => {
  it('does not end a sentence at "Abs.", "z. B.", "Nr.", "ggf.", "bzw.", "Dr." or "1. Dezember"', () => {
    const s = splitSentences(
      'Nach § 3 Abs. 2 der Satzung gilt z. B. Nr. 5 ggf. auch bzw. nicht. Am 1. Dezember ist Markt. Das war 2026. Danach kommt Dr. Meier! Fertig?',
    );
    expect(s.map((x) => x.text)).toEqual([
      'Nach § 3 Abs. 2 der Satzung gilt z. B. Nr. 5 ggf. auch bzw. nicht.',
      'Am 1. Dezember ist Markt.',
      'Das war 2026.',
      'Danach kommt Dr. Meier!',
      'Fertig?',
    ]);
  });

  it('counts neither numbers nor links as words', () => {
    const [s] = splitSentences('Ab 19 Uhr steht alles auf www.musterstadt.de bereit.');
    expect(s?.words).toEqual(['Ab', 'Uhr', 'steht', 'alles', 'auf', 'bereit']);
  });
});

describe('readability (hand-counted)', () => {
  it('scores a very easy text', () => {
    // Der(1) Hund(1) bellt(1). | Die(1) Katze(2) schläft(1) im(1) Garten(2).
    // 2 sentences, 8 words, 10 syllables; one syllable: 6; three or more: 0; more than six letters: schläft (7) = 1.
    // ASL = 8/2 = 4, ASW = 10/8 = 1.25
    // Amstad: 180 − 4 − 58.5 · 1.25 = 102.875
    // 1. WSTF: 0.1935·0 + 0.1672·4 + 0.1297·12.5 − 0.0327·75 − 0.875 = −1.0375
    // LIX: 4 + 100 · 1/8 = 16.5
    const r = readabilityOf('Der Hund bellt. Die Katze schläft im Garten.');
    expect(r.counts).toEqual({ sentences: 2, words: 8, syllables: 10, polysyllables: 0, monosyllables: 6, longWords: 1 });
    expect(r.fleschAmstad).toBeCloseTo(102.9, 5);
    expect(r.wstf1).toBeCloseTo(-1.0, 5);
    expect(r.lix).toBeCloseTo(16.5, 5);
  });

  it('scores a text of the town hall', () => {
    // Die(1) Bürgermeisterin(5) lädt(1) alle(2) Einwohnerinnen(5) und(1) Einwohner(3) zur(1) Sitzung(2)
    // des(1) Gemeinderats(4) ein(1). | Sie(1) beginnt(2) um(1) [19: a number, no word] Uhr(1) im(1) Rathaus(2).
    // 2 sentences, 12 + 6 = 18 words, 27 + 8 = 35 syllables.
    // Three or more: Bürgermeisterin, Einwohnerinnen, Einwohner, Gemeinderats = 4.
    // One syllable: Die, lädt, und, zur, des, ein, Sie, um, Uhr, im = 10.
    // More than six letters: Bürgermeisterin, Einwohnerinnen, Einwohner, Sitzung, Gemeinderats, beginnt, Rathaus = 7.
    // ASL = 9, ASW = 35/18; Amstad: 180 − 9 − 58.5 · 35/18 = 57.25
    // 1. WSTF: 0.1935 · 22.22 + 0.1672 · 9 + 0.1297 · 38.89 − 0.0327 · 55.56 − 0.875 = 8.157
    // LIX: 9 + 38.89 = 47.89
    const r = readabilityOf(
      'Die Bürgermeisterin lädt alle Einwohnerinnen und Einwohner zur Sitzung des Gemeinderats ein. Sie beginnt um 19 Uhr im Rathaus.',
    );
    expect(r.counts).toEqual({ sentences: 2, words: 18, syllables: 35, polysyllables: 4, monosyllables: 10, longWords: 7 });
    expect(r.fleschAmstad).toBeCloseTo(57.25, 1);
    expect(r.wstf1).toBeCloseTo(8.2, 5);
    expect(r.lix).toBeCloseTo(47.9, 5);
    expect(fleschVerdict(r.fleschAmstad)).toBe('eher schwer');
  });

  it('gives zeros for an empty text instead of dividing by zero', () => {
    expect(scoresOf({ sentences: 0, words: 0, syllables: 0, polysyllables: 0, monosyllables: 0, longWords: 0 })).toEqual({
      fleschAmstad: 0,
      wstf1: 0,
      lix: 0,
    });
    expect(readabilityOf('  19 20 ').counts.words).toBe(0);
  });
});
