import { type Sentence, splitSentences } from './sentences.ts';
import { lettersOf, syllablesOf } from './syllables.ts';

/** The counts every formula is built from, kept so a test (and the editor) can show them. */
export interface TextCounts {
  sentences: number;
  words: number;
  syllables: number;
  /** Words of three syllables or more (WSTF "MS"). */
  polysyllables: number;
  /** Words of one syllable (WSTF "ES"). */
  monosyllables: number;
  /** Words of more than six letters (WSTF "IW", LIX). */
  longWords: number;
}

export interface Readability {
  counts: TextCounts;
  /** Flesch reading ease after Amstad (1978): 180 − ASL − 58.5 · ASW; 0 hard … 100 easy. */
  fleschAmstad: number;
  /** First Wiener Sachtextformel (Bamberger/Vanecek 1984): school year 4 easy … 15 hard. */
  wstf1: number;
  /** Läsbarhetsindex (Björnsson): below 40 easy, above 60 hard. */
  lix: number;
}

export function countText(sentences: readonly Sentence[]): TextCounts {
  const counts: TextCounts = { sentences: sentences.length, words: 0, syllables: 0, polysyllables: 0, monosyllables: 0, longWords: 0 };
  for (const s of sentences) {
    for (const w of s.words) {
      const syl = syllablesOf(w);
      counts.words++;
      counts.syllables += syl;
      if (syl >= 3) counts.polysyllables++;
      if (syl === 1) counts.monosyllables++;
      if (lettersOf(w) > 6) counts.longWords++;
    }
  }
  return counts;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** The three scores from counts (pure arithmetic, so hand-counted examples can check them). */
export function scoresOf(c: TextCounts): Omit<Readability, 'counts'> {
  if (c.words === 0 || c.sentences === 0) return { fleschAmstad: 0, wstf1: 0, lix: 0 };
  const asl = c.words / c.sentences;
  const asw = c.syllables / c.words;
  const pct = (n: number) => (100 * n) / c.words;
  return {
    fleschAmstad: round1(180 - asl - 58.5 * asw),
    wstf1: round1(0.1935 * pct(c.polysyllables) + 0.1672 * asl + 0.1297 * pct(c.longWords) - 0.0327 * pct(c.monosyllables) - 0.875),
    lix: round1(asl + pct(c.longWords)),
  };
}

export function readabilityOf(text: string): Readability {
  const counts = countText(splitSentences(text));
  return { counts, ...scoresOf(counts) };
}

/** A plain German verdict on the Amstad score, for the editor. */
export function fleschVerdict(score: number): string {
  if (score >= 80) return 'leicht verständlich';
  if (score >= 60) return 'gut verständlich';
  if (score >= 40) return 'eher schwer';
  return 'schwer verständlich';
}
