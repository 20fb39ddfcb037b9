import { eq } from 'drizzle-orm';
import type { Db } from '../../../infra/db.ts';
import { invalid } from '../../../infra/errors.ts';
import type { Logger } from '../../../infra/log.ts';
import { channelAccounts } from '../../../infra/schema/index.ts';
import { createSecretBox, type SecretBox, SecretKeyMismatchError } from '../../../infra/secrets.ts';

/**
 * Re-seals every stored secret with a new key in one transaction (all or nothing), then switches
 * the running process to it. Values that cannot be opened with the current key stop the rotation:
 * nothing is changed, and the message names the key they were sealed with.
 */
export async function rotateSecretKey(deps: { db: Db; secrets: SecretBox; log: Logger }, newKey: Buffer): Promise<number> {
  const next = createSecretBox(newKey);
  if (next.keyId === deps.secrets.keyId) throw invalid('Der neue Schlüssel ist derselbe wie der bisherige.');
  const count = await deps.db.transaction(async (tx) => {
    const rows = await tx.select({ id: channelAccounts.id, secrets: channelAccounts.secrets }).from(channelAccounts).for('update');
    for (const row of rows) {
      let plain: string;
      try {
        plain = deps.secrets.open(row.secrets);
      } catch (err) {
        if (err instanceof SecretKeyMismatchError) throw invalid(`${err.message} Es wurde nichts geändert.`);
        throw err;
      }
      await tx
        .update(channelAccounts)
        .set({ secrets: next.seal(plain) })
        .where(eq(channelAccounts.id, row.id));
    }
    return rows.length;
  });
  deps.secrets.replaceKey(newKey);
  deps.log.info({ accounts: count, keyId: next.keyId }, 'secret key rotated');
  return count;
}
