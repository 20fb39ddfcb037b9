import { eq, sql } from 'drizzle-orm';
import type { Clock } from '../../../infra/clock.ts';
import type { Db, DbOrTx } from '../../../infra/db.ts';
import { AppError, fieldErrors, invalid, notFound } from '../../../infra/errors.ts';
import type { Logger } from '../../../infra/log.ts';
import { channelAccounts } from '../../../infra/schema/index.ts';
import type { SecretBox } from '../../../infra/secrets.ts';
import { type EmailTestResult, testEmailConnection } from './connection-test.ts';
import {
  type EmailAccountFields,
  type EmailAccountInput,
  type EmailSecrets,
  emailAccountFields,
  emailSecretsSchema,
  settingsFrom,
} from './email-settings.ts';
import { type AccountRow, findAccount, findAccountByName, sealedSecretsOf, teamIdBySlug } from './queries.ts';

export interface AccountDeps {
  db: Db;
  log: Logger;
  secrets: SecretBox;
  clock: Clock;
}
/** Who changes an account: a signed-in admin, or null for the command line. */
export type AccountActor = { userId: number } | null;

const gone = () => notFound('Dieses Postfach gibt es nicht (mehr).');
const duplicateName = 'Ein Postfach mit diesem Namen gibt es schon.';

function parse(raw: EmailAccountFields): EmailAccountInput {
  const parsed = emailAccountFields.safeParse(raw);
  if (!parsed.success) throw invalid('Bitte prüfen Sie die Angaben.', fieldErrors(parsed.error));
  return parsed.data;
}

async function resolveTeam(db: DbOrTx, slug: string | null): Promise<number | null> {
  if (!slug) return null;
  const id = await teamIdBySlug(db, slug);
  if (id === undefined) throw invalid(`Ein Team mit dem Kurznamen „${slug}“ gibt es nicht.`, { team: 'Dieses Team gibt es nicht.' });
  return id;
}

async function ensureNameFree(db: DbOrTx, name: string, exceptId?: number): Promise<void> {
  const clash = await findAccountByName(db, name);
  if (clash && clash.id !== exceptId) throw new AppError('Conflict', duplicateName, { name: duplicateName });
}

const sealSecrets = (box: SecretBox, secrets: EmailSecrets) => box.seal(JSON.stringify(secrets));
/** The passwords of an account, opened for a connection (never logged, never shown). */
export const openSecrets = (box: SecretBox, sealed: string): EmailSecrets => emailSecretsSchema.parse(JSON.parse(box.open(sealed)));

export async function createEmailAccount(deps: AccountDeps, actor: AccountActor, raw: EmailAccountFields): Promise<AccountRow> {
  const input = parse(raw);
  if (!input.imapPassword) {
    throw invalid('Bitte geben Sie das Passwort für IMAP an.', { imapPassword: 'Bitte geben Sie das Passwort für IMAP an.' });
  }
  const secrets = { imapPassword: input.imapPassword, smtpPassword: input.smtpUser ? (input.smtpPassword ?? null) : null };
  const account = await deps.db.transaction(async (tx) => {
    await ensureNameFree(tx, input.name);
    const [row] = await tx
      .insert(channelAccounts)
      .values({
        kind: 'email',
        name: input.name,
        defaultTeamId: await resolveTeam(tx, input.team),
        defaultType: input.type,
        signature: input.signature,
        settings: settingsFrom(input),
        secrets: sealSecrets(deps.secrets, secrets),
      })
      .returning({ id: channelAccounts.id });
    return row && findAccount(tx, row.id);
  });
  if (!account) throw new Error('insert returned no row');
  deps.log.info({ actor: actor?.userId ?? 'cli', accountId: account.id, kind: 'email' }, 'channel account created');
  return account;
}

/** Empty password fields keep the stored passwords: the form never shows them again. */
export async function updateEmailAccount(deps: AccountDeps, actor: AccountActor, id: number, raw: EmailAccountFields): Promise<AccountRow> {
  const input = parse(raw);
  const account = await deps.db.transaction(async (tx) => {
    const sealed = await sealedSecretsOf(tx, id);
    if (sealed === undefined) throw gone();
    await ensureNameFree(tx, input.name, id);
    const stored = openSecrets(deps.secrets, sealed);
    const secrets = {
      imapPassword: input.imapPassword ?? stored.imapPassword,
      smtpPassword: input.smtpUser ? (input.smtpPassword ?? stored.smtpPassword) : null,
    };
    await tx
      .update(channelAccounts)
      .set({
        name: input.name,
        defaultTeamId: await resolveTeam(tx, input.team),
        defaultType: input.type,
        signature: input.signature,
        settings: settingsFrom(input),
        secrets: sealSecrets(deps.secrets, secrets),
        updatedAt: deps.clock.now(),
      })
      .where(eq(channelAccounts.id, id));
    return findAccount(tx, id);
  });
  if (!account) throw gone();
  deps.log.info({ actor: actor?.userId ?? 'cli', accountId: id }, 'channel account updated');
  return account;
}

export async function setAccountEnabled(deps: AccountDeps, actor: AccountActor, id: number, enabled: boolean): Promise<AccountRow> {
  const [row] = await deps.db
    .update(channelAccounts)
    .set({ enabled, updatedAt: deps.clock.now() })
    .where(eq(channelAccounts.id, id))
    .returning({ id: channelAccounts.id });
  const account = row && (await findAccount(deps.db, row.id));
  if (!account) throw gone();
  deps.log.info({ actor: actor?.userId ?? 'cli', accountId: id, enabled }, 'channel account switched');
  return account;
}

export async function removeAccount(deps: AccountDeps, actor: AccountActor, id: number): Promise<void> {
  const removed = await deps.db.delete(channelAccounts).where(eq(channelAccounts.id, id)).returning({ id: channelAccounts.id });
  if (removed.length === 0) throw gone();
  deps.log.info({ actor: actor?.userId ?? 'cli', accountId: id }, 'channel account removed');
}

export async function accountIdByName(deps: Pick<AccountDeps, 'db'>, name: string): Promise<number> {
  const account = await findAccountByName(deps.db, name);
  if (!account) throw invalid(`Ein Postfach mit dem Namen „${name}“ gibt es nicht. Alle Postfächer: amtsblatt channel list`);
  return account.id;
}

/**
 * Runs the connection test and records its outcome as the account's last contact: a success
 * clears the error, a failure counts up (the status page and, later, the warning read these).
 */
export async function testAccount(deps: AccountDeps, id: number, timeoutMs?: number): Promise<EmailTestResult> {
  const account = await findAccount(deps.db, id);
  const sealed = await sealedSecretsOf(deps.db, id);
  if (!account || sealed === undefined) throw gone();
  const result = await testEmailConnection(account.settings, openSecrets(deps.secrets, sealed), timeoutMs);
  const now = deps.clock.now();
  const ok = result.imap.ok && result.smtp.ok;
  const error = [result.imap, result.smtp]
    .filter((r) => !r.ok)
    .map((r) => r.text)
    .join(' ');
  await deps.db
    .update(channelAccounts)
    .set(
      ok
        ? { lastSuccessAt: now, lastError: null, lastErrorAt: null, consecutiveFailures: 0 }
        : { lastError: error, lastErrorAt: now, consecutiveFailures: sql`${channelAccounts.consecutiveFailures} + 1` },
    )
    .where(eq(channelAccounts.id, id));
  deps.log.info({ accountId: id, imapOk: result.imap.ok, smtpOk: result.smtp.ok }, 'channel account tested');
  return result;
}
