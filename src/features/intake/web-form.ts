import { invalid } from '../../infra/errors.ts';
import type { ReportForm } from './form.ts';
import { processAndStorePhotos } from './photos.ts';
import { isActiveCategory } from './queries.ts';
import { type IntakeDeps, type IntakeResult, receive } from './service.ts';

/**
 * The web form as a channel: it turns a validated form into the common inbound shape and hands it
 * to the one intake pipeline, like the mail channel does with a mail. Photos are processed first;
 * their GPS position becomes the location only when the citizen set no pin themselves.
 */
export async function submitWebReport(deps: IntakeDeps, form: ReportForm, uploads: Buffer[]): Promise<IntakeResult> {
  if (form.categoryId !== null && !(await isActiveCategory(deps.db, form.categoryId))) {
    const message = 'Diese Kategorie gibt es nicht mehr. Bitte wählen Sie eine andere – oder keine.';
    throw invalid(message, { categoryId: message });
  }
  const { photos, gps } = await processAndStorePhotos(deps.storage, uploads);
  const pinned = form.lat !== null && form.lon !== null;
  const location = pinned ? { lat: form.lat, lon: form.lon } : gps ? { lat: gps.lat, lon: gps.lon } : { lat: null, lon: null };
  return receive(deps, {
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
    consentAt: deps.clock.now(),
    photos,
  });
}
