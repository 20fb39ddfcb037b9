import type { DbOrTx } from '../../infra/db.ts';
import { canSeeTeam, type Viewer } from '../cases/access.ts';
import { closedStatuses } from '../cases/labels.ts';
import { publicCaseFacts } from '../transparency/queries.ts';
import { type DuplicateCandidate, findDuplicateCandidates } from './detect.ts';
import { type AdditionalReporter, mergedCasesOf, reportersOf } from './queries.ts';

export interface DuplicatesPanelData {
  /** null: the case cannot have duplicates looked up (closed, merged, no category or no point). */
  candidates: DuplicateCandidate[] | null;
  missing: 'category' | 'location' | null;
  reporters: AdditionalReporter[];
  mergedCases: { number: string }[];
  mergedInto: { number: string } | null;
}

/** What the case page shows about duplicates; candidates are computed on view, limited to what the viewer may see. */
export async function duplicatesPanel(
  db: DbOrTx,
  viewer: Viewer,
  kase: {
    id: number;
    status: string;
    categoryId: number | null;
    lat: number | null;
    lon: number | null;
    description: string;
    mergedIntoId: number | null;
  },
  now: Date,
): Promise<DuplicatesPanelData> {
  const [reporters, mergedCases] = [await reportersOf(db, kase.id), await mergedCasesOf(db, kase.id)];
  const into = kase.mergedIntoId === null ? null : await publicCaseFacts(db, kase.mergedIntoId);
  const open = !closedStatuses.includes(kase.status as (typeof closedStatuses)[number]) && kase.mergedIntoId === null;
  const missing = kase.categoryId === null ? 'category' : kase.lat === null || kase.lon === null ? 'location' : null;
  let candidates: DuplicateCandidate[] | null = null;
  if (open && kase.categoryId !== null && kase.lat !== null && kase.lon !== null) {
    const found = await findDuplicateCandidates(db, {
      categoryId: kase.categoryId,
      lat: kase.lat,
      lon: kase.lon,
      text: kase.description,
      now,
      excludeId: kase.id,
    });
    candidates = found.filter((c) => canSeeTeam(viewer, c.teamId));
  }
  return {
    candidates,
    missing: open ? missing : null,
    reporters,
    mergedCases,
    mergedInto: into ? { number: into.number } : null,
  };
}
