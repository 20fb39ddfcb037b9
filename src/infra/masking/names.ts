import { nameLists } from './name-lists.ts';
import { type Finder, isLetter, type Span } from './span.ts';

/** One capitalised word of a name, maybe double ("Müller-Lüdenscheidt"), or an initial ("M."). */
const WORD = String.raw`\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?`;
const INITIAL = String.raw`\p{Lu}\.`;
const PARTICLE = String.raw`(?:von|van|de|zu|vom|von der|v\.)`;
/** Up to three words of a name, "von"/"van" between them allowed. */
const NAME = String.raw`(?:${INITIAL}[ \t]?)?${WORD}(?:[ \t]+(?:${PARTICLE}[ \t]+)?${WORD}){0,2}`;

const HONORIFIC = new RegExp(
  String.raw`(?<!\p{L})(Frau|Herrn?|Hr\.|Fr\.|Familie|Fam\.)[ \t]+((?:(?:Dr\.|Prof\.|Dipl\.-Ing\.)[ \t]*)*)(${NAME})`,
  'gu',
);
/** Greetings at the end of a message; the name follows on the same line or the next. */
const GREETING =
  /(?<!\p{L})(?:(?:mit[ \t]+)?(?:freundlichen|freundliche|besten|beste|lieben|liebe|herzlichen|herzliche|schönen|schöne|viele|vielen|sonnige|sonnigen)[ \t]+)?(?:grüßen|grüssen|grüße|grüsse|gruß|gruss)(?!\p{L})|(?<!\p{L})(?:mfg|lg|vg)(?!\p{L})/giu;
const AFTER_GREETING = new RegExp(
  // The name ends its line, or a comma and the town follow ("Wolf v. Cube, Konstanz"); a lone
  // initial may be small ("Gruß w Lang").
  String.raw`^[ \t]*[,.!:;-]*[ \t]*(?:\r?\n[ \t]*){0,2}(?:(?:Ihr|Ihre|Dein|Deine|Euer|Eure)[ \t]+)?((?:\p{L}\.?[ \t])?${NAME})[ \t]*[.!]?[ \t]*(?=\r?\n|$|,[ \t]*\p{Lu}\p{Ll}+[ \t]*(?:\r?\n|$))`,
  'u',
);
/** A listed first name right after a greeting, whatever follows ("Grüße Stephan p.s. …"). */
const FIRST_AFTER_GREETING = new RegExp(String.raw`^[ \t]*[,.!:;-]*[ \t]*(?:\r?\n[ \t]*){0,2}(${WORD})(?![\p{L}])`, 'u');
/** Capitalised words: the candidates for "first name + last name". */
const CAPITALISED = /(?<![\p{L}-])\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?(?![\p{L}-])/gu;

/** Words after "Frau"/"Herr" or under a greeting that are roles or phrases, not names. */
const NOT_A_NAME = new Set(
  `Bürgermeister Bürgermeisterin Oberbürgermeister Oberbürgermeisterin Stadtrat Stadträtin Gemeinderat Gemeinderätin
  Ortsvorsteher Ortsvorsteherin Nachbar Nachbarin Kollege Kollegin Doktor Professor Pfarrer Pfarrerin Direktor Direktorin
  Präsident Präsidentin Minister Ministerin Landrat Landrätin Polizist Polizistin Hausmeister Hausmeisterin Vermieter Vermieterin
  Damen Herren Ihr Ihre Euer Eure Dein Deine Ein Eine Einer Die Der Das Den Dem Aus Von Vom Und Team Anwohner Anwohnerin
  Anwohnende Nachbarn Nachbarschaft Bürger Bürgerin Familie Vielen Danke Dank Sehr Hallo Guten Bitte Stadt Konstanz Mängelmelder
  Gesundheit Sonntag Montag Dienstag Mittwoch Donnerstag Freitag Samstag Wochenende Allen Alle Euch Sie Ihnen Mit Wir Ich`.split(/\s+/),
);
/** What follows a name when it names a street, a school or a home ("Max Stromeyer Straße"). */
const NAMES_A_PLACE =
  /^[ \t-]*(?:stra(?:ß|ss)e|str\b|weg|gasse|platz|allee|ring|steig|schule|gymnasium|realschule|grundschule|halle|haus|heim|seniorenheim|stift|brücke|park|kirche|kindergarten|kita|center|zentrum|apotheke|bad)/iu;

function span(start: number, end: number): Span {
  return { kind: 'name', start, end };
}

function nameWords(name: string): string[] {
  return name.split(/[ \t]+/);
}

/**
 * Where the `count`-th line after `from` ends: a signature sits on the next lines, and reading only
 * those keeps a long text with many greetings linear.
 */
function endOfLines(text: string, from: number, count: number): number {
  let at = from;
  for (let i = 0; i < count; i++) {
    const next = text.indexOf('\n', at);
    if (next < 0) return text.length;
    at = next + 1;
  }
  return at - 1;
}

/** Where the first `count` words of a name end. */
function endOfWords(name: string, count: number): number {
  const word = [...name.matchAll(/\S+/g)][count - 1];
  return word ? word.index + word[0].length : name.length;
}

/** "Frau Müller", "Herr Dr. Schmidt", "Familie Yilmaz", "Hr. Meier": the words after the title. */
export const findHonorificNames: Finder = (text) => {
  const { first, last } = nameLists();
  const found: Span[] = [];
  for (const m of text.matchAll(HONORIFIC)) {
    const [whole, , , name = ''] = m;
    // "Frau Erika Mustermann": a second word only after a first name, so "Herrn Schmidt Bescheid
    // geben" keeps "Bescheid"; a role ("Herr Bürgermeister") is no name at all.
    const kept: string[] = [];
    for (const w of nameWords(name)) {
      if (NOT_A_NAME.has(w)) break;
      const previous = kept.at(-1);
      if (previous && !first.has(previous) && !/^(?:von|van|de|zu|vom|der)$/.test(previous) && !/^\p{Lu}\.$/u.test(previous)) break;
      kept.push(w);
    }
    if (kept.length === 0) continue;
    // "eine Frau Hilfe": after an article only a known last name counts.
    const before = text.slice(Math.max(0, m.index - 12), m.index);
    if (/(?<!\p{L})(?:eine|einer|einem|die|der|den|dem|jede|ältere|junge|alte)[ \t]+$/iu.test(before) && !kept.some((w) => last.has(w)))
      continue;
    const start = m.index + whole.length - name.length;
    found.push(span(start, start + endOfWords(name, kept.length)));
  }
  return found;
};

/** "Mit freundlichen Grüßen\nErika Mustermann", "Gruß, Max": a short line of name words. */
export const findSignatureNames: Finder = (text) => {
  const { first } = nameLists();
  const found: Span[] = [];
  for (const g of text.matchAll(GREETING)) {
    const from = g.index + g[0].length;
    const after = text.slice(from, endOfLines(text, from, 3));
    const line = AFTER_GREETING.exec(after);
    const name = line?.[1];
    const words = name ? nameWords(name) : [];
    if (line && name && words.every((w) => !NOT_A_NAME.has(w))) {
      const start = from + line[0].indexOf(name);
      found.push(span(start, start + name.length));
      continue;
    }
    const given = FIRST_AFTER_GREETING.exec(after)?.[1];
    if (given && first.has(given)) {
      const start = from + after.indexOf(given);
      found.push(span(start, start + given.length));
    }
  }
  return found;
};

/** "Erika Müller": a listed first name followed by a listed last name, unless it names a place. */
export const findNamePairs: Finder = (text) => {
  const { first, last } = nameLists();
  const found: Span[] = [];
  const words = [...text.matchAll(CAPITALISED)];
  for (let i = 0; i + 1 < words.length; i++) {
    const given = words[i];
    const family = words[i + 1];
    if (!given || !family || !first.has(given[0]) || !last.has(family[0].split('-')[0] ?? '')) continue;
    const end = family.index + family[0].length;
    if (!/^[ \t]+$/.test(text.slice(given.index + given[0].length, family.index))) continue;
    if (NAMES_A_PLACE.test(text.slice(end, end + 14))) continue;
    found.push(span(given.index, end));
  }
  return found;
};

/** The reporter's own name, whole and in parts of three letters or more, as whole words. */
export const findKnownNames: Finder = (text, opts) => {
  const found: Span[] = [];
  const lower = text.toLocaleLowerCase('de');
  for (const full of opts.knownNames ?? []) {
    for (const part of new Set([full, ...full.split(/\s+/)].map((p) => p.trim()).filter((p) => p.length >= 3))) {
      const needle = part.toLocaleLowerCase('de');
      for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + needle.length)) {
        if (!isLetter(lower[at - 1]) && !isLetter(lower[at + needle.length])) found.push(span(at, at + needle.length));
      }
    }
  }
  return found;
};
