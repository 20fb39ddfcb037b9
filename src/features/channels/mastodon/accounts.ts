import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../infra/db.ts';
import { AppError, fieldErrors, invalid, notFound } from '../../../infra/errors.ts';
import { channelAccounts } from '../../../infra/schema/index.ts';
import type { SecretBox } from '../../../infra/secrets.ts';
import { teamIdBySlug } from '../accounts/queries.ts';
import type { AccountActor, AccountDeps } from '../accounts/service.ts';
import { MastodonError, mastodonClient } from './api.ts';
import {
  type MastodonAccountFields,
  type MastodonCursor,
  type MastodonSecrets,
  type MastodonSettings,
  mastodonAccountFields,
  mastodonCursorSchema,
  mastodonSecretsSchema,
  mastodonSettingsSchema,
} from './settings.ts';

/** A Mastodon account as intake, transport and pages use it; the token only where a call needs it. */
export interface MastodonAccountRow {
  id: number;
  name: string;
  enabled: boolean;
  defaultTeamId: number | null;
  defaultType: (typeof channelAccounts.$inferSelect)['defaultType'];
  signature: string | null;
  settings: MastodonSettings;
  cursor: MastodonCursor;
  lastSuccessAt: Date | null;
  lastError: string | null;
  consecutiveFailures: number;
}

const gone = () => notFound('Dieses Mastodon-Konto gibt es nicht (mehr).');
const duplicateName = 'Ein Kanal mit diesem Namen gibt es schon.';

const rowOf = (r: typeof channelAccounts.$inferSelect): MastodonAccountRow => ({
  id: r.id,
  name: r.name,
  enabled: r.enabled,
  defaultTeamId: r.defaultTeamId,
  defaultType: r.defaultType,
  signature: r.signature,
  settings: mastodonSettingsSchema.parse(r.settings),
  cursor: mastodonCursorSchema.parse(r.cursor ?? {}),
  lastSuccessAt: r.lastSuccessAt,
  lastError: r.lastError,
  consecutiveFailures: r.consecutiveFailures,
});

export async function findMastodonAccount(db: DbOrTx, id: number): Promise<MastodonAccountRow | undefined> {
  const [row] = await db
    .select()
    .from(channelAccounts)
    .where(and(eq(channelAccounts.id, id), eq(channelAccounts.kind, 'mastodon')));
  return row && rowOf(row);
}

export async function listMastodonAccounts(db: DbOrTx): Promise<MastodonAccountRow[]> {
  const rows = await db.select().from(channelAccounts).where(eq(channelAccounts.kind, 'mastodon')).orderBy(channelAccounts.id);
  return rows.map(rowOf);
}

/** The account's API client: its server and its token, opened only for the call. */
export async function clientOf(db: DbOrTx, box: SecretBox, id: number, now?: () => Date) {
  const [row] = await db
    .select({ secrets: channelAccounts.secrets, settings: channelAccounts.settings })
    .from(channelAccounts)
    .where(and(eq(channelAccounts.id, id), eq(channelAccounts.kind, 'mastodon')));
  if (!row) throw gone();
  const secrets: MastodonSecrets = mastodonSecretsSchema.parse(JSON.parse(box.open(row.secrets)));
  const settings = mastodonSettingsSchema.parse(row.settings);
  return mastodonClient({ instanceUrl: settings.instanceUrl, accessToken: secrets.accessToken, ...(now ? { now } : {}) });
}

function parse(raw: MastodonAccountFields) {
  const parsed = mastodonAccountFields.safeParse(raw);
  if (!parsed.success) throw invalid('Bitte prüfen Sie die Angaben.', fieldErrors(parsed.error));
  return parsed.data;
}

async function teamOf(db: DbOrTx, slug: string | null): Promise<number | null> {
  if (!slug) return null;
  const id = await teamIdBySlug(db, slug);
  if (id === undefined) throw invalid(`Ein Team mit dem Kurznamen „${slug}“ gibt es nicht.`, { team: 'Dieses Team gibt es nicht.' });
  return id;
}

async function ensureNameFree(db: DbOrTx, name: string, exceptId?: number) {
  const [clash] = await db
    .select({ id: channelAccounts.id })
    .from(channelAccounts)
    .where(sql`lower(${channelAccounts.name}) = ${name.toLowerCase()}`);
  if (clash && clash.id !== exceptId) throw new AppError('Conflict', duplicateName, { name: duplicateName });
}

export async function createMastodonAccount(
  deps: AccountDeps,
  actor: AccountActor,
  raw: MastodonAccountFields,
): Promise<MastodonAccountRow> {
  const input = parse(raw);
  if (!input.accessToken) {
    const ask = 'Bitte geben Sie den Zugangsschlüssel des Kontos an (Einstellungen → Entwicklung → Neue Anwendung).';
    throw invalid(ask, { accessToken: ask });
  }
  const token = input.accessToken;
  const account = await deps.db.transaction(async (tx) => {
    await ensureNameFree(tx, input.name);
    const [row] = await tx
      .insert(channelAccounts)
      .values({
        kind: 'mastodon',
        name: input.name,
        defaultTeamId: await teamOf(tx, input.team),
        defaultType: input.type,
        signature: input.signature,
        settings: { instanceUrl: input.instanceUrl, handle: input.handle } satisfies MastodonSettings,
        secrets: deps.secrets.seal(JSON.stringify({ accessToken: token } satisfies MastodonSecrets)),
      })
      .returning();
    return row && rowOf(row);
  });
  if (!account) throw new Error('insert returned no row');
  deps.log.info({ actor: actor?.userId ?? 'cli', accountId: account.id, kind: 'mastodon' }, 'channel account created');
  return account;
}

/** Empty token field keeps the stored token: the form never shows it again. */
export async function updateMastodonAccount(
  deps: AccountDeps,
  actor: AccountActor,
  id: number,
  raw: MastodonAccountFields,
): Promise<MastodonAccountRow> {
  const input = parse(raw);
  const account = await deps.db.transaction(async (tx) => {
    if (!(await findMastodonAccount(tx, id))) throw gone();
    await ensureNameFree(tx, input.name, id);
    const [row] = await tx
      .update(channelAccounts)
      .set({
        name: input.name,
        defaultTeamId: await teamOf(tx, input.team),
        defaultType: input.type,
        signature: input.signature,
        settings: { instanceUrl: input.instanceUrl, handle: input.handle } satisfies MastodonSettings,
        ...(input.accessToken ? { secrets: deps.secrets.seal(JSON.stringify({ accessToken: input.accessToken })) } : {}),
        // A new token or server starts a fresh status.
        ...(input.accessToken ? { lastError: null, lastErrorAt: null, consecutiveFailures: 0 } : {}),
        updatedAt: deps.clock.now(),
      })
      .where(eq(channelAccounts.id, id))
      .returning();
    return row && rowOf(row);
  });
  if (!account) throw gone();
  deps.log.info({ actor: actor?.userId ?? 'cli', accountId: id }, 'channel account updated');
  return account;
}

export type MastodonTestResult = { ok: true; text: string } | { ok: false; text: string };

/** "Verbindung testen": verify_credentials with the stored token; the outcome is the account's last contact. */
export async function testMastodonAccount(deps: AccountDeps, id: number): Promise<MastodonTestResult> {
  const account = await findMastodonAccount(deps.db, id);
  if (!account) throw gone();
  const client = await clientOf(deps.db, deps.secrets, id, () => deps.clock.now());
  try {
    const me = await client.verifyCredentials();
    await recordSuccess(deps.db, id, deps.clock.now());
    deps.log.info({ accountId: id, ok: true }, 'channel account tested');
    return { ok: true, text: `Verbindung in Ordnung: angemeldet als @${me.acct} bei ${new URL(account.settings.instanceUrl).host}.` };
  } catch (err) {
    const text = err instanceof MastodonError ? err.message : 'Der Test ist unerwartet fehlgeschlagen.';
    await recordFailure(deps.db, id, deps.clock.now(), text);
    deps.log.info({ accountId: id, ok: false, reason: err instanceof MastodonError ? err.kind : 'error' }, 'channel account tested');
    return { ok: false, text };
  }
}

export async function recordSuccess(db: DbOrTx, id: number, now: Date): Promise<void> {
  await db
    .update(channelAccounts)
    .set({ lastSuccessAt: now, lastError: null, lastErrorAt: null, consecutiveFailures: 0 })
    .where(eq(channelAccounts.id, id));
}

/** `text` is German and shown on the status page; it never holds a token or a citizen's words. */
export async function recordFailure(db: DbOrTx, id: number, now: Date, text: string): Promise<void> {
  await db
    .update(channelAccounts)
    .set({ lastError: text, lastErrorAt: now, consecutiveFailures: sql`${channelAccounts.consecutiveFailures} + 1` })
    .where(eq(channelAccounts.id, id));
}

export async function saveCursor(db: DbOrTx, id: number, cursor: MastodonCursor): Promise<void> {
  await db.update(channelAccounts).set({ cursor }).where(eq(channelAccounts.id, id));
}
