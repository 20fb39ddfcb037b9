import { userCommands } from './features/admin/commands.ts';
import { contactCommands } from './features/cases/contact-commands.ts';
import { channelCommands } from './features/channels/accounts/commands.ts';
import { fediverseCommands } from './features/channels/fediverse/commands.ts';
import { mastodonCommands } from './features/channels/mastodon/commands.ts';
import { caseCommands } from './features/duplicates/case-commands.ts';
import { apikeyCommands } from './features/open311/commands.ts';
import { open311Commands } from './features/open311-import/commands.ts';
import { classifierCommands } from './features/routing/classifier/commands.ts';
import type { DataCommand } from './infra/commands.ts';

/**
 * The one registry of data commands: the running server's admin socket accepts exactly these.
 * A feature adds its commands here and wires their options into commander in its own cli.ts.
 */
export const dataCommands: readonly DataCommand[] = [
  ...userCommands,
  ...classifierCommands,
  ...channelCommands,
  ...mastodonCommands,
  ...fediverseCommands,
  ...contactCommands,
  ...caseCommands,
  ...open311Commands,
  ...apikeyCommands,
];
