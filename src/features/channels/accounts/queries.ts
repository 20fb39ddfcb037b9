import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../../infra/db.ts';
import { type CaseType, type ChannelAccountKind, channelAccounts, teams } from '../../../infra/schema/index.ts';
import { type EmailSettings, emailSettingsSchema } from './email-settings.ts';

/** A channel account as pages and commands see it: everything except the sealed secrets. */
export interface AccountRow {
  id: number;
  kind: ChannelAccountKind;
  name: string;
  enabled: boolean;
  teamSlug: string | null;
  teamName: string | null;
  defaultType: CaseType | null;
  signature: string | null;
  settings: EmailSettings;
  lastSuccessAt: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  consecutiveFailures: number;
  defaultTeamId: number | null;
  updatedAt: Date;
}

const columns = {
  id: channelAccounts.id,
  kind: channelAccounts.kind,
  name: channelAccounts.name,
  enabled: channelAccounts.enabled,
  teamSlug: teams.slug,
  teamName: teams.name,
  defaultType: channelAccounts.defaultType,
  signature: channelAccounts.signature,
  settings: channelAccounts.settings,
  lastSuccessAt: channelAccounts.lastSuccessAt,
  lastError: channelAccounts.lastError,
  lastErrorAt: channelAccounts.lastErrorAt,
  consecutiveFailures: channelAccounts.consecutiveFailures,
  defaultTeamId: channelAccounts.defaultTeamId,
  updatedAt: channelAccounts.updatedAt,
};

// Mailboxes only: other kinds (Telegram …) keep settings of their own shape and have their own pages.
const base = (db: DbOrTx, where?: SQL) =>
  db
    .select(columns)
    .from(channelAccounts)
    .leftJoin(teams, eq(teams.id, channelAccounts.defaultTeamId))
    .where(and(eq(channelAccounts.kind, 'email'), where));
const parsed = (row: Omit<AccountRow, 'settings'> & { settings: unknown }): AccountRow => ({
  ...row,
  settings: emailSettingsSchema.parse(row.settings),
});

export const listAccounts = async (db: DbOrTx): Promise<AccountRow[]> =>
  (await base(db).orderBy(asc(sql`lower(${channelAccounts.name})`))).map(parsed);

export async function findAccount(db: DbOrTx, id: number): Promise<AccountRow | undefined> {
  const [row] = await base(db, eq(channelAccounts.id, id));
  return row && parsed(row);
}

/** Names are unique regardless of case, as the command line types them. */
export async function findAccountByName(db: DbOrTx, name: string): Promise<AccountRow | undefined> {
  const [row] = await base(db, sql`lower(${channelAccounts.name}) = ${name.trim().toLowerCase()}`);
  return row && parsed(row);
}

export async function sealedSecretsOf(db: DbOrTx, id: number): Promise<string | undefined> {
  const [row] = await db.select({ secrets: channelAccounts.secrets }).from(channelAccounts).where(eq(channelAccounts.id, id));
  return row?.secrets;
}

export async function teamIdBySlug(db: DbOrTx, slug: string): Promise<number | undefined> {
  const [row] = await db.select({ id: teams.id }).from(teams).where(eq(teams.slug, slug));
  return row?.id;
}

export const allTeams = (db: DbOrTx) => db.select({ slug: teams.slug, name: teams.name }).from(teams).orderBy(asc(teams.name));
