import { foldGerman } from '../classifier/text.ts';

/**
 * Text helpers of the rule engine. Citizens write "Strasse", "Straße", "strasse" and "Muell" for
 * "Müll"; words should match all of them, so both sides are folded the same way (foldGerman, as
 * the classifier and the duplicate check do) before comparing.
 */

/** The folded words of a text, for whole-word and prefix tests. */
export function wordsOf(s: string): string[] {
  return foldGerman(s)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/**
 * A configured word matches a word of the text it begins: "schlagloch" also finds "Schlaglöcher",
 * "müll" finds "Müllsäcke". A phrase with a space matches as a folded substring. This is deliberately
 * simpler than stemming: an admin can predict it, and the dry run shows what it catches.
 */
export function containsWord(textWords: string[], folded: string, word: string): boolean {
  const w = foldGerman(word.trim());
  if (!w) return false;
  if (/\s/.test(w)) return folded.includes(w);
  return textWords.some((t) => t.startsWith(w));
}

// The most frequent function words of each language; they make up a large share of any running text.
const GERMAN = new Set(
  'der die das und ist nicht ein eine einen dem den des im in mit auf fuer von zu es sich auch ich wir sie bitte seit schon noch wird werden wurde bei am aus dass oder aber wie sehr hier da ueber vor nach kein keine'.split(
    ' ',
  ),
);
const ENGLISH = new Set(
  'the and is are not a an of to in on for with it this that there please has have been was be at from or but very here no my our you we they since still'.split(
    ' ',
  ),
);

/**
 * Guesses de or en by counting each language's commonest function words. Reports here are short
 * and nearly all German; the only question a rule asks is "German or English?", and function words
 * answer it reliably from a dozen words on, with no model to load. Ties and word-less texts count
 * as German, the town's language.
 */
export function detectLanguage(text: string): 'de' | 'en' {
  let de = 0;
  let en = 0;
  for (const w of wordsOf(text)) {
    if (GERMAN.has(w)) de++;
    if (ENGLISH.has(w)) en++;
  }
  return en > de ? 'en' : 'de';
}

const berlinParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Berlin',
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Weekday (ISO, 1 = Monday) and minutes since midnight in Berlin time, summer time included. */
export function berlinClock(at: Date): { weekday: number; minutes: number } {
  const parts = Object.fromEntries(berlinParts.formatToParts(at).map((p) => [p.type, p.value]));
  return { weekday: WEEKDAYS[parts.weekday ?? 'Mon'] ?? 1, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

export const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
