import { z } from 'zod';
import { caseTypes } from '../../../infra/schema/index.ts';

/**
 * The Mastodon account's settings: the server and the handle are shown, the access token is sealed
 * and never shown again. The cursor says which notification intake took in last.
 */
export const mastodonSettingsSchema = z.object({
  instanceUrl: z.string(),
  handle: z.string(),
});
export type MastodonSettings = z.infer<typeof mastodonSettingsSchema>;

export const mastodonSecretsSchema = z.object({ accessToken: z.string().min(1) });
export type MastodonSecrets = z.infer<typeof mastodonSecretsSchema>;

export const mastodonCursorSchema = z.object({
  /** The newest notification id taken in; the next poll asks for the page right after it (min_id). */
  minId: z.string().nullable().default(null),
  /** While the server rate-limits us: no call before this time (ISO). */
  pausedUntil: z.string().nullable().default(null),
  /** Which notifications API the server has: grouped (v2) or not, learned on the first 404. */
  grouped: z.boolean().default(true),
});
export type MastodonCursor = z.infer<typeof mastodonCursorSchema>;

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/** https only: the token travels with every call. Plain http only to this machine (a local test server). */
const instanceUrl = z
  .string({ error: 'Bitte geben Sie die Adresse des Mastodon-Servers an.' })
  .trim()
  .min(1, 'Bitte geben Sie die Adresse des Mastodon-Servers an.')
  .max(300, 'höchstens 300 Zeichen')
  .transform((v) => (/^[a-z]+:\/\//i.test(v) ? v : `https://${v}`))
  .superRefine((v, ctx) => {
    let url: URL;
    try {
      url = new URL(v);
    } catch {
      return void ctx.addIssue({ code: 'custom', message: 'Bitte geben Sie eine Adresse wie https://mastodon.social an.' });
    }
    const ok = url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.test(url.hostname));
    if (!ok) ctx.addIssue({ code: 'custom', message: 'Der Mastodon-Server muss über https erreichbar sein.' });
    if (url.username || url.password || url.search || url.hash) {
      ctx.addIssue({ code: 'custom', message: 'Bitte nur die Adresse des Servers angeben, ohne Zugangsdaten oder Zusätze.' });
    }
  })
  .transform((v) => new URL(v).origin);

/** @stadt@musterstadt.social or stadt@musterstadt.social; stored without the leading @. */
const handle = z
  .string({ error: 'Bitte geben Sie den Namen des Kontos an, z. B. @stadt@musterstadt.social.' })
  .trim()
  .transform((v) => v.replace(/^@/, '').toLowerCase())
  .pipe(z.string().regex(/^[a-z0-9_]{1,30}(@[a-z0-9.-]+)?$/, 'Bitte geben Sie den Namen des Kontos an, z. B. @stadt@musterstadt.social.'));

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `höchstens ${max} Zeichen`)
    .optional()
    .transform((v) => v || null);

/** What the admin form and `amtsblatt channel add mastodon` send. An empty token on edit keeps the stored one. */
export const mastodonAccountFields = z.object({
  name: z
    .string({ error: 'Bitte geben Sie einen Namen an.' })
    .trim()
    .min(1, 'Bitte geben Sie einen Namen an.')
    .max(100, 'höchstens 100 Zeichen'),
  instanceUrl,
  handle,
  accessToken: optionalText(500),
  team: optionalText(100),
  type: z.enum(caseTypes).optional().nullable().default(null),
  signature: optionalText(500),
});
export type MastodonAccountFields = z.input<typeof mastodonAccountFields>;
export type MastodonAccountInput = z.output<typeof mastodonAccountFields>;
