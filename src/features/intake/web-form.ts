import type { Db } from '../../infra/db.ts';
import { invalid } from '../../infra/errors.ts';
import type { ReportForm } from './form.ts';
import type { Inbound, StoredPhoto } from './inbound.ts';
import { type GpsPoint, processAndStorePhotos } from './photos.ts';
import { isActiveCategory } from './queries.ts';
import { type IntakeDeps, type IntakeResult, receive } from './service.ts';

/**
 * The web form as a channel: it turns a validated form into the common inbound shape and hands it
 * to the one intake pipeline, like the mail channel does with a mail. Photos are processed first;
 * their GPS position becomes the location only when the citizen set no pin themselves.
 */
export async function submitWebReport(deps: IntakeDeps, form: ReportForm, uploads: Buffer[]): Promise<IntakeResult> {
  await assertActiveCategory(deps.db, form.categoryId);
  const { photos, gps } = await processAndStorePhotos(deps.storage, uploads);
  return receive(deps, webInbound(form, photos, gps, deps.clock.now()));
}

export async function assertActiveCategory(db: Db, categoryId: number | null): Promise<void> {
  if (categoryId !== null && !(await isActiveCategory(db, categoryId))) {
    const message = 'Diese Kategorie gibt es nicht mehr. Bitte wählen Sie eine andere – oder keine.';
    throw invalid(message, { categoryId: message });
  }
}

/** The web form's fields as the common inbound shape; the pin wins over a photo's GPS position. */
export function webInbound(form: ReportForm, photos: StoredPhoto[], gps: GpsPoint | null, consentAt: Date): Inbound {
  const pinned = form.lat !== null && form.lon !== null;
  const location = pinned ? { lat: form.lat, lon: form.lon } : gps ? { lat: gps.lat, lon: gps.lon } : { lat: null, lon: null };
  return {
    channel: 'web',
    externalId: `web:${form.nonce}`,
    type: form.type,
    categoryId: form.categoryId,
    description: form.description,
    locationText: form.locationText,
    ...location,
    locationSource: pinned ? 'citizen' : gps ? 'photo' : null,
    reporterName: form.reporterName,
    reporterEmail: form.reporterEmail,
    consentAt,
    photos,
  };
}
