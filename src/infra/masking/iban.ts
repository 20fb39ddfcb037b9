import type { Finder, Span } from './span.ts';

/** IBAN length per country (ISO 13616 registry): a candidate is cut to its country's length. */
const IBAN_LENGTH: ReadonlyMap<string, number> = new Map(
  `AD24 AT20 BE16 BG22 CH21 CY28 CZ24 DE22 DK18 EE20 ES24 FI18 FR27 GB22 GR27 HR21 HU28 IE22 IS26 IT27 LI21 LT20 LU20 LV21
  MC27 MT31 NL18 NO15 PL28 PT25 RO24 SE24 SI19 SK24 SM27 TR26`
    .split(/\s+/)
    .map((c) => [c.slice(0, 2), Number(c.slice(2))]),
);

/** Country, check digits, then groups of letters and digits, with or without single spaces. */
const CANDIDATE = /(?<![A-Za-z0-9])([A-Z]{2})[ ]?(\d{2})((?:[ ]?[A-Z0-9]){11,30})/g;

/** ISO 7064 mod 97-10: the rearranged IBAN read as a number leaves 1. */
export function ibanChecksumValid(iban: string): boolean {
  const s = iban.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(s)) return false;
  let rest = 0;
  for (const ch of s.slice(4) + s.slice(0, 4)) {
    const v = ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) rest = (rest * 10 + Number(d)) % 97;
  }
  return rest === 1;
}

/** Offset just past the n-th letter or digit from `from`, skipping spaces. */
function endAfter(text: string, from: number, n: number): number {
  let seen = 0;
  let at = from;
  while (at < text.length && seen < n) {
    if (text[at] !== ' ') seen++;
    at++;
  }
  return at;
}

/**
 * IBANs of any listed country, printed in groups or in one piece. Only a valid checksum counts, so
 * a long order or meter number is not taken for one (a random string passes with 1 in 97).
 */
export const findIbans: Finder = (text) => {
  const found: Span[] = [];
  const re = new RegExp(CANDIDATE.source, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const country = m[1] ?? '';
    const compact = m[0].replace(/ /g, '');
    // Without a hit, the next candidate may start inside this one ("NR 12 DE89…").
    re.lastIndex = m.index + 1;
    const known = IBAN_LENGTH.get(country);
    const lengths = known ? [known] : Array.from({ length: compact.length - 14 }, (_, i) => compact.length - i);
    for (const len of lengths) {
      if (compact.length < len) continue;
      const end = endAfter(text, m.index, len);
      // The IBAN must end where a group ends, not inside a longer run of letters and digits.
      if (/[A-Za-z0-9]/.test(text[end] ?? '')) continue;
      if (ibanChecksumValid(compact.slice(0, len))) {
        found.push({ kind: 'iban', start: m.index, end });
        // The candidate may have run on into the next IBAN: look again right after this one.
        re.lastIndex = end;
        break;
      }
    }
  }
  return found;
};
