import { z } from 'zod';

/** The forms of the "Veröffentlichung" panel (German messages; the version guards a stale page). */
const version = z.coerce
  .number({ message: 'Die Seite ist veraltet. Bitte laden Sie sie neu.' })
  .int('Die Seite ist veraltet. Bitte laden Sie sie neu.')
  .positive('Die Seite ist veraltet. Bitte laden Sie sie neu.');

const id = (message: string) => z.coerce.number({ message }).int(message).min(0, message).max(999_999_999, message);
const yesNo = z.enum(['yes', 'no'], { message: 'Unbekannte Aktion.' }).transform((v) => v === 'yes');

export const PUBLIC_TEXT_MAX = 5000;

export const publicTextSchema = z.object({
  version,
  text: z
    .string({ message: 'Bitte geben Sie den öffentlichen Text ein.' })
    .trim()
    .min(1, 'Bitte geben Sie den öffentlichen Text ein.')
    .max(PUBLIC_TEXT_MAX, `Bitte fassen Sie sich kürzer: höchstens ${PUBLIC_TEXT_MAX.toLocaleString('de-DE')} Zeichen.`),
});

export const maskTermSchema = z.object({
  version,
  term: z
    .string({ message: 'Bitte geben Sie die Wörter ein, die geschwärzt werden sollen.' })
    .trim()
    .min(2, 'Bitte geben Sie mindestens zwei Zeichen ein.')
    .max(200, 'Bitte geben Sie höchstens 200 Zeichen ein.'),
});

export const unmaskSchema = z.object({ version, mask: id('Diese Schwärzung gibt es nicht.'), unmasked: yesNo });

export const photoSchema = z.object({ version, photo: id('Dieses Foto gibt es nicht.'), released: yesNo });

export const publicNoteSchema = z.object({
  version,
  note: z
    .string({ message: 'Bitte geben Sie den Hinweis als Text ein.' })
    .trim()
    .max(500, 'Bitte fassen Sie den Hinweis kürzer: höchstens 500 Zeichen.')
    .transform((v) => (v === '' ? null : v)),
});

export const decisionSchema = z.object({ version });

export const reasonSchema = z.object({
  version,
  reason: z
    .string({ message: 'Bitte geben Sie einen Grund an.' })
    .trim()
    .min(1, 'Bitte geben Sie einen Grund an.')
    .max(500, 'Bitte fassen Sie den Grund kürzer: höchstens 500 Zeichen.'),
});
