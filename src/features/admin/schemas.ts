import { z } from 'zod';
import { followupsAfterClose, userRoles } from '../../infra/schema/index.ts';
import { emailField, singleLine } from '../../infra/text-input.ts';

/**
 * Input rules for the admin forms and the CLI, with a German message per field. Both edges hand
 * raw values to the services, which parse them with these schemas: one set of rules for both.
 */
const trimmed = (max: number, empty: string, tooLong: string) =>
  z.string({ message: empty }).trim().min(1, empty).max(max, tooLong).superRefine(singleLine('Der Name'));

export const displayNameField = trimmed(120, 'Bitte geben Sie einen Namen ein.', 'Der Name darf höchstens 120 Zeichen lang sein.');

export const roleField = z.enum(userRoles, { message: 'Bitte wählen Sie eine Rolle: Verwaltung oder Mitarbeitende.' });

/** Checkbox groups arrive as one string, several strings, or not at all. */
export const slugList = z
  .union([z.string(), z.array(z.string())], { message: 'Die Teamauswahl ist ungültig.' })
  .optional()
  .transform((v) => [...new Set((v === undefined ? [] : Array.isArray(v) ? v : [v]).map((s) => s.trim()).filter(Boolean))])
  .pipe(z.array(z.string().max(80, 'Die Teamauswahl ist ungültig.')).max(100, 'Bitte wählen Sie höchstens 100 Teams.'));

export const newUserSchema = z.object({
  email: emailField,
  displayName: displayNameField,
  role: roleField.default('staff'),
  teams: slugList,
  /** Empty: the service generates a strong password and returns it once. */
  password: z.string().max(1000, 'Das Passwort ist zu lang.').optional(),
});
export type NewUserInput = z.input<typeof newUserSchema>;

export const userUpdateSchema = z.object({
  displayName: displayNameField,
  role: roleField,
  teams: slugList,
});
export type UserUpdateInput = z.input<typeof userUpdateSchema>;

export const teamSchema = z.object({
  name: trimmed(120, 'Bitte geben Sie einen Namen für das Team ein.', 'Der Name darf höchstens 120 Zeichen lang sein.'),
  email: z
    .string()
    .trim()
    .max(254, 'Die E-Mail-Adresse darf höchstens 254 Zeichen lang sein.')
    .superRefine(singleLine('Die E-Mail-Adresse'))
    .optional()
    .transform((v) => (v ? v : null))
    .pipe(z.email({ message: 'Bitte geben Sie eine gültige E-Mail-Adresse ein oder lassen Sie das Feld leer.' }).nullable()),
  /** Absent: a new team reopens (the column's default), an edited one keeps its setting. */
  followupAfterClose: z
    .enum(followupsAfterClose, { message: 'Bitte wählen Sie, was mit einer Nachricht zu einem abgeschlossenen Anliegen geschieht.' })
    .optional(),
});
export type TeamInput = z.input<typeof teamSchema>;
