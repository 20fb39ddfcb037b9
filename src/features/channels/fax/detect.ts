import { matchesPattern, regexProblem } from '../../routing/rules/regex.ts';
import type { FaxSettings } from '../accounts/email-settings.ts';

/**
 * Which mail a fax gateway sent, and which number the fax came from. The gateway's own address is
 * the sender of every such mail; the citizen is only in the PDF and, with most telephone systems,
 * their number in the subject ("Fax von +49 7531 12345", "Fax from 07531 12345 to 100").
 */

/** All mails of a fax box are faxes; otherwise the patterns set must all match (none set: no fax). */
export function isFaxMail(fax: FaxSettings, mail: { fromAddress: string | null; subject: string }): boolean {
  if (fax.all) return true;
  const checks: [string | null, string][] = [
    [fax.sender, mail.fromAddress ?? ''],
    [fax.subject, mail.subject],
  ];
  const set = checks.filter((c): c is [string, string] => c[0] !== null);
  // A pattern stored before the limits changed may no longer compile: it matches nothing rather than failing every mail.
  return set.length > 0 && set.every(([pattern, text]) => regexProblem(pattern) === null && matchesPattern(pattern, text));
}

/** The length the capture form allows a phone number. */
const MAX_NUMBER = 40;

// After "von"/"from"/"Absender"/"Kennung"…: a number with the separators people and telephone
// systems write (spaces, "/", "-", ".", "(0)").
const NUMBER_AFTER_WORD =
  /\b(?:von|from|absender|sender|kennung|caller|anrufer|faxnummer|fax-nr\.?|faxnr\.?)\s*:?\s*(\+?\(?\d[\d\s()/.-]*\d)/i;
// What gateways write next to the number and would otherwise run into it: "(2 Seiten)", dates, times.
const NOT_THE_NUMBER = /\(?\b\d+\s*(?:seiten?|pages?|bl(?:att|ätter))\b\)?|\b\d{1,2}\.\d{1,2}\.\d{2,4}\b|\b\d{1,2}:\d{2}(?::\d{2})?\b/giu;

/** The sender's fax number from the gateway's subject, as written there (spaces collapsed), or null. */
export function faxNumberFrom(subject: string): string | null {
  const match = NUMBER_AFTER_WORD.exec(subject.replace(NOT_THE_NUMBER, ' '));
  const number = match?.[1]?.replace(/\s+/g, ' ').trim();
  if (!number) return null;
  // E.164 allows 15 digits; a German number written with its 0049 prefix has up to 17. Fewer than six is an extension.
  const digits = number.replace(/\D/g, '').length;
  if (digits < 6 || digits > 17 || number.length > MAX_NUMBER) return null;
  return number;
}
