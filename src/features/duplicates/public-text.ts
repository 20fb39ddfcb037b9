/**
 * A short excerpt of someone else's report, for the citizen who is offered to follow it. The
 * report is not public, so contact data the first reporter may have typed into the text (mail
 * addresses, phone numbers, links) is masked, and only the start is shown: enough to recognise
 * "the same street lamp", not enough to read a story. Names in free text cannot be found reliably;
 * the short length is what limits that risk.
 */
export const EXCERPT_LENGTH = 120;

const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]+/g;
const URL = /\b(?:https?:\/\/|www\.)\S+/gi;
/** Six or more digits, possibly split by spaces, slashes, dots or dashes, optionally with +49: a phone number. */
const PHONE = /(?:\+\d{1,3}[\s/.-]*)?(?:\(?\d[\d\s/.()-]{4,}\d)/g;

export function publicExcerpt(text: string, max = EXCERPT_LENGTH): string {
  const masked = text
    .replace(EMAIL, '[E-Mail entfernt]')
    .replace(URL, '[Link entfernt]')
    .replace(PHONE, (m) => (m.replace(/\D/g, '').length >= 6 ? '[Telefon entfernt]' : m))
    .replace(/\s+/g, ' ')
    .trim();
  if (masked.length <= max) return masked;
  const cut = masked.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,.;:–-]+$/, '')} …`;
}
