import { X509Certificate } from 'node:crypto';
import { z } from 'zod';
import { caseTypes } from '../../../infra/schema/index.ts';
import { regexProblem } from '../../routing/rules/regex.ts';

/**
 * The e-mail account's settings, as one flat set of fields: the admin form posts them, the command
 * line fills them from its URLs (email-urls.ts). Stored split into `settings` (shown) and the
 * sealed passwords (never shown).
 */
export const imapSecurities = ['imaps', 'starttls', 'plain'] as const;
export const smtpSecurities = ['smtps', 'starttls', 'plain'] as const;
export type ImapSecurity = (typeof imapSecurities)[number];
export type SmtpSecurity = (typeof smtpSecurities)[number];

export const securityLabels = {
  imaps: 'TLS (IMAPS, meist Port 993)',
  smtps: 'TLS (SMTPS, meist Port 465)',
  starttls: 'STARTTLS (verschlüsselt nach der Begrüßung)',
  plain: 'unverschlüsselt (nur im internen Netz; Passwort und Mails gehen lesbar über das Netz)',
} as const;

/** The longest CA bundle we take: a few certificates of a town's own certificate authority. */
export const CA_MAX_LENGTH = 20_000;
const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * The town's own certificate authority (PEM), for mail servers whose certificates it issued. Every
 * block must be a readable certificate: a typo here would otherwise only show at the next connection.
 */
const caCertificate = z
  .string()
  .trim()
  .max(CA_MAX_LENGTH, `Das Zertifikat ist zu lang (höchstens ${CA_MAX_LENGTH.toLocaleString('de-DE')} Zeichen).`)
  .optional()
  .transform((v) => v || null)
  .superRefine((v, ctx) => {
    if (v === null) return;
    const blocks = v.match(PEM_BLOCK) ?? [];
    const bad = 'Bitte fügen Sie das Zertifikat der Zertifizierungsstelle im PEM-Format ein (beginnt mit -----BEGIN CERTIFICATE-----).';
    if (blocks.length === 0 || v.replace(PEM_BLOCK, '').trim() !== '') return void ctx.addIssue({ code: 'custom', message: bad });
    for (const block of blocks) {
      try {
        new X509Certificate(block);
      } catch {
        return void ctx.addIssue({ code: 'custom', message: 'Das Zertifikat lässt sich nicht lesen; bitte fügen Sie es vollständig ein.' });
      }
    }
  });

const text = (message: string, max = 200) => z.string({ error: message }).trim().min(1, message).max(max, `höchstens ${max} Zeichen`);
const optionalText = (max = 200) =>
  z
    .string()
    .trim()
    .max(max, `höchstens ${max} Zeichen`)
    .optional()
    .transform((v) => v || null);
const port = (what: string) =>
  z.coerce
    .number({ error: `Bitte geben Sie den Port des ${what}-Servers als Zahl an.` })
    .int(`Der Port des ${what}-Servers muss eine ganze Zahl sein.`)
    .min(1, `Der Port des ${what}-Servers muss zwischen 1 und 65535 liegen.`)
    .max(65535, `Der Port des ${what}-Servers muss zwischen 1 und 65535 liegen.`);
/** A sender or subject pattern of a fax gateway: RE2 like the routing rules, with their German messages. */
const faxPattern = z
  .string()
  .trim()
  .optional()
  .transform((v) => v || null)
  .superRefine((v, ctx) => {
    const problem = v && regexProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
/** The form's checkbox sends "yes"; the command line's --fax a boolean. */
const flag = z
  .union([z.boolean(), z.literal('yes'), z.literal('')])
  .optional()
  .transform((v) => v === true || v === 'yes');
/** A password as typed: surrounding spaces may belong to it, so nothing is trimmed. */
const password = z
  .string()
  .max(1000, 'Das Passwort ist zu lang.')
  .optional()
  .transform((v) => v || undefined);

export const emailAccountFields = z.object({
  name: text('Bitte geben Sie dem Postfach einen Namen, z. B. „Bürgerservice“.', 120),
  from: z
    .string({ error: 'Bitte geben Sie die Absenderadresse an.' })
    .trim()
    .pipe(z.email({ error: 'Die Absenderadresse ist keine gültige E-Mail-Adresse.' })),
  team: optionalText(),
  type: z
    .enum(caseTypes, { error: 'Diese Art von Anliegen gibt es nicht.' })
    .or(z.literal(''))
    .optional()
    .transform((v) => v || null),
  signature: optionalText(2000),
  imapHost: text('Bitte geben Sie den IMAP-Server an.', 253),
  imapPort: port('IMAP'),
  imapSecurity: z.enum(imapSecurities, { error: 'Bitte wählen Sie die Verschlüsselung für IMAP.' }),
  imapUser: text('Bitte geben Sie den Benutzernamen für IMAP an.'),
  imapPassword: password,
  mailbox: optionalText().transform((v) => v ?? 'INBOX'),
  /** Empty: taken-in mail is marked as read and stays; otherwise it is moved to this folder. */
  moveTo: optionalText(),
  smtpHost: text('Bitte geben Sie den SMTP-Server an.', 253),
  smtpPort: port('SMTP'),
  smtpSecurity: z.enum(smtpSecurities, { error: 'Bitte wählen Sie die Verschlüsselung für SMTP.' }),
  smtpUser: optionalText(),
  smtpPassword: password,
  caCertificate,
  faxAll: flag,
  faxSender: faxPattern,
  faxSubject: faxPattern,
});
export type EmailAccountFields = z.input<typeof emailAccountFields>;
export type EmailAccountInput = z.output<typeof emailAccountFields>;

/**
 * Which mails of the box a fax gateway (the town's telephone system) sent: all of them, or those
 * whose sender address and subject match the patterns (both, when both are set). Such a mail is a
 * fax: the gateway is not the citizen, the PDF holds what they sent.
 */
export const faxSettingsSchema = z.object({
  all: z.boolean(),
  sender: z.string().nullable(),
  subject: z.string().nullable(),
});
export type FaxSettings = z.infer<typeof faxSettingsSchema>;
export const NO_FAX: FaxSettings = { all: false, sender: null, subject: null };

/** What `settings` holds for an e-mail account: nothing secret. */
export const emailSettingsSchema = z.object({
  imap: z.object({
    host: z.string(),
    port: z.number(),
    security: z.enum(imapSecurities),
    user: z.string(),
    mailbox: z.string(),
  }),
  afterIntake: z.discriminatedUnion('action', [
    z.object({ action: z.literal('seen') }),
    z.object({ action: z.literal('move'), folder: z.string() }),
  ]),
  smtp: z.object({
    host: z.string(),
    port: z.number(),
    security: z.enum(smtpSecurities),
    user: z.string().nullable(),
  }),
  from: z.string(),
  /**
   * Certificates are always verified (against the system's authorities and this one): a town with
   * its own certificate authority adds it here instead of switching the check off.
   */
  caCertificate: z.string().nullable().default(null),
  /** Accounts stored before fax gateways existed have none: no mail of theirs is a fax. */
  fax: faxSettingsSchema.default(NO_FAX),
});
export type EmailSettings = z.infer<typeof emailSettingsSchema>;

/** What the sealed `secrets` column holds for an e-mail account. */
export const emailSecretsSchema = z.object({ imapPassword: z.string(), smtpPassword: z.string().nullable() });
export type EmailSecrets = z.infer<typeof emailSecretsSchema>;

export function settingsFrom(input: EmailAccountInput): EmailSettings {
  return {
    imap: {
      host: input.imapHost,
      port: input.imapPort,
      security: input.imapSecurity,
      user: input.imapUser,
      mailbox: input.mailbox,
    },
    afterIntake: input.moveTo ? { action: 'move', folder: input.moveTo } : { action: 'seen' },
    smtp: { host: input.smtpHost, port: input.smtpPort, security: input.smtpSecurity, user: input.smtpUser },
    from: input.from,
    caCertificate: input.caCertificate,
    fax: { all: input.faxAll, sender: input.faxSender, subject: input.faxSubject },
  };
}

/** The form's fields for a stored account; the passwords stay empty (empty = keep). */
export function fieldsFrom(
  account: { name: string; signature: string | null; defaultType: string | null; teamSlug: string | null },
  s: EmailSettings,
): Record<string, string> {
  return {
    name: account.name,
    from: s.from,
    team: account.teamSlug ?? '',
    type: account.defaultType ?? '',
    signature: account.signature ?? '',
    imapHost: s.imap.host,
    imapPort: String(s.imap.port),
    imapSecurity: s.imap.security,
    imapUser: s.imap.user,
    mailbox: s.imap.mailbox,
    moveTo: s.afterIntake.action === 'move' ? s.afterIntake.folder : '',
    smtpHost: s.smtp.host,
    smtpPort: String(s.smtp.port),
    smtpSecurity: s.smtp.security,
    smtpUser: s.smtp.user ?? '',
    caCertificate: s.caCertificate ?? '',
    faxAll: s.fax.all ? 'yes' : '',
    faxSender: s.fax.sender ?? '',
    faxSubject: s.fax.subject ?? '',
  };
}
