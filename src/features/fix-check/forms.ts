import { z } from 'zod';

export const COMMENT_MAX = 2000;

/** The answer form; `answer` comes from the button pressed. */
export const answerSchema = z.object({
  answer: z.enum(['yes', 'no'], { message: 'Bitte wählen Sie „Ja, behoben“ oder „Nein, noch nicht“.' }),
  comment: z
    .string({ message: 'Bitte geben Sie Ihren Kommentar als Text ein.' })
    .trim()
    .max(COMMENT_MAX, `Bitte fassen Sie sich kürzer: höchstens ${COMMENT_MAX.toLocaleString('de-DE')} Zeichen.`)
    .optional()
    .transform((v) => (v ? v : null)),
});
export type AnswerInput = z.infer<typeof answerSchema>;

/** `?antwort=ja|nein` of the mail's links: only preselects on the page, never answers. */
export function preselected(query: unknown): 'yes' | 'no' | null {
  const v = (query as { antwort?: unknown } | undefined)?.antwort;
  return v === 'ja' ? 'yes' : v === 'nein' ? 'no' : null;
}
