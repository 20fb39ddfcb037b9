import type { DbOrTx } from '../../infra/db.ts';
import { maskPersonalData } from '../../infra/masking/mask.ts';
import { publicExcerpt, shorten } from '../transparency/public-excerpt.ts';
import type { DuplicateCandidate } from './detect.ts';

/**
 * Someone else's report, as the citizen offered to follow it may see it: its text and place
 * replaced by the public excerpt (the public projection's, or the one masker's with the
 * reporter's name), so the offer page never holds what the first reporter typed word for word.
 */
export async function publicCandidates(db: DbOrTx, candidates: DuplicateCandidate[]): Promise<DuplicateCandidate[]> {
  const out: DuplicateCandidate[] = [];
  for (const c of candidates) {
    const excerpt = await publicExcerpt(db, c.id);
    if (excerpt) out.push({ ...c, description: excerpt.text, locationText: excerpt.locationText });
  }
  return out;
}

/** A place or text of a case shown to a follower: masked by the one masker, shortened. */
export function publicPlace(text: string, max = 80): string {
  return shorten(maskPersonalData(text).text, max);
}
