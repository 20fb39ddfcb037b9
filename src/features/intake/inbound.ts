import { z } from 'zod';
import { caseTypes, channels } from '../../infra/schema/index.ts';
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

export const LIMITS = { description: 5000, location: 300, name: 120, email: 254, photos: 3 } as const;

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
  /** Message-IDs this item answers (In-Reply-To, References): threads a follow-up into its case. */
  threadKeys: z.array(z.string().max(500)).max(50).default([]),
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
  photos: z.array(storedPhotoSchema).max(LIMITS.photos).default([]),
});
export type Inbound = z.input<typeof inboundSchema>;
