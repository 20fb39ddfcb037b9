import { DateTime } from 'luxon';
import { z } from 'zod';
import { type PostKind, postKinds } from '../../../infra/schema/index.ts';
import { singleLine, validText } from '../../../infra/text-input.ts';

export const TITLE_MAX = 200;
export const BODY_MAX = 20_000;
export const TAG_MAX = 40;
export const ALT_MAX = 1000;
const ZONE = 'Europe/Berlin';

export const kindLabels: Record<PostKind, string> = {
  news: 'Nachricht',
  notice: 'Amtliche Bekanntmachung',
  council: 'Vorlage erklärt',
  rule: 'Neue Regel erklärt',
  portrait: 'Mitarbeiterporträt',
  event: 'Termin/Veranstaltung',
};

const optionalLine = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `„${label}“ darf höchstens ${max} Zeichen lang sein.`)
    .superRefine(singleLine(`„${label}“`))
    .optional()
    .transform((v) => (v ? v : null));

/** "2026-03-05T14:00" from a datetime-local field, read in the town's time zone. */
export function parseLocalDateTime(value: string): Date | null {
  const d = DateTime.fromISO(value, { zone: ZONE });
  return d.isValid && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value) ? d.toJSDate() : null;
}

/** The value a datetime-local field shows for an instant. */
export function localDateTimeValue(d: Date | null): string {
  return d ? DateTime.fromJSDate(d, { zone: ZONE }).toFormat("yyyy-LL-dd'T'HH:mm") : '';
}

const localDateTime = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return null;
      const d = parseLocalDateTime(v);
      if (!d) ctx.addIssue({ code: 'custom', message: `Bitte geben Sie „${label}“ als Datum mit Uhrzeit an.` });
      return d;
    });

/** The fields of a post as the editor sends them (targets and photos are read separately). */
export const postFormSchema = z
  .object({
    kind: z.enum(postKinds, { message: 'Bitte wählen Sie die Art des Beitrags.' }),
    title: z
      .string({ message: 'Bitte geben Sie einen Titel an.' })
      .trim()
      .min(1, 'Bitte geben Sie einen Titel an.')
      .max(TITLE_MAX, `Der Titel darf höchstens ${TITLE_MAX} Zeichen lang sein.`)
      .superRefine(singleLine('Der Titel')),
    body: z
      .string()
      .max(BODY_MAX, `Der Text darf höchstens ${BODY_MAX.toLocaleString('de-DE')} Zeichen lang sein.`)
      .superRefine(validText('Text'))
      .default('')
      .transform((v) => v.replace(/\r\n?/g, '\n').trim()),
    tags: z
      .string()
      .default('')
      .transform((v, ctx) => {
        const tags = [
          ...new Set(
            v
              .split(',')
              .map((t) => t.trim().replace(/^#/, ''))
              .filter(Boolean),
          ),
        ];
        if (tags.some((t) => t.length > TAG_MAX || !/^[\p{L}\p{N}_-]+$/u.test(t))) {
          ctx.addIssue({
            code: 'custom',
            message: `Schlagwörter bitte ohne Leerzeichen, mit Komma getrennt, höchstens ${TAG_MAX} Zeichen.`,
          });
        }
        return tags.slice(0, 20);
      }),
    locationText: optionalLine('Ort', 200),
    eventStartsAt: localDateTime('Beginn'),
    eventEndsAt: localDateTime('Ende'),
    eventPlace: optionalLine('Veranstaltungsort', 200),
    councilDocumentName: optionalLine('Name der Vorlage', 200),
    councilDocumentUrl: z
      .string()
      .trim()
      .optional()
      .transform((v, ctx) => {
        if (!v) return null;
        if (!/^https?:\/\/[^\s]+$/.test(v) || !URL.canParse(v) || v.length > 500) {
          ctx.addIssue({ code: 'custom', message: 'Bitte geben Sie die Adresse der Vorlage vollständig an (https://…).' });
        }
        return v;
      }),
    portraitPerson: optionalLine('Porträtierte Person', 120),
    portraitConsent: z.literal('yes').optional(),
  })
  .superRefine((v, ctx) => {
    const need = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (v.kind === 'event' && !v.eventStartsAt) need('eventStartsAt', 'Bitte geben Sie an, wann der Termin beginnt.');
    if (v.eventStartsAt && v.eventEndsAt && v.eventEndsAt < v.eventStartsAt) need('eventEndsAt', 'Das Ende liegt vor dem Beginn.');
    if (v.kind === 'council' && (!v.councilDocumentName || !v.councilDocumentUrl)) {
      need('councilDocumentName', 'Bitte nennen Sie die Vorlage mit Namen und Adresse im Ratsinformationssystem.');
    }
  });
export type PostForm = z.output<typeof postFormSchema>;

/** A comment on a draft. */
export const commentSchema = z.object({
  body: z
    .string({ message: 'Bitte schreiben Sie einen Kommentar.' })
    .trim()
    .min(1, 'Bitte schreiben Sie einen Kommentar.')
    .max(2000, 'Ein Kommentar darf höchstens 2.000 Zeichen lang sein.')
    .superRefine(validText('Kommentar')),
});

/** The version the form was loaded with (optimistic locking). */
export const versionOf = (raw: unknown): number => {
  const v = typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
  return Number.isFinite(v) ? v : -1;
};
