import { z } from 'zod';
import { caseStatuses, caseTypes, priorities, visibilities } from '../../infra/schema/index.ts';

export const TEXT_MAX = 5000;

const version = z.coerce
  .number({ message: 'Die Seite ist veraltet. Bitte laden Sie sie neu.' })
  .int('Die Seite ist veraltet. Bitte laden Sie sie neu.')
  .positive('Die Seite ist veraltet. Bitte laden Sie sie neu.');

/** "" from a select means "none"; anything else must be a row id. */
const optionalRef = (message: string) =>
  z
    .string({ message })
    .regex(/^\d{0,9}$/, message)
    .transform((v) => (v === '' ? null : Number(v)));

const text = (empty: string) =>
  z
    .string({ message: empty })
    .trim()
    .min(1, empty)
    .max(TEXT_MAX, `Bitte fassen Sie sich kürzer: höchstens ${TEXT_MAX.toLocaleString('de-DE')} Zeichen.`);

export const editSchema = z.object({
  version,
  type: z
    .union([z.literal(''), z.enum(caseTypes)], { message: 'Bitte wählen Sie eine Art aus der Liste.' })
    .transform((v) => (v === '' ? null : v)),
  categoryId: optionalRef('Bitte wählen Sie eine Kategorie aus der Liste.'),
  teamId: optionalRef('Bitte wählen Sie ein Team aus der Liste.'),
  priority: z.enum(priorities, { message: 'Bitte wählen Sie eine Priorität aus der Liste.' }),
  status: z.enum(caseStatuses, { message: 'Bitte wählen Sie einen Status aus der Liste.' }),
  /** With a status change: where it went ("weitergeleitet") or why ("abgelehnt"), for the public (masked there). */
  statusNote: z
    .string({ message: 'Bitte geben Sie den Hinweis als Text ein.' })
    .trim()
    .max(500, 'Bitte fassen Sie den Hinweis kürzer: höchstens 500 Zeichen.')
    .optional()
    .transform((v) => (v ? v : null)),
});
// The note is optional for callers besides the form (bulk actions, tests).
export type EditInput = Omit<z.infer<typeof editSchema>, 'statusNote'> & { statusNote?: string | null };

export const assignSchema = z.object({
  version,
  assignee: z
    .string({ message: 'Bitte wählen Sie eine Person aus der Liste.' })
    .regex(/^(ich|niemand|\d{1,9})$/, 'Bitte wählen Sie eine Person aus der Liste.')
    .transform((v) => (v === 'ich' || v === 'niemand' ? v : Number(v))),
});
export type AssignInput = z.infer<typeof assignSchema>;

export const noteSchema = z.object({ version, body: text('Bitte schreiben Sie die Notiz.') });
export type NoteInput = z.infer<typeof noteSchema>;

export const replySchema = z.object({
  version,
  body: text('Bitte schreiben Sie eine Antwort.'),
  // The second submit button, "Antworten und erledigen", sends resolve=yes.
  resolve: z.literal('yes', { message: 'Unbekannte Aktion.' }).optional(),
  /** Social channels: who may see the answer ("öffentlich antworten / als Direktnachricht"); absent: as the citizen wrote. */
  visibility: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z.enum(visibilities, { message: 'Bitte wählen Sie, wer die Antwort sehen darf.' }).optional(),
  ),
  /** The clerk confirmed a public answer although it seems to contain personal data. */
  publicAnyway: z.literal('yes', { message: 'Unbekannte Aktion.' }).optional(),
});
export type ReplyInput = z.infer<typeof replySchema>;

const contactId = (message: string) =>
  z
    .string({ message })
    .regex(/^\d{1,9}$/, message)
    .transform(Number);

/** "Als dieselbe Person verknüpfen": the contact found by the panel's search. */
export const contactLinkSchema = z.object({ other: contactId('Bitte wählen Sie einen Kontakt aus der Trefferliste.') });
/** "Verknüpfung lösen": one of the person's other contacts. */
export const contactUnlinkSchema = z.object({ contact: contactId('Bitte wählen Sie einen Kontakt aus der Liste.') });
