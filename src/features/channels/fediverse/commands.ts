import { z } from 'zod';
import { defineCommand } from '../../../infra/commands.ts';
import { ensureActorAccount } from './actor-account.ts';
import { actorUriOf } from './paths.ts';

/**
 * `amtsblatt channel add fediverse --name …`: creates the account of the town's own actor with its
 * key pairs now (otherwise the first request to the actor does). There is one actor per town.
 */
export const fediverseChannelAdd = defineCommand({
  name: 'channel add fediverse',
  options: z.object({ name: z.string().trim().min(1).max(100).optional() }),
  async run(ctx, o) {
    const actorName = ctx.infra.config.fediverse.actorName;
    const { created } = await ensureActorAccount(ctx.infra.database.db, ctx.infra.secrets, {
      actorName,
      ...(o.name ? { accountName: o.name } : {}),
    });
    const handle = `@${actorName}@${new URL(ctx.infra.config.publicUrl).host}`;
    const head = created ? 'Fediverse-Konto angelegt' : 'Das Fediverse-Konto gibt es schon';
    return `${head}: ${handle} (${actorUriOf(ctx.infra.config.publicUrl, actorName)}).\n`;
  },
});

export const fediverseCommands = [fediverseChannelAdd];
