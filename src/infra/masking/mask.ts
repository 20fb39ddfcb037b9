import type { TextMask } from '../schema/index.ts';
import { findEmails, findPhones, findUrls } from './contact.ts';
import { findHouseNumbers } from './house-number.ts';
import { findIbans } from './iban.ts';
import { findHonorificNames, findKnownNames, findNamePairs, findSignatureNames } from './names.ts';
import { findPlates } from './plate.ts';
import type { Finder, Span } from './span.ts';

/**
 * The one privacy filter for free text that becomes public: finds personal data, returns the
 * spans (for staff, who may unmask a false hit) and the text with them replaced. Every public text
 * (a published case, a public answer, the duplicate offer's excerpt) goes through here. Each finder
 * lives in its own file; what they catch and miss is measured by bench/pii-eval.ts.
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

/** IBANs before phones: where both match, the earlier start wins the merge and an IBAN starts with its country. */
const FINDERS: Finder[] = [
  findEmails,
  findUrls,
  findIbans,
  findPhones,
  findPlates,
  findHouseNumbers,
  findKnownNames,
  findHonorificNames,
  findSignatureNames,
  findNamePairs,
];

/** Overlapping hits become one (the earliest start wins, the span grows to cover both). */
function merge(spans: Span[]): TextMask[] {
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
