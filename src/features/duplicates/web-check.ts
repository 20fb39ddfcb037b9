import type { ReportForm } from '../intake/form.ts';
import type { StoredPhoto } from '../intake/inbound.ts';
import { type GpsPoint, processAndStorePhotos } from '../intake/photos.ts';
import { type IntakeResult, receive } from '../intake/service.ts';
import { assertActiveCategory, webInbound } from '../intake/web-form.ts';
import type { DuplicatesDeps } from './deps.ts';
import { type DuplicateCandidate, findDuplicateCandidates } from './detect.ts';
import { dropDraft, forgetDraft, saveDraft } from './drafts.ts';
import { followExternalId } from './follow-service.ts';
import { publicCandidates } from './public-text.ts';
import { caseByExternalId, findDraft, followerByExternalId } from './queries.ts';

export type WebOutcome =
  | { kind: 'stored'; result: IntakeResult }
  /** Similar open reports exist: the citizen decides before anything is created. */
  | { kind: 'offer'; candidates: DuplicateCandidate[]; photoCount: number; locationFromPhoto: boolean }
  /** This very form was already used to follow a report (double submit, back button). */
  | { kind: 'following'; token: string };

/**
 * The web form with its duplicate check in front of the intake pipeline. The check needs what
 * only the citizen can answer ("is this yours?"), so it runs here, before `receive`, and only when
 * a category and a location (pin or photo GPS) are known; otherwise this is exactly the old path.
 * `checkDuplicates: false` is "Trotzdem neu melden". Photos of a paused report wait in a draft
 * keyed by the form nonce, so the citizen need not choose them again.
 */
export async function submitWebReportChecked(
  deps: DuplicatesDeps,
  form: ReportForm,
  uploads: Buffer[],
  opts: { checkDuplicates: boolean },
): Promise<WebOutcome> {
  await assertActiveCategory(deps.db, form.categoryId);
  const mayOffer = opts.checkDuplicates && form.categoryId !== null;
  // Without a category nothing can be offered and without a pause there is no draft: skip the lookups.
  const draft = mayOffer || !opts.checkDuplicates ? await findDraft(deps.db, form.nonce) : null;
  let photos: StoredPhoto[];
  let gps: GpsPoint | null;
  if (uploads.length > 0 || !draft) ({ photos, gps } = await processAndStorePhotos(deps.storage, uploads));
  else {
    photos = draft.photos;
    gps = draft.gpsLat !== null && draft.gpsLon !== null ? { lat: draft.gpsLat, lon: draft.gpsLon } : null;
  }

  const inbound = webInbound(form, photos, gps, deps.clock.now());
  if (mayOffer && form.categoryId !== null && inbound.lat != null && inbound.lon != null) {
    const offer = await offerFor(deps, form, { categoryId: form.categoryId, lat: inbound.lat, lon: inbound.lon });
    if (offer.kind === 'following') return offer;
    if (offer.kind === 'offer' && offer.candidates.length > 0) {
      await saveDraft(deps, form.nonce, photos, gps);
      return { kind: 'offer', candidates: offer.candidates, photoCount: photos.length, locationFromPhoto: form.lat === null };
    }
  }
  try {
    return { kind: 'stored', result: await receive(deps, inbound) };
  } finally {
    // Draft photos that were used now belong to the case (or intake removed them on failure): only the
    // row goes. Draft photos replaced by a new upload are nobody's: their files go too.
    if (draft) await (uploads.length > 0 ? dropDraft(deps, form.nonce) : forgetDraft(deps.db, form.nonce));
  }
}

async function offerFor(
  deps: DuplicatesDeps,
  form: ReportForm,
  at: { categoryId: number; lat: number; lon: number },
): Promise<{ kind: 'following'; token: string } | { kind: 'offer'; candidates: DuplicateCandidate[] } | { kind: 'none' }> {
  // A form already used (case created or report followed) must not be offered its own result.
  if (await caseByExternalId(deps.db, `web:${form.nonce}`)) return { kind: 'none' };
  const token = await followerByExternalId(deps.db, followExternalId(form.nonce));
  if (token) return { kind: 'following', token };
  const candidates = await findDuplicateCandidates(deps.db, { ...at, text: form.description, now: deps.clock.now() });
  return { kind: 'offer', candidates: await publicCandidates(deps.db, candidates) };
}
