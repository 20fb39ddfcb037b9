/**
 * The words of an inbox search and where they occur in a text: pure, shared by the SQL (inbox-search.ts)
 * and by the highlighting in the inbox rows, so what is marked is what was searched.
 */

/** More words than this are ignored: each word is one more index scan to combine. */
export const SEARCH_WORDS_MAX = 8;

/** Sentence punctuation around a word; `%`, `_` and `-` stay, they may be part of what is searched. */
const EDGE_PUNCTUATION = /^[.,;:!?"'()[\]{}„“”‚‘’«»…]+|[.,;:!?"'()[\]{}„“”‚‘’«»…]+$/gu;

/** Trigrams need three letters or digits in a row; shorter words are matched as whole words only. */
const TRIGRAM_RUN = /[\p{L}\p{N}]{3,}/u;

/** The distinct words of a search text, in the order typed, without the punctuation around them. */
export function searchWords(q: string | undefined): string[] {
  if (!q) return [];
  const seen = new Set<string>();
  const words: string[] = [];
  for (const raw of q.split(/\s+/u)) {
    const word = raw.replace(EDGE_PUNCTUATION, '');
    const key = word.toLocaleLowerCase('de-DE');
    if (!word || seen.has(key)) continue;
    seen.add(key);
    words.push(word);
    if (words.length === SEARCH_WORDS_MAX) break;
  }
  return words;
}

/** Whether the trigram index can look a word up as a substring. */
export function hasTrigrams(word: string): boolean {
  return TRIGRAM_RUN.test(word);
}

/** A case number typed whole ("2026-00045") or as its running number alone ("00045"). */
export function caseNumberQuery(q: string | undefined): { exact: string } | { running: string } | null {
  const text = q?.trim() ?? '';
  if (/^\d{4}-\d{5,9}$/.test(text)) return { exact: text };
  if (/^\d{5,9}$/.test(text)) return { running: text };
  return null;
}

/** A piece of text, marked when it is a hit. */
export interface TextPart {
  text: string;
  hit: boolean;
}

// Only the characters a `u` regular expression lets one escape ("\-" outside a class is an error there).
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function hitPattern(words: string[]): RegExp | null {
  const usable = words.filter((w) => w.length > 0).sort((a, b) => b.length - a.length);
  if (usable.length === 0) return null;
  // Longest first, so "Straßenlaterne" wins over "Laterne" where both were typed.
  return new RegExp(usable.map(escapeRegExp).join('|'), 'giu');
}

/**
 * The text cut into plain and hit parts (case-insensitive substrings of the words). The parts are
 * rendered as text nodes and <mark> elements, so the page escapes them like any other text.
 */
export function markHits(text: string, words: string[]): TextPart[] {
  const pattern = hitPattern(words);
  if (!pattern || text.length === 0) return text ? [{ text, hit: false }] : [];
  const parts: TextPart[] = [];
  let at = 0;
  for (const m of text.matchAll(pattern)) {
    if (m[0].length === 0) continue;
    if (m.index > at) parts.push({ text: text.slice(at, m.index), hit: false });
    parts.push({ text: m[0], hit: true });
    at = m.index + m[0].length;
  }
  if (at < text.length) parts.push({ text: text.slice(at), hit: false });
  return parts;
}

/**
 * About `length` characters of the text: its start, or, when the first hit lies beyond that, a
 * window that begins shortly before the hit, so staff see why the case was found.
 */
export function excerptAround(text: string, words: string[], length: number): string {
  const first = hitPattern(words)?.exec(text)?.index ?? 0;
  const lead = Math.floor(length / 4);
  const start = first + 20 > length ? Math.max(0, first - lead) : 0;
  const cut = text.slice(start, start + length);
  return `${start > 0 ? '…' : ''}${cut}${start + length < text.length ? '…' : ''}`;
}
