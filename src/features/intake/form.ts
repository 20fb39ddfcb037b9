import { z } from 'zod';
import { fieldErrors } from '../../infra/errors.ts';
import { caseTypes } from '../../infra/schema/index.ts';
import { singleLine } from '../../infra/text-input.ts';
import { LIMITS } from './inbound.ts';

/** The type radio: the five case types plus "Weiß nicht", which leaves the decision to the Leitstelle. */
export const typeChoices = [...caseTypes, 'unknown'] as const;

/** What the form fields were, as strings, so the page can come back with everything entered. */
export interface ReportFormValues {
  description: string;
  type: string;
  categoryId: string;
  locationText: string;
  lat: string;
  lon: string;
  reporterName: string;
  reporterEmail: string;
  consent: boolean;
  nonce: string;
}

export const emptyForm = (nonce: string): ReportFormValues => ({
  description: '',
  type: 'unknown',
  categoryId: '',
  locationText: '',
  lat: '',
  lon: '',
  reporterName: '',
  reporterEmail: '',
  consent: false,
  nonce,
});

/** A field that arrived twice (crafted request) is rejected rather than silently picking one. */
const line = (max: number, tooLong: string, subject: string) =>
  z
    .string({ message: 'Dieses Feld wurde mehrfach oder in falscher Form gesendet.' })
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

export const reportFormSchema = z
  .object({
    description: z
      .string({ message: 'Bitte beschreiben Sie kurz Ihr Anliegen.' })
      .trim()
      .min(1, 'Bitte beschreiben Sie kurz Ihr Anliegen.')
      .max(LIMITS.description, `Bitte fassen Sie sich etwas kürzer (höchstens ${LIMITS.description} Zeichen).`),
    type: z
      .enum(typeChoices, { message: 'Bitte wählen Sie eine der angebotenen Arten – oder „Weiß nicht“.' })
      .optional()
      .transform((v) => (v && v !== 'unknown' ? v : null)),
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
    locationText: line(LIMITS.location, `Die Ortsangabe ist zu lang (höchstens ${LIMITS.location} Zeichen).`, 'Die Ortsangabe'),
    lat: coordinate(-90, 90, 'Breite'),
    lon: coordinate(-180, 180, 'Länge'),
    reporterName: line(LIMITS.name, `Der Name ist zu lang (höchstens ${LIMITS.name} Zeichen).`, 'Der Name'),
    reporterEmail: z
      .string({ message: 'Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@beispiel.de.' })
      .trim()
      .max(LIMITS.email, 'Die E-Mail-Adresse ist zu lang.')
      .superRefine(singleLine('Die E-Mail-Adresse'))
      .optional()
      .transform((v) => (v ? v.toLowerCase() : null))
      .pipe(z.email({ message: 'Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@beispiel.de.' }).nullable()),
    consent: z.literal('yes', {
      message: 'Bitte stimmen Sie der Verarbeitung Ihrer Angaben zu, damit wir Ihr Anliegen bearbeiten können.',
    }),
    nonce: z.string().regex(/^[A-Za-z0-9_-]{22,64}$/, 'Das Formular ist unvollständig angekommen. Bitte senden Sie es noch einmal.'),
  })
  .superRefine((v, ctx) => {
    // A pin is a pair; one half alone means the map script broke, so ask for a new pin.
    if ((v.lat === null) !== (v.lon === null)) {
      ctx.addIssue({
        code: 'custom',
        path: ['lat'],
        message: 'Der Kartenpunkt ist unvollständig. Bitte setzen Sie die Markierung neu oder entfernen Sie sie.',
      });
    }
  });

export type ReportForm = z.output<typeof reportFormSchema>;

/** Where a message shows: pin errors at the map block, a broken nonce at the top of the form. */
const errorAnchor: Record<string, string> = { lat: 'pin', lon: 'pin', nonce: 'form' };

/** Field (anchor id on the page) → first German message. */
export const reportFieldErrors = (error: z.ZodError) => fieldErrors(error, { anchors: errorAnchor });

/** Pulls the text fields out of a multipart body as strings for re-display (files are dropped). */
export function formValues(body: Record<string, unknown>, nonce: string): ReportFormValues {
  const str = (k: string) => {
    const v = body[k];
    return typeof v === 'string' ? v : '';
  };
  return {
    description: str('description'),
    type: str('type') || 'unknown',
    categoryId: str('categoryId'),
    locationText: str('locationText'),
    lat: str('lat'),
    lon: str('lon'),
    reporterName: str('reporterName'),
    reporterEmail: str('reporterEmail'),
    consent: body.consent === 'yes',
    nonce,
  };
}

/**
 * File fields arrive as Buffer (one file) or Buffer[] (several) with attachFieldsToBody
 * 'keyValues'. A browser sends an empty part when no file was chosen, so empty buffers are dropped.
 */
export function uploadedFiles(value: unknown): Buffer[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((v): v is Buffer => Buffer.isBuffer(v) && v.length > 0);
}
