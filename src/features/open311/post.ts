import { createHash } from 'node:crypto';
import { z } from 'zod';
import { invalid, notFound } from '../../infra/errors.ts';
import { singleLine, validText } from '../../infra/text-input.ts';
import { lookupReference } from '../cases/reference-data.ts';
import { type Inbound, type InboundContact, LIMITS } from '../intake/inbound.ts';
import { type IntakeDeps, type IntakeResult, receive } from '../intake/service.ts';
import type { ClientKey } from './api-keys.ts';
import { answerNotes, attributesOfCategory, MAX_ATTRIBUTES, MAX_VALUES } from './attributes.ts';

/**
 * POST requests.{format} as a channel: the client's form fields become the one inbound shape and
 * go through the same pipeline as the web form (routing, rules, classifier, duplicates, SLA,
 * acknowledgement mail). Name, e-mail and phone are the reporter's contact, as on the web form;
 * they reach staff only, never a public response. A media_url is noted for staff as a link and
 * never fetched: the server does not load what a client points it to.
 */

/** The spec's limit for a description. */
export const MAX_DESCRIPTION = 4000;
const MAX_CLIENT_ID = 200;
const NOTE_LIMIT = 500;

const fail = (field: string, message: string) => invalid(message, { [field]: message });

const line = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label} darf höchstens ${max.toLocaleString('de-DE')} Zeichen lang sein.`)
    .superRefine(validText(label))
    .superRefine(singleLine(label))
    .optional();

const coordinate = (name: 'lat' | 'long', limit: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d{1,3}(\.\d{1,15})?$/, `${name} muss eine Dezimalzahl sein, z. B. ${name === 'lat' ? '50.9375' : '6.9603'}.`)
    .transform(Number)
    .refine((n) => Math.abs(n) <= limit, `${name} muss zwischen -${limit} und ${limit} liegen.`)
    .optional();

const fieldsSchema = z.object({
  service_code: z.string().trim().min(1, 'Bitte geben Sie service_code an (siehe services.json).').max(100, 'service_code ist unbekannt.'),
  description: z
    .string({ error: 'Bitte beschreiben Sie das Anliegen in description.' })
    .trim()
    .min(1, 'Bitte beschreiben Sie das Anliegen in description.')
    .max(MAX_DESCRIPTION, `description darf höchstens ${MAX_DESCRIPTION.toLocaleString('de-DE')} Zeichen lang sein.`)
    .superRefine(validText('description')),
  lat: coordinate('lat', 90),
  long: coordinate('long', 180),
  address_string: line('address_string', LIMITS.location),
  address_id: line('address_id', 100),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.email('email ist keine gültige E-Mail-Adresse.').max(LIMITS.email, 'email ist zu lang.'))
    .optional(),
  first_name: line('first_name', 59),
  last_name: line('last_name', 59),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[\d\s/().-]{3,40}$/, 'phone ist keine Telefonnummer (Ziffern, Leerzeichen, + / ( ) - erlaubt).')
    .optional(),
  device_id: line('device_id', 200),
  account_id: line('account_id', 200),
  media_url: z
    .string()
    .trim()
    .max(1000, 'media_url ist zu lang.')
    .refine((v) => /^https?:\/\/[^\s]+$/i.test(v) && URL.canParse(v), 'media_url muss eine http(s)-Adresse sein.')
    .optional(),
});

/**
 * Form fields as strings; a repeated field (an array) or an uploaded file is refused by name, except
 * the answers of a multiple-choice attribute (`attribute[code][]`, repeated).
 */
function stringFields(body: Record<string, unknown>): {
  fields: Record<string, string>;
  attributes: Record<string, string | string[]>;
} {
  const fields: Record<string, string> = {};
  const attributes: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(body)) {
    const attribute = /^attribute\[([^\]]{1,100})\](\[\])?$/.exec(key);
    const many =
      attribute?.[2] !== undefined && Array.isArray(value) && value.length <= MAX_VALUES && value.every((v) => typeof v === 'string');
    if (typeof value !== 'string' && !many) throw fail(key, `Das Feld ${key.slice(0, 60)} darf nur einmal und nur als Text vorkommen.`);
    if (attribute?.[1]) attributes[attribute[1]] = value as string | string[];
    else if ((value as string).trim() !== '') fields[key] = value as string;
  }
  return { fields, attributes };
}

/**
 * The client's own id of the report makes a repeat harmless: the Idempotency-Key header, else
 * FixMyStreet's attribute[fixmystreet_id] or a generic attribute[client_id], else the request's
 * content itself (as for a mail without Message-ID). Namespaced by the key, so two clients can
 * never collide.
 */
function externalIdOf(
  key: ClientKey,
  idempotencyKey: string | undefined,
  attributes: Record<string, string | string[]>,
  body: Record<string, string>,
) {
  const one = (v: string | string[] | undefined) => (typeof v === 'string' ? v.trim() : undefined);
  const clientId = idempotencyKey?.trim() || one(attributes.fixmystreet_id) || one(attributes.client_id);
  if (clientId) {
    if (clientId.length > MAX_CLIENT_ID || !/^[\x21-\x7e]+$/.test(clientId)) {
      throw fail(
        'Idempotency-Key',
        `Die Kennung der Meldung (Idempotency-Key) darf höchstens ${MAX_CLIENT_ID} sichtbare ASCII-Zeichen haben.`,
      );
    }
    return `open311:${key.id}:${clientId}`;
  }
  const canonical = JSON.stringify(
    Object.entries({ ...body, ...Object.fromEntries(Object.entries(attributes).map(([k, v]) => [`attribute[${k}]`, v])) })
      .filter(([k]) => k !== 'api_key')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  return `open311:${key.id}:sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}

const clip = (s: string) => (s.length > NOTE_LIMIT ? `${s.slice(0, NOTE_LIMIT - 1)}…` : s);

export async function postRequest(
  deps: IntakeDeps,
  key: ClientKey,
  body: Record<string, unknown>,
  idempotencyKey: string | undefined,
): Promise<IntakeResult> {
  const { fields, attributes } = stringFields(body);
  const parsed = fieldsSchema.safeParse(fields);
  if (!parsed.success) {
    const messages: Record<string, string> = {};
    for (const issue of parsed.error.issues) messages[String(issue.path[0] ?? 'form')] ??= issue.message;
    throw invalid(Object.values(messages)[0] ?? 'Die Anfrage ist unvollständig.', messages);
  }
  const f = parsed.data;
  if ((f.lat === undefined) !== (f.long === undefined)) throw fail('lat', 'lat und long gehören zusammen: bitte beide angeben.');
  if (f.lat === undefined && !f.address_string && !f.address_id) {
    throw fail('lat', 'Bitte geben Sie den Ort an: lat und long, address_string oder address_id.');
  }
  for (const [code, value] of Object.entries(attributes)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      const problem = z
        .string()
        .max(NOTE_LIMIT)
        .superRefine(validText(`attribute[${code}]`))
        .safeParse(v);
      if (!problem.success) throw fail(`attribute[${code}]`, problem.error.issues[0]?.message ?? `attribute[${code}] ist zu lang.`);
    }
  }
  const category = await lookupReference(deps.db, (ref) => ref.categoriesBySlug.get(f.service_code));
  if (!category?.active)
    throw notFound(`Den service_code „${f.service_code.slice(0, 100)}“ gibt es nicht. Die gültigen stehen in services.json.`);
  const answers = answerNotes(await attributesOfCategory(deps.db, category.id), attributes);

  const name = [f.first_name, f.last_name].filter(Boolean).join(' ') || null;
  const email: InboundContact | null = f.email ? { kind: 'email', address: f.email, displayName: name } : null;
  const phone: InboundContact | null = f.phone ? { kind: 'phone', address: f.phone, displayName: name } : null;
  const [contact = null, ...moreContacts] = [email, phone].filter((c): c is InboundContact => c !== null);
  const notes = [
    clip(`Eingang über die Open311-Schnittstelle, Schlüssel „${key.name}“.`),
    ...(f.media_url ? [clip(`Die App nennt ein Foto oder Video (nicht abgerufen, bitte nur bei Bedarf öffnen): ${f.media_url}`)] : []),
    ...(f.address_id ? [clip(`Adress-Kennung der App: ${f.address_id}`)] : []),
    ...(f.account_id || f.device_id ? [clip(`Konto/Gerät in der App: ${[f.account_id, f.device_id].filter(Boolean).join(' / ')}`)] : []),
    ...answers.slice(0, MAX_ATTRIBUTES).map(clip),
  ];
  const inbound: Inbound = {
    channel: 'open311',
    externalId: externalIdOf(key, idempotencyKey, attributes, fields),
    type: null,
    categoryId: category.id,
    description: f.description,
    locationText: f.address_string ?? null,
    lat: f.lat ?? null,
    lon: f.long ?? null,
    locationSource: f.lat === undefined ? null : 'citizen',
    reporterName: name,
    reporterEmail: f.email ?? null,
    contact,
    moreContacts,
    // The client app asked the citizen to agree, as our form does; the moment it reached us is recorded.
    consentAt: deps.clock.now(),
    intakeNotes: notes,
  };
  return receive(deps, inbound);
}
