import { findPersonalData, type MaskOptions } from '../../../infra/masking/mask.ts';
import type { TextMask } from '../../../infra/schema/index.ts';

/**
 * What staff do with the masks of a public text, on top of the one masker (infra/masking/mask.ts): the
 * masker finds, these keep staff decisions (unmasked false hits, names they masked by hand) when
 * the text is edited or a new name becomes known.
 */

const overlaps = (a: TextMask, b: TextMask) => a.start < b.end && b.start < a.end;

/** `extra` joins `base` where it does not touch a mask already there (base wins). */
function union(base: readonly TextMask[], extra: readonly TextMask[]): TextMask[] {
  const out = [...base];
  for (const m of extra) if (!out.some((o) => overlaps(o, m))) out.push(m);
  return out.sort((a, b) => a.start - b.start);
}

/** Every place a term occurs (ignoring case), not inside a longer word. */
function occurrences(text: string, term: string): Array<{ start: number; end: number }> {
  const needle = term.toLocaleLowerCase('de');
  const hay = text.toLocaleLowerCase('de');
  const found: Array<{ start: number; end: number }> = [];
  if (needle.length === 0) return found;
  for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + needle.length)) {
    const before = hay[at - 1] ?? ' ';
    const after = hay[at + needle.length] ?? ' ';
    if (!/[\p{L}\p{N}]/u.test(before) && !/[\p{L}\p{N}]/u.test(after)) found.push({ start: at, end: at + needle.length });
  }
  return found;
}

/**
 * Masks for a (new or edited) text: what the masker finds, plus every earlier decision carried over
 * by its words. A span staff unmasked stays unmasked wherever those words occur again; a span that
 * was masked (found or by hand) stays masked.
 */
export function masksFor(text: string, opts: MaskOptions, before?: { text: string; masks: readonly TextMask[] }): TextMask[] {
  const carried: TextMask[] = [];
  for (const m of before?.masks ?? []) {
    const words = before?.text.slice(m.start, m.end) ?? '';
    for (const at of occurrences(text, words)) carried.push({ kind: m.kind, ...at, ...(m.unmasked ? { unmasked: true } : {}) });
  }
  const found = findPersonalData(text, opts);
  // A found span that staff unmasked before keeps their decision; otherwise masked wins.
  const decided = found.map((f) => {
    const same = carried.find((c) => c.start === f.start && c.end === f.end);
    return same?.unmasked ? { ...f, unmasked: true } : f;
  });
  return union(
    decided,
    carried.filter((c) => !c.unmasked),
  );
}

/** Staff mask words the masker missed (a name, a house): every occurrence, as a name. */
export function maskTerm(text: string, masks: readonly TextMask[], term: string): TextMask[] {
  const extra = occurrences(text, term.trim()).map((at): TextMask => ({ kind: 'name', ...at }));
  // A hand mask over a span that was unmasked replaces it: the newer decision wins.
  const kept = masks.filter((m) => !(m.unmasked && extra.some((e) => overlaps(e, m))));
  return union(kept, extra);
}

/** "Ist kein personenbezogenes Datum" (unmasked) or back to masked, for the mask at that index. */
export function setUnmasked(masks: readonly TextMask[], index: number, unmasked: boolean): TextMask[] | null {
  if (!masks[index]) return null;
  return masks.map((m, i) => {
    if (i !== index) return m;
    const { unmasked: _old, ...rest } = m;
    return unmasked ? { ...rest, unmasked: true } : rest;
  });
}

/** Names that became known later (a follower) are masked in an already reviewed text too. */
export function withNewNames(text: string, masks: readonly TextMask[], opts: MaskOptions): TextMask[] {
  const names = findPersonalData(text, { knownNames: opts.knownNames ?? [] }).filter((m) => m.kind === 'name');
  return union(masks, names);
}
