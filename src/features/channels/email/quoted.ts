import EmailReplyParser from 'email-reply-parser';

/**
 * What the citizen wrote this time, without the history their client quoted below it and without
 * their signature: staff read a thread of cases, not the same text five times.
 *
 * email-reply-parser knows "> " lines, "Am … schrieb …:", "-----Ursprüngliche Nachricht-----",
 * "Von: Name <adresse>" and "-- " signatures. German Outlook also writes the header block of the
 * answered mail without any address ("Von: Stadt Musterstadt" / "Gesendet: …"), and older Outlook
 * versions "-----Original Message-----" in German too, and the library misses a quote header wrapped
 * onto two lines; those are cut here first.
 */

/** A "Von:"/"From:" line followed within three lines by "Gesendet:"/"Sent:"/"Datum:"/"Date:". */
const OUTLOOK_BLOCK = /^[ \t]*\*?(?:Von|From)\*?:[ \t]*\S.*\n(?:.*\n){0,2}?[ \t]*\*?(?:Gesendet|Sent|Datum|Date)\*?:/im;
const ORIGINAL_MARKER =
  /^[ \t]*-{2,}[ \t]*(?:Original Message|Ursprüngliche Nachricht|Originalnachricht|Weitergeleitete Nachricht|Forwarded message)[ \t]*-*[ \t]*$/im;
/**
 * "Am … schrieb …:" (or "On … wrote:"), also wrapped onto a second line as Thunderbird does with a
 * long name and address, directly followed by "> " lines; without the quote below it the line
 * could be the citizen's own sentence ("Am Montag schrieb ich Ihnen:").
 */
const QUOTE_HEADER = /^[ \t]*(?:Am|On) [^\n]{4,160}?(?:schrieb|wrote)[^\n]*(?:\n(?![ \t]*>)[^\n]{0,160})?:[ \t]*\n(?:[ \t]*\n)?[ \t]*>/m;
/** Outlook's rule line above the quoted block (32 underscores). */
const OUTLOOK_RULE = /^_{20,}[ \t]*$/m;

export function visiblePart(text: string): string {
  if (text.trim() === '') return '';
  const cut = cutAtFirst(text, [QUOTE_HEADER, OUTLOOK_BLOCK, ORIGINAL_MARKER, OUTLOOK_RULE]);
  let visible = cut;
  try {
    visible = new EmailReplyParser().read(cut).getVisibleText();
  } catch {
    // The parser is a heuristic; when it fails the cut text is still better than nothing.
  }
  visible = visible.trim();
  // A mail that is nothing but a quote or a signature still says something: show all of it then.
  if (visible !== '') return visible;
  return cut.trim() !== '' ? cut.trim() : text.trim();
}

function cutAtFirst(text: string, patterns: RegExp[]): string {
  let end = text.length;
  for (const pattern of patterns) {
    const m = pattern.exec(text);
    if (m && m.index < end) end = m.index;
  }
  return text.slice(0, end);
}
