import { z } from 'zod';
import { defineCommand } from '../../../infra/commands.ts';
import { createBlueskyAccount } from './accounts.ts';

const optional = z
  .string()
  .optional()
  .transform((v) => v || undefined);

/** `amtsblatt channel add bluesky --name … --handle … --app-password …`: the same service as /admin/kanaele/bluesky. */
export const blueskyAdd = defineCommand({
  name: 'channel add bluesky',
  options: z.object({
    name: z.string({ error: 'Bitte geben Sie den Namen mit --name an, z. B. --name Bluesky.' }),
    handle: z.string({ error: 'Bitte geben Sie das Handle mit --handle an, z. B. --handle musterstadt.bsky.social.' }),
    service: optional,
    /** From --app-password or, kept out of the shell history, BLUESKY_APP_PASSWORD. */
    appPassword: z.string({ error: 'Bitte geben Sie das App-Passwort mit --app-password oder in BLUESKY_APP_PASSWORD an.' }),
    team: optional,
    type: optional,
  }),
  async run(ctx, o) {
    const account = await createBlueskyAccount(
      { db: ctx.infra.database.db, log: ctx.log, secrets: ctx.infra.secrets, clock: ctx.infra.clock },
      null,
      {
        name: o.name,
        handle: o.handle,
        service: o.service,
        appPassword: o.appPassword,
        team: o.team,
        type: o.type as 'defect' | undefined,
      },
    );
    return `Bluesky-Konto verbunden: ${account.name} (@${account.settings.handle}). Verbindung prüfen unter /admin/kanaele/bluesky.\n`;
  },
});
