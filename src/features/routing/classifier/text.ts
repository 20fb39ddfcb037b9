import snowball from 'snowball-stemmers';
import { deu } from 'stopword';

/**
 * German text → feature keys. Citizens write "Strassenlaterne", "Straßenlaterne" and
 * "Strassenlaterne" alike and some mail clients turn ä into ae, so every text is folded to one
 * ASCII spelling (ä→ae, ö→oe, ü→ue, ß→ss, accents dropped) before anything else: training data
 * and live cases then meet in the same spelling whichever way they were typed.
 */
export function foldGerman(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
}

const stemmer = snowball.newStemmer('german');
const stopWords = new Set(deu.map(foldGerman));
const stemCache = new Map<string, string>();

/** Snowball's German stemmer is the expensive step; a bounded cache makes repeated words free. */
function stem(word: string): string {
  let s = stemCache.get(word);
  if (s === undefined) {
    s = stemmer.stem(word);
    if (stemCache.size > 200_000) stemCache.clear();
    stemCache.set(word, s);
  }
  return s;
}

/**
 * The Mängelmelder appends "(Adresssuche nach: …)" and masks contact data as "[Telefon entfernt]";
 * both say nothing about the concern, and the street name would only teach the model addresses.
 */
export function stripBoilerplate(text: string): string {
  return text.replace(/\(adresssuche nach:[^)]*\)/gi, ' ').replace(/\[[^\]]{0,40}\]/g, ' ');
}

/** Folded words (letters and digits), in order, stop words included. */
export function words(text: string): string[] {
  return foldGerman(stripBoilerplate(text)).match(/[a-z0-9]+/g) ?? [];
}

/** Stemmed content words: no stop words, no bare numbers, no single letters. */
export function contentStems(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    if (w.length < 2 || stopWords.has(w) || /^\d+$/.test(w)) continue;
    out.push(stem(w));
  }
  return out;
}

/**
 * Word unigrams and bigrams of stems, and character n-grams (charMin–charMax letters, see FeatureOptions) inside each word. The
 * character grams carry German compounds ("Strassenlaternen" shares "later" with "Laterne") and
 * typos, which a word model alone misses.
 */
export function textFeatures(text: string, charMin: number, charMax: number): { words: Map<string, number>; chars: Map<string, number> } {
  const wordCounts = new Map<string, number>();
  const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  const stems = contentStems(text);
  for (let i = 0; i < stems.length; i++) {
    add(wordCounts, `w:${stems[i]}`);
    if (i > 0) add(wordCounts, `b:${stems[i - 1]}_${stems[i]}`);
  }
  const charCounts = new Map<string, number>();
  for (const w of words(text)) {
    if (/^\d+$/.test(w)) continue;
    const padded = ` ${w} `;
    for (let n = charMin; n <= charMax; n++) for (let i = 0; i + n <= padded.length; i++) add(charCounts, `c:${padded.slice(i, i + n)}`);
  }
  return { words: wordCounts, chars: charCounts };
}
