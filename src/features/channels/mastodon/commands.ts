import { z } from 'zod';
import { type CommandContext, defineCommand } from '../../../infra/commands.ts';
import { caseTypes } from '../../../infra/schema/index.ts';
import type { AccountDeps } from '../accounts/service.ts';
import { createMastodonAccount, testMastodonAccount } from './accounts.ts';

const depsOf = (ctx: CommandContext): AccountDeps => ({
  db: ctx.infra.database.db,
  log: ctx.log,
  secrets: ctx.infra.secrets,
  clock: ctx.infra.clock,
});

const ask = (what: string, example: string) => {
  const message = `Bitte geben Sie ${what} an, z. B. ${example}`;
  return z.string({ error: message }).trim().min(1, message);
};
const optional = z
  .string()
  .optional()
  .transform((v) => v || undefined);

/**
 * `amtsblatt channel add mastodon --name … --instance … --handle … --token …`: connects the town's
 * account (the token is sealed at once) and tests it with verify_credentials; the account is kept
 * either way, so a token can be fixed later under /admin/kanaele.
 */
export const channelAddMastodon = defineCommand({
  name: 'channel add mastodon',
  options: z.object({
    name: ask('den Namen des Kanals mit --name', '--name "Mastodon der Stadt"'),
    instance: ask('den Mastodon-Server mit --instance', '--instance https://musterstadt.social'),
    handle: ask('das Konto mit --handle', '--handle @stadt@musterstadt.social'),
    token: ask('den Zugangsschlüssel mit --token', '--token "$MASTODON_TOKEN"'),
    team: optional,
    type: z.enum(caseTypes, { error: `Die Art muss eine von diesen sein: ${caseTypes.join(', ')}.` }).optional(),
    signature: optional,
  }),
  async run(ctx, o) {
    const deps = depsOf(ctx);
    const account = await createMastodonAccount(deps, null, {
      name: o.name,
      instanceUrl: o.instance,
      handle: o.handle,
      accessToken: o.token,
      team: o.team,
      type: o.type ?? null,
      signature: o.signature,
    });
    const test = await testMastodonAccount(deps, account.id);
    return `Mastodon-Konto angelegt: ${account.name} (@${account.settings.handle}).\n${test.text}\n`;
  },
});

export const mastodonCommands = [channelAddMastodon];
