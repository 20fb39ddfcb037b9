import { z } from 'zod';
import { singleLine } from '../../infra/text-input.ts';
import { TEXT_MAX } from '../cases/forms.ts';

export const TITLE_MAX = 80;
export const SIGNATURE_MAX = 600;

/** "" means a template for everyone (only admins may write those); otherwise a team id. */
const teamRef = z
  .string({ message: 'Bitte wählen Sie aus, für wen der Textbaustein gilt.' })
  .regex(/^\d{0,9}$/, 'Bitte wählen Sie aus, für wen der Textbaustein gilt.')
  .transform((v) => (v === '' ? null : Number(v)));

export const templateSchema = z.object({
  title: z
    .string({ message: 'Bitte geben Sie dem Textbaustein einen Namen.' })
    .trim()
    .min(1, 'Bitte geben Sie dem Textbaustein einen Namen.')
    .max(TITLE_MAX, `Der Name darf höchstens ${TITLE_MAX} Zeichen lang sein.`)
    .superRefine(singleLine('Der Name')),
  teamId: teamRef,
  body: z
    .string({ message: 'Bitte schreiben Sie den Text.' })
    .trim()
    .min(1, 'Bitte schreiben Sie den Text.')
    .max(TEXT_MAX, `Bitte fassen Sie sich kürzer: höchstens ${TEXT_MAX.toLocaleString('de-DE')} Zeichen.`),
});
export type TemplateInput = z.infer<typeof templateSchema>;

export const teamSettingsSchema = z.object({
  signature: z
    .string({ message: 'Die Signatur ist ungültig.' })
    .trim()
    .max(SIGNATURE_MAX, `Die Signatur darf höchstens ${SIGNATURE_MAX} Zeichen lang sein.`)
    .transform((v) => (v === '' ? null : v)),
  // An unticked checkbox sends nothing.
  roundRobin: z
    .literal('yes', { message: 'Bitte kreuzen Sie das Feld an oder lassen Sie es leer.' })
    .optional()
    .transform((v) => v === 'yes'),
});
export type TeamSettingsInput = z.infer<typeof teamSettingsSchema>;
