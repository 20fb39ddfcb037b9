import { ABBREVIATIONS, AFTER_ORDINAL } from './abbreviations.ts';

/** A word of running text: letters (and digits, hyphens, apostrophes inside); plain numbers are not words. */
const TOKEN = /[\p{L}\p{N}](?:[\p{L}\p{N}'’-]*[\p{L}\p{N}])?/gu;
const HAS_LETTER = /\p{L}/u;

export interface Sentence {
  text: string;
  words: string[];
}

/** The words of a text, in order (tokens with at least one letter; links left out). */
export function wordsOf(text: string): string[] {
  // Links and e-mail addresses are read as a whole, not as words of the sentence.
  const prose = text.replace(/(?:https?:\/\/|www\.)\S+|\S+@\S+/gu, ' ');
  return (prose.match(TOKEN) ?? []).filter((w) => HAS_LETTER.test(w));
}

/** Is the full stop after `before` (the token it closes) part of an abbreviation or ordinal, not a sentence end? */
function dotBelongsToToken(before: string, next: string | undefined): boolean {
  const lower = before.toLowerCase();
  if (ABBREVIATIONS.has(lower)) return true;
  // Initials and the parts of "z. B.", "d. h.", "u. a.".
  if (/^\p{L}$/u.test(before)) return true;
  // "1. Dezember", "3. Advent"; "im Jahr 2026. Danach" still ends there.
  if (/^\d{1,2}$/.test(before) && next !== undefined && AFTER_ORDINAL.has(next.toLowerCase())) return true;
  // "§ 3 Abs. 2" and "Nr. 5" are covered above; a following lower-case word means the sentence goes on.
  return next !== undefined && /^\p{Ll}/u.test(next);
}

/**
 * Splits German text into sentences at . ! ? (and line breaks between paragraphs), except where a
 * full stop belongs to an abbreviation ("Abs.", "z. B.", "Nr.", "ggf.", "bzw.") or an ordinal
 * before a month ("1. Dezember").
 */
export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  const re = /([\p{L}\p{N}]+)?([.!?…]+)(["»«“”')\]]*)(?=\s+(\S+)|\s*$)|\n\s*\n/gu;
  let start = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const [whole, before, marks] = m;
    const next = m[4]?.replace(/^["„»«“(]+/u, '');
    if (marks === '.' && before && dotBelongsToToken(before, next)) continue;
    const end = m.index + whole.length;
    push(out, text.slice(start, end));
    start = end;
  }
  push(out, text.slice(start));
  return out;
}

function push(out: Sentence[], raw: string): void {
  const text = raw.trim().replace(/\s+/g, ' ');
  const words = wordsOf(text);
  if (words.length > 0) out.push({ text, words });
}
