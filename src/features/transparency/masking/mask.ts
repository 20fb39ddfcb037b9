import type { TextMask } from '../../../infra/schema/index.ts';

/**
 * The one privacy filter for free text that becomes public: finds personal data, returns the
 * spans (for staff, who may unmask a false hit) and the text with them replaced. Every public text
 * (a published case, a public answer, the duplicate offer's excerpt) goes through here.
 */
export interface MaskOptions {
  /** The reporter's own name(s) as they gave it: always masked. */
  knownNames?: readonly string[];
  /** The category asks to hide house numbers (private addresses). */
  maskHouseNumbers?: boolean;
}

export interface MaskResult {
  text: string;
  masks: TextMask[];
}

/** What replaces a masked span, by kind. */
export const MASK_LABELS: Record<TextMask['kind'], string> = {
  email: '[E-Mail entfernt]',
  phone: '[Telefon entfernt]',
  iban: '[IBAN entfernt]',
  plate: '[Kennzeichen entfernt]',
  house_number: '[Hausnummer entfernt]',
  name: '[Name entfernt]',
  url: '[Link entfernt]',
};

type Finder = (text: string, opts: MaskOptions) => Array<Omit<TextMask, 'unmasked'>>;

const EMAIL = /[^\s@<>()[\]]+@[^\s@<>()[\]]+\.[^\s@<>()[\].,;:!?]+/g;
const URL = /\b(?:https?:\/\/|www\.)[^\s<>]+[^\s<>.,;:!?)]/gi;
/** Six or more digits, possibly split by spaces, slashes, dots or dashes, optionally with +49: a phone number. */
const PHONE = /(?:\+\d{1,3}[\s/.-]*)?\(?\d[\d\s/.()-]{4,}\d/g;

function matches(re: RegExp, kind: TextMask['kind'], keep: (m: string) => boolean = () => true): Finder {
  return (text) => [...text.matchAll(re)].filter((m) => keep(m[0])).map((m) => ({ kind, start: m.index, end: m.index + m[0].length }));
}

function knownNames(text: string, opts: MaskOptions): Array<Omit<TextMask, 'unmasked'>> {
  const found: Array<Omit<TextMask, 'unmasked'>> = [];
  const lower = text.toLocaleLowerCase('de');
  for (const full of opts.knownNames ?? []) {
    // The whole name and each part of three letters or more ("Erika Mustermann" → "Mustermann").
    for (const part of new Set([full, ...full.split(/\s+/)].map((p) => p.trim()).filter((p) => p.length >= 3))) {
      const needle = part.toLocaleLowerCase('de');
      for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + needle.length)) {
        const before = lower[at - 1] ?? ' ';
        const after = lower[at + needle.length] ?? ' ';
        if (!/\p{L}/u.test(before) && !/\p{L}/u.test(after)) found.push({ kind: 'name', start: at, end: at + needle.length });
      }
    }
  }
  return found;
}

const FINDERS: Finder[] = [
  matches(EMAIL, 'email'),
  matches(URL, 'url'),
  matches(PHONE, 'phone', (m) => m.replace(/\D/g, '').length >= 6),
  knownNames,
];

/** Overlapping hits become one (the earliest start wins, the span grows to cover both). */
function merge(spans: Array<Omit<TextMask, 'unmasked'>>): TextMask[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: TextMask[] = [];
  for (const s of sorted) {
    const last = out.at(-1);
    if (last && s.start < last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

/** The spans of personal data in a text, without changing it. */
export function findPersonalData(text: string, opts: MaskOptions = {}): TextMask[] {
  return merge(FINDERS.flatMap((find) => find(text, opts)));
}

/** The text with every mask that staff did not unmask replaced by its label. */
export function applyMasks(text: string, masks: readonly TextMask[]): string {
  let out = '';
  let at = 0;
  for (const m of [...masks].sort((a, b) => a.start - b.start)) {
    if (m.unmasked || m.start < at) continue;
    out += text.slice(at, m.start) + MASK_LABELS[m.kind];
    at = m.end;
  }
  return out + text.slice(at);
}

export function maskPersonalData(text: string, opts: MaskOptions = {}): MaskResult {
  const masks = findPersonalData(text, opts);
  return { text: applyMasks(text, masks), masks };
}
