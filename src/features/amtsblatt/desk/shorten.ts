/**
 * Lengths as the networks count them and the "kürzen" helper. Pure, so the editor's preview, the
 * checks before approval and the publisher agree on one count.
 */

const graphemes = new Intl.Segmenter('de', { granularity: 'grapheme' });

/** Bluesky counts graphemes (an emoji with skin tone is one); the others count code points. */
export function textLength(text: string, countsGraphemes: boolean): number {
  if (countsGraphemes) {
    let n = 0;
    for (const _ of graphemes.segment(text)) n++;
    return n;
  }
  let n = 0;
  for (const _ of text) n++;
  return n;
}

const ELLIPSIS = '…';

/**
 * Shortens `text` to at most `limit` (counted like the target counts), ending in "…". It cuts only
 * at white space, so a word, a link or a hashtag is either whole or gone: a half link leads
 * nowhere and a half hashtag names another topic. `suffix` (the post's link) is kept whole at the
 * end. A text that fits comes back unchanged; when not even one word fits, only the suffix remains.
 */
export function shorten(text: string, limit: number, opts: { countsGraphemes?: boolean; suffix?: string } = {}): string {
  const count = (s: string) => textLength(s, opts.countsGraphemes ?? false);
  const suffix = opts.suffix ? `\n\n${opts.suffix}` : '';
  const whole = text.trim() + suffix;
  if (count(whole) <= limit) return whole;
  const room = limit - count(suffix) - count(ELLIPSIS);
  if (room <= 0) return opts.suffix && count(opts.suffix) <= limit ? opts.suffix : '';
  // Tokens are runs of non-space; the kept part ends after a whole token.
  let kept = '';
  for (const match of text.trim().matchAll(/\s*\S+/g)) {
    const next = kept + match[0];
    if (count(next) > room) break;
    kept = next;
  }
  kept = kept.trimEnd();
  if (kept === '') return opts.suffix && count(opts.suffix) <= limit ? opts.suffix : '';
  return `${kept}${ELLIPSIS}${suffix}`;
}
