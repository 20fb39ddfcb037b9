import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { type CommandContext, defineCommand } from '../../../infra/commands.ts';
import type { DbOrTx } from '../../../infra/db.ts';
import { AppError, invalid } from '../../../infra/errors.ts';
import { caseTypes, channelAccounts } from '../../../infra/schema/index.ts';
import { teamIdBySlug } from '../accounts/queries.ts';
import { createTelegramAccount, type TelegramAccountDeps, testTelegramAccount } from './accounts.ts';

const depsOf = (ctx: CommandContext): TelegramAccountDeps => ({
  db: ctx.infra.database.db,
  secrets: ctx.infra.secrets,
  clock: ctx.infra.clock,
  log: ctx.log,
});

const askName = 'Bitte geben Sie einen Namen für den Bot an, z. B. --name "Telegram-Bot"';
const askToken = 'Bitte geben Sie den Token des Bots mit --token an (von @BotFather).';

/** `amtsblatt channel add telegram --name … --token …`: checks the token with getMe, then stores it sealed. */
export const telegramAdd = defineCommand({
  name: 'channel add telegram',
  options: z.object({
    name: z.string({ error: askName }).trim().min(1, askName),
    token: z.string({ error: askToken }).min(1, askToken),
    channel: z.string().optional(),
    apiRoot: z.string().optional(),
    team: z.string().optional(),
    type: z.enum(caseTypes, { error: `Die Art muss eine von diesen sein: ${caseTypes.join(', ')}.` }).optional(),
  }),
  async run(ctx, o) {
    const deps = depsOf(ctx);
    const teamId = o.team ? await teamIdBySlug(deps.db, o.team) : null;
    if (teamId === undefined) throw invalid(`Ein Team mit dem Kurznamen „${o.team}“ gibt es nicht.`);
    const account = await createTelegramAccount(deps, {
      name: o.name,
      token: o.token,
      channel: o.channel,
      apiRoot: o.apiRoot,
      teamId,
      type: o.type ?? null,
    });
    return `Telegram-Bot angelegt: @${account.botUsername}. Bürgerinnen und Bürger schreiben ihm unter https://t.me/${account.botUsername}\n`;
  },
});

/** The id of a Telegram account by its name (names are unique regardless of case), or null. */
export async function telegramAccountIdByName(db: DbOrTx, name: string): Promise<number | null> {
  const [row] = await db
    .select({ id: channelAccounts.id })
    .from(channelAccounts)
    .where(sql`${channelAccounts.kind} = 'telegram' and lower(${channelAccounts.name}) = ${name.trim().toLowerCase()}`);
  return row?.id ?? null;
}

/** `amtsblatt channel test <name>` for a bot: getMe with the stored token, recorded on the status. */
export async function telegramTestReport(ctx: CommandContext, id: number): Promise<string> {
  const result = await testTelegramAccount(depsOf(ctx), id);
  if (!result.ok) throw new AppError('Unavailable', result.text);
  return `${result.text}\n`;
}

export const telegramCommands = [telegramAdd];
