import type { DbOrTx } from '../../infra/db.ts';
import { maskPersonalData } from '../../infra/masking/mask.ts';
import { caseForProjection, knownNamesOf } from './projection/facts.ts';
import { publicCaseById } from './projection/read.ts';

/** How much of someone else's report a citizen sees when offered to follow it. */
export const EXCERPT_LENGTH = 120;
export const PLACE_EXCERPT_LENGTH = 80;

/** The start of a text, cut at a word: enough to recognise "the same street lamp", not to read a story. */
export function shorten(text: string, max = EXCERPT_LENGTH): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,.;:–-]+$/, '')} …`;
}

/**
 * What a stranger may read of a report ("Das wurde schon gemeldet"): a published case's public
 * text and place as the projection holds them (staff reviewed them); otherwise the one masker's
 * output with the reporter's and followers' names, shortened.
 */
export async function publicExcerpt(db: DbOrTx, caseId: number): Promise<{ text: string; locationText: string | null } | null> {
  const shown = await publicCaseById(db, caseId);
  if (shown) {
    return {
      text: shorten(shown.text),
      locationText: shown.locationText === null ? null : shorten(shown.locationText, PLACE_EXCERPT_LENGTH),
    };
  }
  const kase = await caseForProjection(db, caseId);
  if (!kase) return null;
  const opts = { knownNames: await knownNamesOf(db, kase), maskHouseNumbers: kase.maskHouseNumbers ?? false };
  return {
    text: shorten(maskPersonalData(kase.description, opts).text),
    locationText: kase.locationText === null ? null : shorten(maskPersonalData(kase.locationText, opts).text, PLACE_EXCERPT_LENGTH),
  };
}
