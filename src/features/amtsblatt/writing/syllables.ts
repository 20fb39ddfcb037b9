import de from 'hyphen/de/index.js';

const VOWEL_GROUP = /[aeiouyäöü]+/giu;

/**
 * Syllables of one German word: the pieces the German hyphenation patterns (TeX's, via `hyphen`)
 * cut it into. The patterns never cut off a single letter at either end ("Abend", "aber"), so
 * each piece counts its vowel groups too (ä, ei, au, eu, ie as one) and the larger count wins.
 */
export function syllablesOf(word: string): number {
  const pieces = de.hyphenateSync(word, { hyphenChar: '\u00ad', minWordLength: 2 }).split(/[\u00ad-]/);
  let n = 0;
  for (const piece of pieces) n += Math.max(piece.match(VOWEL_GROUP)?.length ?? 0, HAS_LETTER.test(piece) ? 1 : 0);
  return Math.max(1, n);
}

const HAS_LETTER = /\p{L}/u;

/** Letters of a word (the long-word measure of the Wiener Sachtextformel and LIX: more than six). */
export function lettersOf(word: string): number {
  return word.match(/\p{L}/gu)?.length ?? 0;
}
