import { z } from 'zod';
import { fieldErrors } from '../../infra/errors.ts';
import { singleLine } from '../../infra/text-input.ts';
import { typeChoices } from '../intake/form.ts';
import { LIMITS } from '../intake/inbound.ts';

/** The channels a clerk takes down by hand; Telefon first, as most of them are calls. */
export const captureChannels = ['phone', 'walk_in', 'letter', 'fax'] as const;
export type CaptureChannel = (typeof captureChannels)[number];

export const CAPTURE_LIMITS = { phone: 40, street: 120, city: 120 } as const;

/** What the fields were, as strings, so the form comes back with everything typed. */
export interface CaptureFormValues {
  channel: string;
  description: string;
  reporterName: string;
  reporterPhone: string;
  callback: boolean;
  reporterEmail: string;
  locationText: string;
  lat: string;
  lon: string;
  categoryId: string;
  type: string;
  letterReply: boolean;
  postalName: string;
  postalStreet: string;
  postalCity: string;
  nonce: string;
}

export const emptyCaptureForm = (nonce: string): CaptureFormValues => ({
  channel: 'phone',
  description: '',
  reporterName: '',
  reporterPhone: '',
  callback: false,
  reporterEmail: '',
  locationText: '',
  lat: '',
  lon: '',
  categoryId: '',
  type: 'unknown',
  letterReply: false,
  postalName: '',
  postalStreet: '',
  postalCity: '',
  nonce,
});

/** The body's strings as typed; a field sent twice (an array) comes back empty rather than joined. */
export function captureValues(body: Record<string, unknown>, nonce: string): CaptureFormValues {
  const str = (k: string) => {
    const v = body[k];
    return typeof v === 'string' ? v : '';
  };
  return {
    channel: str('channel') || 'phone',
    description: str('description'),
    reporterName: str('reporterName'),
    reporterPhone: str('reporterPhone'),
    callback: body.callback === 'yes',
    reporterEmail: str('reporterEmail'),
    locationText: str('locationText'),
    lat: str('lat'),
    lon: str('lon'),
    categoryId: str('categoryId'),
    type: str('type') || 'unknown',
    letterReply: body.letterReply === 'yes',
    postalName: str('postalName'),
    postalStreet: str('postalStreet'),
    postalCity: str('postalCity'),
    nonce,
  };
}

const TWICE = 'Dieses Feld wurde mehrfach oder in falscher Form gesendet.';

/** An optional single-line field: empty becomes null. */
const line = (max: number, tooLong: string, subject: string) =>
  z
    .string({ message: TWICE })
    .trim()
    .max(max, tooLong)
    .superRefine(singleLine(subject))
    .optional()
    .transform((v) => (v ? v : null));

const coordinate = (min: number, max: number, name: string) =>
  z
    .string({ message: `${name} wurde in falscher Form gesendet.` })
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const n = Number(v);
      if (!/^-?\d{1,3}(\.\d+)?$/.test(v) || !Number.isFinite(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `Die ${name} des Kartenpunkts ist ungültig. Bitte setzen Sie die Markierung neu.` });
        return z.NEVER;
      }
      return n;
    });

const checkbox = z
  .literal('yes', { message: TWICE })
  .optional()
  .transform((v) => v === 'yes');

const PHONE_HINT = 'z. B. 07531 900-123 oder +49 7531 900123';
const POSTCODE_CITY = /^\d{4,5}\s+\S/;

export const captureFormSchema = z
  .object({
    channel: z.enum(captureChannels, { message: 'Bitte wählen Sie, wie das Anliegen kam: Telefon, Vor Ort, Brief oder Fax.' }),
    description: z
      .string({ message: 'Bitte schreiben Sie auf, worum es geht.' })
      .trim()
      .min(1, 'Bitte schreiben Sie auf, worum es geht.')
      .max(LIMITS.description, `Der Text ist zu lang (höchstens ${LIMITS.description} Zeichen). Bitte fassen Sie ihn kürzer.`),
    reporterName: line(LIMITS.name, `Der Name ist zu lang (höchstens ${LIMITS.name} Zeichen).`, 'Der Name'),
    reporterPhone: line(
      CAPTURE_LIMITS.phone,
      `Die Telefonnummer ist zu lang (höchstens ${CAPTURE_LIMITS.phone} Zeichen).`,
      'Die Telefonnummer',
    ).refine((v) => v === null || (/^\+?[0-9 ()/.-]+$/.test(v) && (v.match(/\d/g)?.length ?? 0) >= 3), {
      message: `Bitte geben Sie die Telefonnummer nur mit Ziffern an, ${PHONE_HINT}.`,
    }),
    callback: checkbox,
    reporterEmail: z
      .string({ message: 'Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@beispiel.de.' })
      .trim()
      .max(LIMITS.email, 'Die E-Mail-Adresse ist zu lang.')
      .superRefine(singleLine('Die E-Mail-Adresse'))
      .optional()
      .transform((v) => (v ? v.toLowerCase() : null))
      .pipe(z.email({ message: 'Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@beispiel.de.' }).nullable()),
    locationText: line(LIMITS.location, `Die Ortsangabe ist zu lang (höchstens ${LIMITS.location} Zeichen).`, 'Die Ortsangabe'),
    lat: coordinate(-90, 90, 'Breite'),
    lon: coordinate(-180, 180, 'Länge'),
    categoryId: z
      .string({ message: 'Bitte wählen Sie eine Kategorie aus der Liste.' })
      .optional()
      .transform((v, ctx) => {
        if (!v) return null;
        if (!/^\d{1,9}$/.test(v) || Number(v) < 1) {
          ctx.addIssue({ code: 'custom', message: 'Bitte wählen Sie eine Kategorie aus der Liste.' });
          return z.NEVER;
        }
        return Number(v);
      }),
    type: z
      .enum(typeChoices, { message: 'Bitte wählen Sie eine der angebotenen Arten – oder „Weiß nicht“.' })
      .optional()
      .transform((v) => (v && v !== 'unknown' ? v : null)),
    letterReply: checkbox,
    postalName: line(LIMITS.name, `Der Name ist zu lang (höchstens ${LIMITS.name} Zeichen).`, 'Der Name für den Brief'),
    postalStreet: line(
      CAPTURE_LIMITS.street,
      `Die Straße ist zu lang (höchstens ${CAPTURE_LIMITS.street} Zeichen).`,
      'Straße und Hausnummer',
    ),
    postalCity: line(CAPTURE_LIMITS.city, `Die Angabe ist zu lang (höchstens ${CAPTURE_LIMITS.city} Zeichen).`, 'PLZ und Ort'),
    nonce: z.string().regex(/^[A-Za-z0-9_-]{22,64}$/, 'Das Formular ist unvollständig angekommen. Bitte laden Sie es neu.'),
  })
  .superRefine((v, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (v.callback && v.reporterPhone === null) {
      issue('reporterPhone', 'Für den Rückruf brauchen wir eine Telefonnummer. Bitte tragen Sie sie ein – oder nehmen Sie den Haken weg.');
    }
    if (v.letterReply) {
      if (v.postalName === null)
        issue('postalName', 'Für die Antwort per Brief brauchen wir den Namen der Empfängerin oder des Empfängers.');
      if (v.postalStreet === null) issue('postalStreet', 'Für die Antwort per Brief brauchen wir Straße und Hausnummer.');
      if (v.postalCity === null) issue('postalCity', 'Für die Antwort per Brief brauchen wir Postleitzahl und Ort.');
      else if (!POSTCODE_CITY.test(v.postalCity))
        issue('postalCity', 'Bitte geben Sie Postleitzahl und Ort an, z. B. „78462 Musterstadt“.');
    }
    // A pin is a pair; one half alone means the map script broke, so ask for a new pin.
    if ((v.lat === null) !== (v.lon === null)) {
      issue('lat', 'Der Kartenpunkt ist unvollständig. Bitte setzen Sie die Markierung neu oder entfernen Sie sie.');
    }
  });

export type CaptureForm = z.output<typeof captureFormSchema>;

/** Field (anchor id on the page) → its first German message; pin errors show at the map block. */
export const captureFieldErrors = (error: z.ZodError) =>
  fieldErrors(error, { anchors: { lat: 'pin', lon: 'pin', nonce: 'form', callback: 'callback', letterReply: 'letterReply' } });
