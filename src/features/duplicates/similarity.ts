import { deu } from 'stopword';
import { contentStems, foldGerman } from '../routing/classifier/text.ts';

/**
 * How alike two short citizen texts are, 0…1, computed in TypeScript on the few candidates the
 * location prefilter leaves (no database extension: pg_trgm is not in PGlite, and `german` stems
 * differ between PostgreSQL versions). Two views, the better one counts:
 * - shared word stems (Snowball German, stop words removed), relative to the shorter text, so a
 *   one-line report matches a long one that says the same thing;
 * - shared character 4-grams of the content words (Dice), for compounds and typos:
 *   "Straßenlaterne" vs "Laterne", "Lateren" vs "Laterne".
 */
export function textSimilarity(a: string, b: string): number {
  return Math.max(stemOverlap(a, b), gramDice(a, b));
}

export function stemOverlap(a: string, b: string): number {
  const sa = new Set(contentStems(a));
  const sb = new Set(contentStems(b));
  if (sa.size === 0 || sb.size === 0) return 0;
  let shared = 0;
  for (const s of sa) if (sb.has(s)) shared++;
  return shared / Math.min(sa.size, sb.size);
}

/** Character 4-grams inside each content word (stop words out, so "nicht " matches nothing). */
export function charGrams(text: string): Set<string> {
  const grams = new Set<string>();
  for (const word of foldGerman(text).match(/[a-z]{4,}/g) ?? []) {
    if (STOP.has(word)) continue;
    for (let i = 0; i + 4 <= word.length; i++) grams.add(word.slice(i, i + 4));
  }
  return grams;
}

export function gramDice(a: string, b: string): number {
  const ga = charGrams(a);
  const gb = charGrams(b);
  if (ga.size === 0 || gb.size === 0) return 0;
  let shared = 0;
  for (const g of ga) if (gb.has(g)) shared++;
  return (2 * shared) / (ga.size + gb.size);
}

/**
 * Stop words (the same German list the classifier uses) plus time words every report has: long
 * enough to make 4-grams, but they say nothing about what is broken.
 */
const STOP = new Set([...deu, 'seit', 'tagen', 'wochen', 'monaten', 'bitte', 'danke', 'heute', 'gestern'].map(foldGerman));
