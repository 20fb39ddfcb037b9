import { z } from 'zod';
import { caseTypes, channels, contactKinds, visibilities } from '../../infra/schema/index.ts';
import { singleLine, validText } from '../../infra/text-input.ts';

/** A photo already processed (metadata stripped, thumbnail made) and written to storage. */
export const storedPhotoSchema = z.object({
  storageKey: z.string(),
  thumbKey: z.string(),
  mimeType: z.enum(['image/jpeg', 'image/png', 'image/webp']),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  bytes: z.number().int().positive(),
});
export type StoredPhoto = z.infer<typeof storedPhotoSchema>;

/** A PDF or office file as sent (mail attachment, fax), already written to storage. */
export const storedFileSchema = z.object({
  storageKey: z.string(),
  filename: z.string().min(1).max(200),
  mimeType: z.string().min(1).max(200),
  bytes: z.number().int().nonnegative(),
});
export type StoredFile = z.infer<typeof storedFileSchema>;

/** How the citizen can be reached on a channel; becomes (or finds) a contact. */
export const contactSchema = z.object({
  kind: z.enum(contactKinds),
  address: z.string().trim().min(1).max(1000).superRefine(validText('Adresse')),
  displayName: z.string().trim().max(120).superRefine(validText('Name')).nullable().default(null),
});
export type InboundContact = z.input<typeof contactSchema>;

/** A mail's text is cut at 20,000 characters when parsed, its HTML at 500,000; the schema only guards. */
const ORIGINAL_TEXT_MAX = 20_000;
const ORIGINAL_HTML_MAX = 600_000;

export const LIMITS = { description: 5000, location: 300, name: 120, email: 254, photos: 3 } as const;

/** A channel's text cut to the description limit, with a note for staff when something was cut. */
export function clipDescription(text: string, notes: string[]): string {
  if (text.length <= LIMITS.description) return text;
  notes.push(`Der Text war länger als ${LIMITS.description.toLocaleString('de-DE')} Zeichen und wurde gekürzt.`);
  return text.slice(0, LIMITS.description);
}

/** Text from any channel passes the same normaliser as the web forms: no control characters, NFC. */
const text = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .superRefine(validText(label))
    .transform((v) => v.normalize('NFC'));
const line = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .superRefine(validText(label))
    .superRefine(singleLine(label))
    .transform((v) => v.normalize('NFC'));

/**
 * The one shape every channel turns its input into before it enters the pipeline. Channel adapters
 * (web form, mail, phone entry, social) validate their own input and produce this.
 */
export const inboundSchema = z.object({
  channel: z.enum(channels),
  /** The channel's own id of the item (form nonce, mail Message-ID, status id): makes intake idempotent. */
  externalId: z.string().min(1).max(500).nullable(),
  /**
   * The channel's own references this item answers (mail: In-Reply-To and References), each
   * namespaced by kind ("email:<id@host>"): threads a follow-up into the case whose message carries it.
   */
  threadKeys: z.array(z.string().max(500)).max(50).default([]),
  /** The thread key of this item itself (mail: "email:" + its Message-ID), stored on its message. */
  threadKey: z.string().max(500).nullable().default(null),
  /** A case number the citizen named (mail subject "[2026-00042]"): threads like a thread key. */
  caseNumber: z.string().max(20).nullable().default(null),
  /** The town account it came in on (a mailbox); answers leave from there. */
  channelAccountId: z.number().int().positive().nullable().default(null),
  /**
   * Where answers go (the contact of the case). Without it, `reporterEmail` stands for an e-mail
   * contact. `moreContacts`: further ways to reach the same person (a phone number for a call back,
   * a postal address for a letter), linked to the same person.
   */
  contact: contactSchema.nullable().default(null),
  moreContacts: z.array(contactSchema).max(5).default([]),
  callbackRequested: z.boolean().default(false),
  /** The team of the account it came in on (a mailbox's default team): decides when no rule and no default routing did. */
  defaultTeamId: z.number().int().positive().nullable().default(null),
  /** Notes for staff about the intake itself (a refused attachment, an unknown charset); an internal note on the case. */
  intakeNotes: z.array(z.string().max(500)).max(20).default([]),
  /** Whether this item may get an automatic answer (false for mail with Auto-Submitted, lists, …: RFC 3834). */
  autoReply: z.boolean().default(true),
  type: z.enum(caseTypes).nullable(),
  categoryId: z.number().int().positive().nullable(),
  description: text('Beschreibung', LIMITS.description).pipe(z.string().min(1)),
  locationText: line('Ort', LIMITS.location).nullable(),
  lat: z.number().min(-90).max(90).nullable(),
  lon: z.number().min(-180).max(180).nullable(),
  /** Where lat/lon came from: the citizen's pin or a photo's EXIF position (staff should know which). */
  locationSource: z.enum(['citizen', 'photo']).nullable().default(null),
  reporterName: line('Name', LIMITS.name).nullable(),
  reporterEmail: z.string().trim().toLowerCase().superRefine(validText('E-Mail-Adresse')).pipe(z.email().max(LIMITS.email)).nullable(),
  consentAt: z.date().nullable(),
  receivedAt: z.date().optional(),
  /** The web form allows LIMITS.photos; a mail may carry up to 10, a fax's pages are up to 20. */
  photos: z.array(storedPhotoSchema).max(20).default([]),
  /** Mail attachments and faxes: at most 10 per item. Photos beyond the form's 3 come from mails too. */
  files: z.array(storedFileSchema).max(10).default([]),
  /**
   * The "Originalansicht" of a mail, only where it shows more than the description: the whole text
   * (with quoted history and signature) and the sanitised HTML (channels/email/html.ts). Staff only.
   */
  originalText: z.string().max(ORIGINAL_TEXT_MAX).nullable().default(null),
  originalHtml: z.string().max(ORIGINAL_HTML_MAX).nullable().default(null),
  /** Social networks: who could see the item there (a mention is public, a DM direct); kept on its message. */
  visibility: z.enum(visibilities).nullable().default(null),
  /** Social networks: the item's public address on the network. */
  publicUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .nullable()
    .default(null),
});
export type Inbound = z.input<typeof inboundSchema>;
