import type { DbOrTx } from '../../infra/db.ts';
import { boundingBox, distanceMeters } from '../../infra/geo.ts';
import type { CaseStatus } from '../../infra/schema/index.ts';
import { categoryRadius, openCasesInBox } from './queries.ts';
import { textSimilarity } from './similarity.ts';

export const DUPLICATE_WINDOW_DAYS = 30;
/** Below this, two texts share nothing worth mentioning (measured on typical reports: unrelated ones score 0–0.05). */
export const MIN_SIMILARITY = 0.1;
export const MAX_CANDIDATES = 3;

export interface DuplicateQuery {
  categoryId: number;
  lat: number;
  lon: number;
  text: string;
  now: Date;
  /** The case itself, when its page asks for its duplicates. */
  excludeId?: number;
  /** Overrides the category's radius (metres). */
  radiusM?: number;
  windowDays?: number;
}

export interface DuplicateCandidate {
  id: number;
  number: string;
  status: CaseStatus;
  description: string;
  locationText: string | null;
  categoryName: string | null;
  createdAt: Date;
  teamId: number | null;
  version: number;
  distanceM: number;
  similarity: number;
  /** Rank: mostly text, partly nearness; 0…1. */
  score: number;
}

/**
 * Open cases of the same category, within the category's radius and the time window, whose text
 * is similar to `text`; best first, at most three. SQL narrows by category, status, age and a
 * lat/lon box; distance and text similarity are computed here on the few rows left.
 */
export async function findDuplicateCandidates(db: DbOrTx, q: DuplicateQuery): Promise<DuplicateCandidate[]> {
  const radiusM = q.radiusM ?? (await categoryRadius(db, q.categoryId));
  const since = new Date(q.now.getTime() - (q.windowDays ?? DUPLICATE_WINDOW_DAYS) * 86_400_000);
  const rows = await openCasesInBox(db, {
    categoryId: q.categoryId,
    box: boundingBox(q, radiusM),
    since,
    excludeId: q.excludeId,
  });
  return rankCandidates(rows, q, radiusM);
}

type Row = Omit<DuplicateCandidate, 'distanceM' | 'similarity' | 'score'> & { lat: number | null; lon: number | null };

/** The pure part: exact distance, similarity, threshold, order. */
export function rankCandidates(rows: Row[], q: Pick<DuplicateQuery, 'lat' | 'lon' | 'text'>, radiusM: number): DuplicateCandidate[] {
  const out: DuplicateCandidate[] = [];
  for (const { lat, lon, ...row } of rows) {
    if (lat === null || lon === null) continue;
    const distanceM = distanceMeters(q, { lat, lon });
    if (distanceM > radiusM) continue;
    const similarity = textSimilarity(q.text, row.description);
    if (similarity < MIN_SIMILARITY) continue;
    const nearness = radiusM > 0 ? 1 - distanceM / radiusM : 1;
    out.push({ ...row, distanceM, similarity, score: 0.6 * similarity + 0.4 * nearness });
  }
  return out.sort((a, b) => b.score - a.score || a.distanceM - b.distanceM).slice(0, MAX_CANDIDATES);
}
