import type { Finder, Span } from './span.ts';

/**
 * German plates: district (1–3 letters), a dash or space, 1–2 letters, 1–4 digits, E (electric) or
 * H (historic). The letters after the district are what tells a plate from a road ("B 33", "A 81",
 * "L 221"), a sign ("VZ 260") or a lamp ("Mast 12"): without them nothing is taken. At most eight
 * letters and digits, as the Fahrzeug-Zulassungsverordnung allows.
 */
const GERMAN = /(?<![\p{L}\d-])([A-ZÄÖÜ]{1,3})(?:[ \t]?-[ \t]?|[ \t])([A-Z]{1,2})(?:[ \t]?-[ \t]?|[ \t])?(\d{1,4})([EH])?(?![\p{L}\d])/gu;
/** After a word like "Kennzeichen" any plate-like token counts: no separator ("KNAB123"), Swiss "TG 12345". */
const CUED =
  /(?:[Kk]ennzeichen|[Kk]ennz\.|[Nn]ummernschild|Kfz-Nr\.?|amtl\.\s*Kz\.?)\s*:?\s*(?:„|"|')?([A-ZÄÖÜ]{1,3}(?:[ \t]?-[ \t]?|[ \t])?(?:[A-Z]{1,2}(?:[ \t]?-[ \t]?|[ \t])?)?\d{1,6}[EH]?)(?![\p{L}\d])/gu;

/** Capitalised words and abbreviations that look like a district code in shouted text or notes. */
const NOT_A_DISTRICT = new Set(
  'AM AN AUF AUS BEI BIS CA DAS DEM DEN DER DES DG DIE EG EIN ER ES FAX ICH IM IN IST JA KM MIT NR OG OB PLZ SO STR TEL UG UM UND VOM VON VOR VZ WIR ZU ZUM ZUR'.split(
    ' ',
  ),
);

export const findPlates: Finder = (text) => {
  const found: Span[] = [];
  for (const m of text.matchAll(GERMAN)) {
    const [whole, district = '', letters = '', digits = ''] = m;
    if (NOT_A_DISTRICT.has(district)) continue;
    if (district.length + letters.length + digits.length > 8) continue;
    found.push({ kind: 'plate', start: m.index, end: m.index + whole.length });
  }
  for (const m of text.matchAll(CUED)) {
    const plate = m[1] ?? '';
    const start = m.index + m[0].length - plate.length;
    if (found.some((f) => f.start < start + plate.length && start < f.end)) continue;
    found.push({ kind: 'plate', start, end: start + plate.length });
  }
  return found;
};
