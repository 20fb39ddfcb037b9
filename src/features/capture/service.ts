import type { Inbound, InboundContact } from '../intake/inbound.ts';
import { type IntakeDeps, type IntakeResult, receive } from '../intake/service.ts';
import { assertActiveCategory } from '../intake/web-form.ts';
import type { CaptureForm } from './form.ts';

/** The external id of a captured item: the form nonce, so a double submit makes one case. */
export const captureExternalId = (nonce: string) => `capture:${nonce}`;

/**
 * The capture form as a channel: what a clerk took down on the phone, at the counter or from a
 * letter or fax goes through the one intake pipeline like any other message.
 */
export async function submitCapture(deps: IntakeDeps, form: CaptureForm): Promise<IntakeResult> {
  await assertActiveCategory(deps.db, form.categoryId);
  return receive(deps, captureInbound(form));
}

/**
 * The form's fields as the common inbound shape. Answers go where the citizen asked for them: a
 * letter when "Antwort per Brief" is ticked, else mail when they gave an address, else the phone;
 * the other ways to reach them are kept as further contacts of the same person. The postal
 * address is stored only when a letter is wanted.
 */
export function captureInbound(form: CaptureForm): Inbound {
  const name = form.reporterName;
  const postal: InboundContact | null =
    form.letterReply && form.postalStreet && form.postalCity
      ? { kind: 'postal', address: `${form.postalStreet}\n${form.postalCity}`, displayName: form.postalName ?? name }
      : null;
  const email: InboundContact | null = form.reporterEmail ? { kind: 'email', address: form.reporterEmail, displayName: name } : null;
  const phone: InboundContact | null = form.reporterPhone ? { kind: 'phone', address: form.reporterPhone, displayName: name } : null;
  const [contact = null, ...moreContacts] = [postal, email, phone].filter((c): c is InboundContact => c !== null);
  const pinned = form.lat !== null && form.lon !== null;
  return {
    channel: form.channel,
    externalId: captureExternalId(form.nonce),
    type: form.type,
    categoryId: form.categoryId,
    description: form.description,
    locationText: form.locationText,
    lat: pinned ? form.lat : null,
    lon: pinned ? form.lon : null,
    locationSource: pinned ? 'citizen' : null,
    reporterName: name ?? form.postalName,
    reporterEmail: form.reporterEmail,
    contact,
    moreContacts,
    callbackRequested: form.callback,
    // Taken down by staff: no online consent; the clerk informs the caller (Art. 13 DSGVO hint on the form).
    consentAt: null,
  };
}
