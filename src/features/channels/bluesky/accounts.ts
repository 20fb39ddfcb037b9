import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../../infra/db.ts';
import { AppError, fieldErrors, invalid, notFound } from '../../../infra/errors.ts';
import { channelAccounts } from '../../../infra/schema/index.ts';
import { findAccountByName, teamIdBySlug } from '../accounts/queries.ts';
import type { AccountActor, AccountDeps } from '../accounts/service.ts';
import { type BlueskyAccount, loadBlueskyAccount, problemText, recordContact, sealBlueskySecrets, withAgent } from './client.ts';
import { type BlueskyAccountFields, blueskyAccountFields } from './settings.ts';

const gone = () => notFound('Dieses Bluesky-Konto gibt es nicht (mehr).');

/** Connects a Bluesky account: handle and server in the settings, the app password sealed. */
export async function createBlueskyAccount(deps: AccountDeps, actor: AccountActor, raw: BlueskyAccountFields): Promise<BlueskyAccount> {
  const parsed = blueskyAccountFields.safeParse(raw);
  if (!parsed.success) throw invalid('Bitte prüfen Sie die Angaben.', fieldErrors(parsed.error));
  const input = parsed.data;
  const id = await deps.db.transaction(async (tx) => {
    const clash = (await findAccountByName(tx, input.name)) ?? (await blueskyByName(tx, input.name));
    if (clash)
      throw new AppError('Conflict', 'Ein Kanal mit diesem Namen gibt es schon.', { name: 'Ein Kanal mit diesem Namen gibt es schon.' });
    const teamId = input.team ? await teamIdBySlug(tx, input.team) : null;
    if (teamId === undefined)
      throw invalid(`Ein Team mit dem Kurznamen „${input.team}“ gibt es nicht.`, { team: 'Dieses Team gibt es nicht.' });
    const [row] = await tx
      .insert(channelAccounts)
      .values({
        kind: 'bluesky',
        name: input.name,
        defaultTeamId: teamId,
        defaultType: input.type,
        settings: { handle: input.handle, service: input.service },
        secrets: sealBlueskySecrets(deps.secrets, { appPassword: input.appPassword, session: null }),
      })
      .returning({ id: channelAccounts.id });
    return row?.id;
  });
  const account = id && (await loadBlueskyAccount(deps, id));
  if (!account) throw new Error('insert returned no row');
  deps.log.info({ actor: actor?.userId ?? 'cli', accountId: account.id, kind: 'bluesky' }, 'channel account created');
  return account;
}

async function blueskyByName(db: DbOrTx, name: string) {
  const rows = await db
    .select({ id: channelAccounts.id, name: channelAccounts.name })
    .from(channelAccounts)
    .where(eq(channelAccounts.kind, 'bluesky'));
  return rows.find((r) => r.name.toLowerCase() === name.trim().toLowerCase());
}

export async function blueskyAccountIdByName(deps: Pick<AccountDeps, 'db'>, name: string): Promise<number> {
  const row = await blueskyByName(deps.db, name);
  if (!row) throw invalid(`Ein Bluesky-Konto mit dem Namen „${name}“ gibt es nicht.`);
  return row.id;
}

export type BlueskyTestResult = { ok: true; text: string } | { ok: false; text: string };

/** "Verbindung testen": signs in with the app password (a fresh session) and records the outcome on the account. */
export async function testBlueskyAccount(deps: AccountDeps, id: number): Promise<BlueskyTestResult> {
  const account = await loadBlueskyAccount(deps, id);
  if (!account) throw gone();
  account.secrets = { ...account.secrets, session: null };
  try {
    const did = await withAgent(deps, account, async (agent) => (await agent.com.atproto.server.getSession()).data.did);
    await recordContact(deps, account, { ok: true });
    deps.log.info({ accountId: id, ok: true }, 'channel account tested');
    return { ok: true, text: `Anmeldung bei ${account.settings.service} als @${account.settings.handle} gelungen (${did}).` };
  } catch (err) {
    const text = problemText(err, deps.clock.now());
    await recordContact(deps, account, { ok: false, error: text });
    deps.log.info({ accountId: id, ok: false }, 'channel account tested');
    return { ok: false, text };
  }
}

/** The town's Bluesky accounts for the channels page. */
export async function listBlueskyAccounts(deps: Pick<AccountDeps, 'db' | 'secrets'>): Promise<BlueskyAccount[]> {
  const rows = await deps.db
    .select({ id: channelAccounts.id })
    .from(channelAccounts)
    .where(eq(channelAccounts.kind, 'bluesky'))
    .orderBy(channelAccounts.name);
  const out: BlueskyAccount[] = [];
  for (const r of rows) {
    const a = await loadBlueskyAccount(deps, r.id);
    if (a) out.push(a);
  }
  return out;
}
