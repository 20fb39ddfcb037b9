import type { DbOrTx } from '../../infra/db.ts';
import type { Point } from '../../infra/geo.ts';
import type { DraftPhoto } from '../../infra/schema/index.ts';
import type { ReportForm } from '../intake/form.ts';
import { removeStoredPhotos } from '../intake/photos.ts';
import type { DuplicatesDeps } from './deps.ts';
import { deleteDrafts, findDraft, upsertDraft } from './queries.ts';

/** Long enough to read the offer and decide over lunch; short enough that nobody's photos linger. */
export const DRAFT_TTL_MS = 24 * 60 * 60 * 1000;

/** The pin if the citizen set one, else the GPS position of their photos kept in the draft. */
export async function draftLocation(db: DbOrTx, form: ReportForm): Promise<(Point & { fromPhoto: boolean }) | null> {
  if (form.lat !== null && form.lon !== null) return { lat: form.lat, lon: form.lon, fromPhoto: false };
  const draft = await findDraft(db, form.nonce);
  if (draft?.gpsLat != null && draft.gpsLon != null) return { lat: draft.gpsLat, lon: draft.gpsLon, fromPhoto: true };
  return null;
}

/**
 * Keeps the processed photos while the citizen decides. A new upload for the same nonce replaces
 * the old one (its files go). Drafts older than a day go by the hourly sweep (sweepDrafts).
 */
export async function saveDraft(deps: DuplicatesDeps, nonce: string, photos: DraftPhoto[], gps: Point | null): Promise<void> {
  const now = deps.clock.now();
  const previous = await findDraft(deps.db, nonce);
  await upsertDraft(deps.db, { nonce, photos, gpsLat: gps?.lat ?? null, gpsLon: gps?.lon ?? null, createdAt: now });
  if (previous) {
    const kept = new Set(photos.map((p) => p.storageKey));
    await removeStoredPhotos(
      deps,
      previous.photos.filter((p) => !kept.has(p.storageKey)),
    );
  }
}

/**
 * Drafts older than a day go with their photos, hourly by the job `duplicates.sweep-drafts`, so photos of an abandoned report never outlive the promise on the
 * offer page ("bis morgen"), even in a quiet week. Returns how many drafts went.
 */
export async function sweepDrafts(deps: Pick<DuplicatesDeps, 'db' | 'storage' | 'log' | 'clock'>): Promise<number> {
  const stale = await deleteDrafts(deps.db, { olderThan: new Date(deps.clock.now().getTime() - DRAFT_TTL_MS) });
  for (const d of stale) await removeStoredPhotos(deps, d.photos);
  return stale.length;
}

/** The citizen followed instead of reporting: the draft and its photos go. */
export async function dropDraft(deps: Pick<DuplicatesDeps, 'db' | 'storage' | 'log'>, nonce: string): Promise<void> {
  for (const d of await deleteDrafts(deps.db, { nonce })) await removeStoredPhotos(deps, d.photos);
}

/** The photos became part of a case (or intake already removed them): only the row goes. */
export async function forgetDraft(db: DbOrTx, nonce: string): Promise<void> {
  await deleteDrafts(db, { nonce });
}
