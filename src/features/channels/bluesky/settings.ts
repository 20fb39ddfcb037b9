import { z } from 'zod';
import { caseTypes } from '../../../infra/schema/index.ts';

export const DEFAULT_SERVICE = 'https://bsky.social';

/**
 * App passwords (Bluesky: Einstellungen → Datenschutz und Sicherheit → App-Passwörter) look like
 * `abcd-efgh-ijkl-mnop`. The account's main password must never be stored here: it could change
 * the account's e-mail, handle and recovery, an app password cannot.
 */
export const APP_PASSWORD = /^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/;
export const appPasswordMessage =
  'Bitte geben Sie ein App-Passwort an (Form xxxx-xxxx-xxxx-xxxx), nicht das Hauptpasswort des Kontos: Ein App-Passwort kann nur posten und lesen, nicht das Konto übernehmen. Sie legen es in Bluesky unter Einstellungen → Datenschutz und Sicherheit → App-Passwörter an.';

const HANDLE = /^(?=.{3,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** What may be shown about a Bluesky account (channel_accounts.settings). */
export const blueskySettingsSchema = z.object({
  handle: z.string(),
  service: z.string(),
});
export type BlueskySettings = z.infer<typeof blueskySettingsSchema>;

/** The sealed part: the app password and the current session tokens (refreshed as they expire). */
export const blueskySecretsSchema = z.object({
  appPassword: z.string(),
  session: z.object({ accessJwt: z.string(), refreshJwt: z.string(), did: z.string(), handle: z.string() }).nullable().default(null),
});
export type BlueskySecrets = z.infer<typeof blueskySecretsSchema>;

/** Where intake stopped (channel_accounts.cursor), and until when Bluesky asked us to wait. */
export const blueskyCursorSchema = z.object({
  seenAt: z.string().nullable().default(null),
  retryAfter: z.string().nullable().default(null),
  /** The latest notifications intake could not read (malformed records), for the account's page. */
  skipped: z.array(z.object({ uri: z.string(), reason: z.string(), at: z.string() })).default([]),
});
export type BlueskyCursor = z.infer<typeof blueskyCursorSchema>;

const optional = z
  .string()
  .trim()
  .optional()
  .transform((v) => v || null);

/** The form's and the command line's fields, with German messages. */
export const blueskyAccountFields = z.object({
  name: z.string().trim().min(1, 'Bitte geben Sie einen Namen an, z. B. Bluesky.').max(80, 'Der Name ist zu lang (höchstens 80 Zeichen).'),
  handle: z
    .string()
    .trim()
    .transform((v) => v.replace(/^@/, '').toLowerCase())
    .pipe(z.string().regex(HANDLE, 'Bitte geben Sie das Handle des Kontos an, z. B. musterstadt.bsky.social.')),
  service: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v || DEFAULT_SERVICE).replace(/\/+$/, ''))
    .pipe(z.url({ protocol: /^https?$/, error: 'Bitte geben Sie die Adresse des Servers an, z. B. https://bsky.social.' }))
    // The app password travels to this server: only over TLS, except to a server on this machine.
    .refine((v) => v.startsWith('https://') || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:|\/|$)/.test(v), {
      error: 'Die Adresse des Servers muss mit https:// beginnen, sonst ginge das App-Passwort unverschlüsselt über das Netz.',
    }),
  appPassword: z
    .string({ error: appPasswordMessage })
    .trim()
    .transform((v) => v.toLowerCase())
    .pipe(z.string().regex(APP_PASSWORD, appPasswordMessage)),
  team: optional,
  type: z
    .union([z.literal(''), z.enum(caseTypes)], { error: `Die Art muss eine von diesen sein: ${caseTypes.join(', ')}.` })
    .optional()
    .transform((v) => v || null),
});
export type BlueskyAccountFields = z.input<typeof blueskyAccountFields>;
