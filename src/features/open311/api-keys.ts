import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../infra/db.ts';
import { invalid, notFound } from '../../infra/errors.ts';
import type { Logger } from '../../infra/log.ts';
import { apiKeys } from '../../infra/schema/index.ts';
import { singleLine, validText } from '../../infra/text-input.ts';

/**
 * API keys of Open311 clients (another town's app, FixMyStreet). A key is 32 random bytes, shown
 * once when it is made; only its SHA-256 is stored (a key is as strong as a random password, so a
 * fast hash suffices and the lookup stays one indexed read), plus its first characters so admins
 * can tell keys apart.
 */

export interface KeyDeps {
  db: Db;
  log: Logger;
}

const KEY_PREFIX = 'a311_';
const SHOWN_PREFIX_LENGTH = KEY_PREFIX.length + 6;
export const DEFAULT_RATE = 60;
export const MAX_RATE = 10_000;

export const hashKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

const nameMessage = 'Bitte geben Sie einen Namen für den Schlüssel an (höchstens 100 Zeichen), z. B. „FixMyStreet Musterstadt“.';
const rateMessage = `Bitte geben Sie die Anfragen pro Minute als ganze Zahl von 1 bis ${MAX_RATE.toLocaleString('de-DE')} an.`;

export const newKeySchema = z.object({
  name: z
    .string({ error: nameMessage })
    .trim()
    .min(1, nameMessage)
    .max(100, nameMessage)
    .superRefine(validText('Name'))
    .superRefine(singleLine('Der Name')),
  requestsPerMinute: z.coerce
    .number({ error: rateMessage })
    .int(rateMessage)
    .min(1, rateMessage)
    .max(MAX_RATE, rateMessage)
    .default(DEFAULT_RATE),
});
export type NewKey = z.input<typeof newKeySchema>;

export interface ApiKeyRow {
  id: number;
  name: string;
  prefix: string;
  requestsPerMinute: number;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export async function createApiKey(deps: KeyDeps, createdBy: number | null, input: NewKey): Promise<{ row: ApiKeyRow; key: string }> {
  const parsed = newKeySchema.safeParse(input);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const field = String(first?.path[0] ?? 'name');
    throw invalid(first?.message ?? nameMessage, { [field]: first?.message ?? nameMessage });
  }
  const key = KEY_PREFIX + randomBytes(32).toString('base64url');
  const [row] = await deps.db
    .insert(apiKeys)
    .values({
      name: parsed.data.name,
      prefix: key.slice(0, SHOWN_PREFIX_LENGTH),
      keyHash: hashKey(key),
      requestsPerMinute: parsed.data.requestsPerMinute,
      createdBy,
    })
    .returning(rowColumns);
  if (!row) throw new Error('api key not stored');
  deps.log.info({ apiKeyId: row.id, createdBy }, 'api key created');
  return { row, key };
}

const rowColumns = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  requestsPerMinute: apiKeys.requestsPerMinute,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
};

/** Active keys first, newest first. */
export async function listApiKeys(db: Db): Promise<ApiKeyRow[]> {
  const rows = await db.select(rowColumns).from(apiKeys).orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
  return rows.sort((a, b) => Number(a.revokedAt !== null) - Number(b.revokedAt !== null));
}

/** Revoking is final (a client gets a new key); revoking a revoked key again changes nothing. */
export async function revokeApiKey(deps: KeyDeps, by: number | null, id: number, now: Date): Promise<ApiKeyRow> {
  const [revoked] = await deps.db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning(rowColumns);
  if (revoked) {
    deps.log.info({ apiKeyId: id, by }, 'api key revoked');
    return revoked;
  }
  const [existing] = await deps.db.select(rowColumns).from(apiKeys).where(eq(apiKeys.id, id));
  if (!existing) throw notFound(`Einen Schlüssel mit der Nummer ${id} gibt es nicht.`);
  return existing;
}

export interface ClientKey {
  id: number;
  name: string;
  requestsPerMinute: number;
  revoked: boolean;
}

/** The key a client presented, revoked or not (the caller words the refusal); null when unknown. */
export async function keyOf(db: Db, presented: string): Promise<ClientKey | null> {
  if (!presented.startsWith(KEY_PREFIX) || presented.length > 100) return null;
  const [row] = await db
    .select({ id: apiKeys.id, name: apiKeys.name, requestsPerMinute: apiKeys.requestsPerMinute, revokedAt: apiKeys.revokedAt })
    .from(apiKeys)
    .where(eq(apiKeys.keyHash, hashKey(presented)));
  return row ? { id: row.id, name: row.name, requestsPerMinute: row.requestsPerMinute, revoked: row.revokedAt !== null } : null;
}

/**
 * "Zuletzt benutzt" to the minute: written at most once a minute per key and process, so a busy
 * client does not turn every read into a write.
 */
export function lastUsedRecorder(db: Db, intervalMs = 60_000): (keyId: number, now: Date) => Promise<void> {
  const written = new Map<number, number>();
  return async (keyId, now) => {
    const last = written.get(keyId);
    if (last !== undefined && now.getTime() - last < intervalMs) return;
    written.set(keyId, now.getTime());
    await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, keyId));
  };
}
