import { exportJwk, generateCryptoKeyPair, importJwk } from '@fedify/fedify';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../../infra/db.ts';
import { channelAccounts } from '../../../infra/schema/index.ts';
import type { SecretBox } from '../../../infra/secrets.ts';

/** What the status page may show of the actor (channel_accounts.settings of kind `fediverse`). */
export const fediverseSettingsSchema = z.object({ actorName: z.string().min(1).max(30) });
export type FediverseSettings = z.infer<typeof fediverseSettingsSchema>;

const jwk = z.record(z.string(), z.unknown());
const sealedKeysSchema = z.object({
  rsa: z.object({ privateKey: jwk, publicKey: jwk }),
  ed25519: z.object({ privateKey: jwk, publicKey: jwk }),
});

/**
 * RSA with 2048 bits, as Mastodon makes its own keys: every peer verifies it, and it is made in a
 * fraction of the time of Fedify's default of 4096 bits.
 */
const generateRsaKeyPair = () =>
  crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  );

export const defaultAccountName = (actorName: string) => `Fediverse @${actorName}`;

export interface ActorAccount {
  id: number;
  enabled: boolean;
  defaultTeamId: number | null;
  keys: CryptoKeyPair[];
}

/** The account row of the actor, created with fresh key pairs when there is none yet. */
export async function ensureActorAccount(
  db: DbOrTx,
  secrets: SecretBox,
  p: { actorName: string; accountName?: string },
): Promise<{ id: number; created: boolean }> {
  const [existing] = await db
    .select({ id: channelAccounts.id })
    .from(channelAccounts)
    .where(eq(channelAccounts.kind, 'fediverse'))
    .limit(1);
  if (existing) return { id: existing.id, created: false };
  const pairs = await Promise.all([generateRsaKeyPair(), generateCryptoKeyPair('Ed25519')]);
  const [rsa, ed25519] = await Promise.all(
    pairs.map(async (pair) => ({ privateKey: await exportJwk(pair.privateKey), publicKey: await exportJwk(pair.publicKey) })),
  );
  const [row] = await db
    .insert(channelAccounts)
    .values({
      kind: 'fediverse',
      name: p.accountName ?? defaultAccountName(p.actorName),
      settings: { actorName: p.actorName } satisfies FediverseSettings,
      secrets: secrets.seal(JSON.stringify({ rsa, ed25519 })),
    })
    .onConflictDoNothing()
    .returning({ id: channelAccounts.id });
  if (row) return { id: row.id, created: true };
  // Two processes started at once: the other one's row counts.
  const [again] = await db.select({ id: channelAccounts.id }).from(channelAccounts).where(eq(channelAccounts.kind, 'fediverse')).limit(1);
  if (!again) throw new Error('fediverse account could not be created');
  return { id: again.id, created: false };
}

/** Reads the actor's account and opens its keys (RSA first: Mastodon verifies with the first key). */
export async function loadActorAccount(db: Db, secrets: SecretBox, actorName: string): Promise<ActorAccount> {
  const { id } = await ensureActorAccount(db, secrets, { actorName });
  const [row] = await db
    .select({ enabled: channelAccounts.enabled, defaultTeamId: channelAccounts.defaultTeamId, secrets: channelAccounts.secrets })
    .from(channelAccounts)
    .where(eq(channelAccounts.id, id));
  if (!row) throw new Error('fediverse account is gone');
  const sealed = sealedKeysSchema.parse(JSON.parse(secrets.open(row.secrets)));
  const keys = await Promise.all(
    [sealed.rsa, sealed.ed25519].map(async (k) => ({
      privateKey: await importJwk(k.privateKey as JsonWebKey, 'private'),
      publicKey: await importJwk(k.publicKey as JsonWebKey, 'public'),
    })),
  );
  return { id, enabled: row.enabled, defaultTeamId: row.defaultTeamId, keys };
}
