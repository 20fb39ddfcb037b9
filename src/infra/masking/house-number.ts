import type { Finder, Span } from './span.ts';

/** How German street names end, as one word ("Goethestraße") or a word of their own ("Zeller Str."). */
const SUFFIX = String.raw`(?:stra(?:ß|ss)e|str\.?|weg|gasse|gässle|platz|allee|ring|steig|damm|ufer|graben|pfad|stieg|promenade|chaussee|zeile|wall)`;
/** A word ending in a suffix, or a word (maybe hyphenated) and a suffix word. */
const STREET = new RegExp(
  String.raw`(?<![\p{L}\d])(\p{L}[\p{L}-]*?${SUFFIX}|\p{L}+(?:[ \t]?-[ \t]?\p{L}+)*[ \t]+${SUFFIX})` +
    // The number: 12, 12a, 12 a, 12-14, 12/1, maybe after "Nr." or "Hausnummer".
    String.raw`[ \t]*(?:,[ \t]*)?(?:(?:Nr\.?|Hausnummer|Hausnr\.?)[ \t]*)?(\d{1,4}(?:[ \t]?[a-hA-H](?!\p{L}))?(?:[ \t]?[-–/][ \t]?\d{1,4}(?:[a-hA-H](?!\p{L}))?)?)(?![\d\p{L}])`,
  'giu',
);
/** "Hausnummer 38", "Haus Nr. 22": a number that says it is one, without the street. */
const SAYS_SO =
  /(?<![\p{L}])(?:Hausnummer|Hausnr\.?|Haus[ \t]+Nr\.?|Haus-Nr\.?)[ \t]*(\d{1,4}(?:[ \t]?[a-hA-H](?!\p{L}))?)(?![\d\p{L}])/giu;
/** What follows a number that is a measure, an hour or a count, not a house. */
const NOT_A_HOUSE =
  /^(?:[.,:]\d|[ \t]*(?:m|km|cm|mm|meter|metern|%|uhr|h|min|minuten|jahre?n?|tage?n?|wochen?|monate?n?|mal|x|€|euro|eur|stück|autos?|fahrzeuge|meldungen)(?!\p{L}))/iu;
/** Ways, places and roads that are no address: "der Radweg 2 m breit", "Bundesstraße 33". */
const GENERIC = new Set(
  `radweg fußweg fussweg gehweg feldweg waldweg wanderweg fahrradweg uferweg schulweg heimweg umweg seitenweg parkplatz spielplatz
  sportplatz bolzplatz stellplatz abstellplatz schulhof bundesstraße bundesstrasse landstraße landesstraße kreisstraße
  fahrradstraße fahrradstrasse spielstraße einbahnstraße seitenstraße nebenstraße durchgangsstraße zufahrtsstraße
  umgehungsstraße hauptverkehrsstraße straße strasse str str. weg gasse platz allee ring steig damm ufer graben pfad wall
  wassergraben straßengraben strassengraben burggraben seeufer rheinufer`.split(/\s+/),
);
/** A word before a separate "Straße" that is no name: "die Straße 3 mal", "Diese Str. 2". */
const NOT_A_STREET_NAME = new Set(
  `die der das den dem des diese dieser diesem jede jeder eine ein einer einem keine kein unsere unserer meine meiner ihre ihrer
  in im auf an am vor neben hinter zur zum über unter bei nach von aus ab bis durch für gegen ohne um mit und oder aber ganze
  gesamte nächste nächsten erste zweite dritte selbe gleiche dortige genannte`.split(/\s+/),
);

/** "Alemannenstr. 1 und 3", "Wollmatingerstr 2+4": further houses of the same street. */
const MORE = /^[ \t]*(?:und|u\.|\+|&)[ \t]*(\d{1,4}(?:[a-hA-H](?!\p{L}))?(?:[ \t]?[-–][ \t]?\d{1,4}(?:[a-hA-H](?!\p{L}))?)?)(?![\d\p{L}])/u;

function moreNumbers(text: string, from: number): Span[] {
  const spans: Span[] = [];
  for (let m = MORE.exec(text.slice(from, from + 40)); m?.[1]; m = MORE.exec(text.slice(from, from + 40))) {
    const end = from + m[0].length;
    if (NOT_A_HOUSE.test(text.slice(end, end + 12))) break;
    spans.push({ kind: 'house_number', start: end - m[1].length, end });
    from = end;
  }
  return spans;
}

function isGeneric(street: string): boolean {
  const words = street.trim().split(/[ \t]+/);
  if (words.length === 1) return GENERIC.has(street.toLocaleLowerCase('de'));
  return NOT_A_STREET_NAME.has((words[0] ?? '').toLocaleLowerCase('de'));
}

/**
 * House numbers of addresses, for categories whose reports are about private property: the number
 * is masked, the street stays (the place of the defect is public, the house is not).
 */
export const findHouseNumbers: Finder = (text, opts) => {
  if (!opts.maskHouseNumbers) return [];
  const found: Span[] = [];
  for (const m of text.matchAll(STREET)) {
    const [whole, street = '', number = ''] = m;
    // Streets are often typed in lower case ("alemannenstr 1"); the suffix and the number say enough.
    if (isGeneric(street)) continue;
    const end = m.index + whole.length;
    if (NOT_A_HOUSE.test(text.slice(end, end + 12))) continue;
    found.push({ kind: 'house_number', start: end - number.length, end });
    found.push(...moreNumbers(text, end));
  }
  for (const m of text.matchAll(SAYS_SO)) {
    const number = m[1] ?? '';
    const end = m.index + m[0].length;
    if (NOT_A_HOUSE.test(text.slice(end, end + 12))) continue;
    found.push({ kind: 'house_number', start: end - number.length, end });
  }
  return found;
};
