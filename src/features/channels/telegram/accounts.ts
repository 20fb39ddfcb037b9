import { randomBytes } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Clock } from '../../../infra/clock.ts';
import type { Db, DbOrTx } from '../../../infra/db.ts';
import { AppError, invalid, notFound } from '../../../infra/errors.ts';
import type { Logger } from '../../../infra/log.ts';
import { type CaseType, channelAccounts } from '../../../infra/schema/index.ts';
import type { SecretBox } from '../../../infra/secrets.ts';
import { botApi, troubleOf } from './bot-api.ts';
import {
  botTokenSchema,
  TELEGRAM_API_ROOT,
  type TelegramCursor,
  type TelegramSecrets,
  type TelegramSettings,
  telegramCursorSchema,
  telegramSecretsSchema,
  telegramSettingsSchema,
} from './settings.ts';

export interface TelegramAccount {
  id: number;
  name: string;
  enabled: boolean;
  defaultTeamId: number | null;
  defaultType: CaseType | null;
  settings: TelegramSettings;
  secrets: TelegramSecrets;
  cursor: TelegramCursor;
  lastError: string | null;
}

export interface TelegramAccountDeps {
  db: Db;
  secrets: SecretBox;
  clock: Clock;
  log: Logger;
}

/** One Telegram account with its opened secrets, for intake and sending only (never for a page). */
export async function telegramAccount(deps: Pick<TelegramAccountDeps, 'db' | 'secrets'>, id: number): Promise<TelegramAccount | null> {
  const [row] = await deps.db
    .select()
    .from(channelAccounts)
    .where(and(eq(channelAccounts.id, id), eq(channelAccounts.kind, 'telegram')));
  if (!row) return null;
  return {
    id: row.id,
    name: row.name,
    enabled: row.enabled,
    defaultTeamId: row.defaultTeamId,
    defaultType: row.defaultType,
    settings: telegramSettingsSchema.parse(row.settings),
    secrets: telegramSecretsSchema.parse(JSON.parse(deps.secrets.open(row.secrets))),
    cursor: telegramCursorSchema.parse(row.cursor),
    lastError: row.lastError,
  };
}

/** The bots as the admin page shows them: no secrets. */
export async function listTelegramAccounts(db: DbOrTx) {
  const rows = await db
    .select({
      id: channelAccounts.id,
      name: channelAccounts.name,
      enabled: channelAccounts.enabled,
      settings: channelAccounts.settings,
      lastSuccessAt: channelAccounts.lastSuccessAt,
      lastError: channelAccounts.lastError,
      lastErrorAt: channelAccounts.lastErrorAt,
    })
    .from(channelAccounts)
    .where(eq(channelAccounts.kind, 'telegram'))
    .orderBy(asc(channelAccounts.name));
  return rows.map((r) => ({ ...r, settings: telegramSettingsSchema.parse(r.settings) }));
}

export async function setTelegramAccountEnabled(
  deps: Pick<TelegramAccountDeps, 'db' | 'clock'>,
  id: number,
  enabled: boolean,
): Promise<void> {
  const done = await deps.db
    .update(channelAccounts)
    .set({ enabled, updatedAt: deps.clock.now() })
    .where(and(eq(channelAccounts.id, id), eq(channelAccounts.kind, 'telegram')))
    .returning({ id: channelAccounts.id });
  if (done.length === 0) throw notFound('Dieses Telegram-Konto gibt es nicht (mehr).');
}

export async function enabledTelegramAccountIds(db: DbOrTx): Promise<number[]> {
  const rows = await db
    .select({ id: channelAccounts.id })
    .from(channelAccounts)
    .where(and(eq(channelAccounts.kind, 'telegram'), eq(channelAccounts.enabled, true)));
  return rows.map((r) => r.id);
}

export interface NewTelegramAccount {
  name: string;
  token: string;
  channel?: string | undefined;
  apiRoot?: string | undefined;
  teamId?: number | null;
  type?: CaseType | null;
}

/** "Verbindung testen" first: the bot's name comes from getMe, so a wrong token is refused before anything is stored. */
export async function createTelegramAccount(
  deps: TelegramAccountDeps,
  input: NewTelegramAccount,
): Promise<{ id: number; botUsername: string }> {
  const token = botTokenSchema.safeParse(input.token);
  if (!token.success) {
    const text = token.error.issues[0]?.message ?? 'Ungültiger Token.';
    throw invalid(text, { token: text });
  }
  const name = input.name.trim();
  if (!name || name.length > 100)
    throw invalid('Bitte geben Sie einen Namen an (höchstens 100 Zeichen).', { name: 'Bitte geben Sie einen Namen an.' });
  const channel = input.channel ? (input.channel.startsWith('@') ? input.channel : `@${input.channel}`) : null;
  const apiRoot = (input.apiRoot ?? TELEGRAM_API_ROOT).replace(/\/+$/, '');
  const draft = telegramSettingsSchema.safeParse({ botId: 1, botUsername: 'x', channel, apiRoot });
  if (!draft.success) {
    const bad =
      draft.error.issues[0]?.path[0] === 'channel'
        ? 'Der Kanal hat die Form @name (5–32 Zeichen).'
        : 'Die Adresse des Bot-API-Servers ist ungültig.';
    throw invalid(bad);
  }
  let me: Awaited<ReturnType<ReturnType<typeof botApi>['getMe']>>;
  try {
    me = await botApi({ apiRoot }, { token: token.data }).getMe();
  } catch (err) {
    const trouble = troubleOf(err);
    if (trouble.kind === 'unauthorized') {
      const text = 'Telegram kennt diesen Token nicht. Bitte kopieren Sie ihn noch einmal aus @BotFather.';
      throw invalid(text, { token: text });
    }
    throw new AppError('Unavailable', `Verbindung zu Telegram fehlgeschlagen: ${trouble.text}`);
  }
  const settings: TelegramSettings = { ...draft.data, botId: me.id, botUsername: me.username };
  const secrets: TelegramSecrets = { token: token.data, webhookSecret: randomBytes(32).toString('base64url') };
  const [row] = await deps.db
    .insert(channelAccounts)
    .values({
      kind: 'telegram',
      name,
      defaultTeamId: input.teamId ?? null,
      defaultType: input.type ?? null,
      settings,
      secrets: deps.secrets.seal(JSON.stringify(secrets)),
      lastSuccessAt: deps.clock.now(),
    })
    .onConflictDoNothing()
    .returning({ id: channelAccounts.id });
  if (!row) throw new AppError('Conflict', 'Ein Konto mit diesem Namen gibt es schon.');
  deps.log.info({ accountId: row.id, kind: 'telegram' }, 'channel account created');
  return { id: row.id, botUsername: me.username };
}

/** "Verbindung testen": getMe with the stored token; the outcome is the account's last contact. */
export async function testTelegramAccount(deps: TelegramAccountDeps, id: number): Promise<{ ok: boolean; text: string }> {
  const account = await telegramAccount(deps, id);
  if (!account) throw notFound('Dieses Telegram-Konto gibt es nicht (mehr).');
  try {
    const me = await botApi(account.settings, account.secrets).getMe();
    await recordSuccess(deps, id);
    return { ok: true, text: `Verbindung in Ordnung: Der Bot heißt @${me.username}.` };
  } catch (err) {
    const text = troubleOf(err).text;
    await recordFailure(deps, id, text);
    return { ok: false, text };
  }
}

export async function recordSuccess(deps: Pick<TelegramAccountDeps, 'db' | 'clock'>, id: number): Promise<void> {
  await deps.db
    .update(channelAccounts)
    .set({ lastSuccessAt: deps.clock.now(), lastError: null, lastErrorAt: null, consecutiveFailures: 0 })
    .where(eq(channelAccounts.id, id));
}

export async function recordFailure(deps: Pick<TelegramAccountDeps, 'db' | 'clock'>, id: number, text: string): Promise<void> {
  await deps.db
    .update(channelAccounts)
    .set({ lastError: text, lastErrorAt: deps.clock.now(), consecutiveFailures: sql`${channelAccounts.consecutiveFailures} + 1` })
    .where(eq(channelAccounts.id, id));
}

export async function saveCursor(db: DbOrTx, id: number, cursor: TelegramCursor): Promise<void> {
  await db.update(channelAccounts).set({ cursor }).where(eq(channelAccounts.id, id));
}
