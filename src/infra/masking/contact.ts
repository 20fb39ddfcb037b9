import type { Finder, Span } from './span.ts';

/** Local part at most 64 characters (RFC 5321): unbounded, a long run without spaces took seconds. */
const EMAIL = /[^\s@<>()[\]]{1,64}@[^\s@<>()[\]]{1,253}\.[^\s@<>()[\].,;:!?]{1,63}/g;
const URL = /\b(?:https?:\/\/|www\.)[^\s<>]+[^\s<>.,;:!?)]/gi;
/**
 * A dialled number: +49…, 0…, (0…), then digits split by spaces, slashes, dots, brackets or dashes.
 * It may not start inside another number ("22.07.2022" holds "07.2022"); at most 32 characters
 * ("+49 (0) 7531 / 12 34 56 78" has 26), so a long run of digits and spaces stays linear.
 */
const DIALLED = /(?<![\d.,/-])(?:\+\d{1,3}|\(?0)[\d\s/.()-]{4,30}\d/g;
/** Any digits after a word that says a phone number follows ("Tel. 123456", "Handy: 176…"). */
const CUED = /(?<!\p{L})(?:tel(?:efon)?|fon|handy|mobil|rufnummer|whatsapp|fax)\.?[ \t]*:?[ \t]*(\+?\d[\d \t/.()-]{4,30}\d)/giu;
/** Dates have six digits too ("03.06.22", "01.01.2022"). */
const DATE = /^\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{2}|\d{4})$/;

function matches(re: RegExp, kind: Span['kind']): Finder {
  return (text) => [...text.matchAll(re)].map((m) => ({ kind, start: m.index, end: m.index + m[0].length }));
}

export const findEmails = matches(EMAIL, 'email');
export const findUrls = matches(URL, 'url');

/**
 * Phone numbers: six to fifteen digits that start like a dialled number or follow a word such as
 * "Tel." or "Handy". A bare digit run (a lamp number, coordinates, a case number) is no phone, nor
 * is a date or an amount.
 */
export const findPhones: Finder = (text) => {
  const found: Span[] = [];
  const candidates = [
    ...[...text.matchAll(DIALLED)].map((m) => ({ value: m[0], start: m.index })),
    ...[...text.matchAll(CUED)].map((m) => ({ value: m[1] ?? '', start: m.index + m[0].length - (m[1] ?? '').length })),
  ];
  for (const candidate of candidates) {
    // "(0761 123456)": the opening bracket belongs to the sentence when the number has no closing one.
    const open = candidate.value.startsWith('(') && !candidate.value.includes(')');
    const value = open ? candidate.value.slice(1) : candidate.value;
    const start = open ? candidate.start + 1 : candidate.start;
    const digits = value.replace(/\D/g, '');
    if (digits.length < 6 || digits.length > 15) continue;
    const compact = value.replace(/[()]/g, '').replace(/\s+/g, ' ').trim();
    if (DATE.test(compact)) continue;
    found.push({ kind: 'phone', start, end: start + value.length });
  }
  return found;
};
