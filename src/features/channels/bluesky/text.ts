/** Bluesky counts a post's length in graphemes (app.bsky.feed.post: maxGraphemes 300), not UTF-16 units. */
export const MAX_GRAPHEMES = 300;

const segmenter = new Intl.Segmenter('de', { granularity: 'grapheme' });
const words = new Intl.Segmenter('de', { granularity: 'word' });

export const graphemeLength = (text: string): number => {
  let n = 0;
  for (const _ of segmenter.segment(text)) n += 1;
  return n;
};

/** Room kept in each part of a thread for its counter " (2/3)". */
const COUNTER_ROOM = 8;

/**
 * A text as one post, or as a thread of posts when it is longer than the network allows: cut
 * between words only (a link or a handle is one word here, since only white space separates),
 * each part numbered " (1/2)". Only a single "word" longer than a whole post is cut, at a grapheme.
 */
export function splitForPosts(text: string, max = MAX_GRAPHEMES): string[] {
  const clean = text.trim();
  if (graphemeLength(clean) <= max) return [clean];
  const room = max - COUNTER_ROOM;
  const parts: string[] = [];
  let current = '';
  for (const token of tokens(clean)) {
    const candidate = current ? `${current}${token.space}${token.word}` : token.word;
    if (graphemeLength(candidate) <= room) {
      current = candidate;
      continue;
    }
    if (current) parts.push(current);
    current = token.word;
    while (graphemeLength(current) > room) {
      const head = [...segmenter.segment(current)]
        .slice(0, room)
        .map((s) => s.segment)
        .join('');
      parts.push(head);
      current = current.slice(head.length);
    }
  }
  if (current) parts.push(current);
  return parts.map((p, i) => `${p} (${i + 1}/${parts.length})`);
}

/** Words with the white space before them; a paragraph break stays a break. */
function* tokens(text: string): Generator<{ space: string; word: string }> {
  const re = /(\s*)(\S+)/gu;
  for (const m of text.matchAll(re)) yield { space: m[1]?.includes('\n') ? m[1].replace(/[^\n]/g, '') : ' ', word: m[2] ?? '' };
}

/** Whether a text says nothing but thanks (or only emoji): it joins a case's thread, but opens none. */
export function isOnlyThanks(text: string): boolean {
  const rest = text
    .replace(/@[\w.-]+/gu, ' ')
    .replace(/\b(vielen|herzlichen|lieben|besten|tausend)\b/giu, ' ')
    .replace(/\b(dank(e|eschön|e schön|e sehr)?|merci|thx|thanks?|thank you|super|top|prima|klasse|toll)\b/giu, ' ');
  for (const w of words.segment(rest)) if (w.isWordLike) return false;
  return true;
}
