import { splitSentences } from './sentences.ts';
import { lettersOf } from './syllables.ts';

export type HintKind = 'long-sentence' | 'nominal-style' | 'passive' | 'long-word';

export interface SentenceHint {
  kind: HintKind;
  /** The sentence (or the word) the hint is about. */
  excerpt: string;
  message: string;
}

export const LONG_SENTENCE_WORDS = 20;
export const LONG_WORD_LETTERS = 15;

const NOMINAL = /(?:ung|heit|keit)(?:en)?$/iu;
const WERDEN = new Set(['werde', 'wirst', 'wird', 'werden', 'werdet', 'wurde', 'wurdest', 'wurden', 'wurdet', 'worden', 'würde', 'würden']);
// Partizip II: ge…t / ge…en (also after a separable prefix: "abgeholt", "eingereicht") or …iert.
const PARTICIPLE =
  /^(?:ab|an|auf|aus|bei|ein|fest|frei|hin|her|mit|nach|vor|weg|zu|zurück|zusammen)?ge\p{Ll}{3,}(?:t|en)$|^\p{Ll}{3,}iert$/u;

/** Hints per sentence: too long, nominal style (two or more -ung/-heit/-keit), passive, long words. */
export function sentenceHints(text: string): SentenceHint[] {
  const hints: SentenceHint[] = [];
  for (const s of splitSentences(text)) {
    if (s.words.length > LONG_SENTENCE_WORDS) {
      hints.push({
        kind: 'long-sentence',
        excerpt: s.text,
        message: `Langer Satz (${s.words.length} Wörter): Teilen Sie ihn, mehr als ${LONG_SENTENCE_WORDS} Wörter liest kaum jemand auf einmal.`,
      });
    }
    const nominals = s.words.filter((w) => /^\p{Lu}/u.test(w) && NOMINAL.test(w));
    if (nominals.length >= 2) {
      hints.push({
        kind: 'nominal-style',
        excerpt: s.text,
        message: `Nominalstil (${nominals.join(', ')}): Sagen Sie es mit Verben, z. B. „wir prüfen“ statt „die Prüfung erfolgt“.`,
      });
    }
    const lower = s.words.map((w) => w.toLowerCase());
    if (lower.some((w) => WERDEN.has(w)) && s.words.some((w) => PARTICIPLE.test(w))) {
      hints.push({ kind: 'passive', excerpt: s.text, message: 'Passiv: Sagen Sie, wer etwas tut, z. B. „Die Stadt repariert …“.' });
    }
    for (const w of s.words) {
      if (lettersOf(w) > LONG_WORD_LETTERS) {
        hints.push({ kind: 'long-word', excerpt: w, message: `Langes Wort: „${w}“ lässt sich vielleicht teilen oder umschreiben.` });
      }
    }
  }
  return hints;
}
