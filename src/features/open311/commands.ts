import { z } from 'zod';
import { type CommandContext, defineCommand, textTable } from '../../infra/commands.ts';
import { formatDateTime } from '../admin/views/common.tsx';
import { createApiKey, DEFAULT_RATE, type KeyDeps, listApiKeys, revokeApiKey } from './api-keys.ts';

/** `amtsblatt apikey …`: the same functions as /admin/schnittstellen. */

const depsOf = (ctx: CommandContext): KeyDeps => ({ db: ctx.infra.database.db, log: ctx.log });

export const apikeyCreate = defineCommand({
  name: 'apikey create',
  // Checked in full by the service (the same messages as the admin page).
  options: z.object({ name: z.string().default(''), rate: z.number().optional() }),
  async run(ctx, o) {
    const { row, key } = await createApiKey(depsOf(ctx), null, {
      name: o.name,
      requestsPerMinute: o.rate ?? DEFAULT_RATE,
    });
    return (
      `Schlüssel Nr. ${row.id} „${row.name}“ erzeugt, ${row.requestsPerMinute} Anfragen pro Minute.\n` +
      `Schlüssel (wird nur jetzt angezeigt, bitte sicher weitergeben):\n  ${key}\n`
    );
  },
});

export const apikeyList = defineCommand({
  name: 'apikey list',
  options: z.object({}),
  async run(ctx) {
    const rows = await listApiKeys(ctx.infra.database.db);
    if (rows.length === 0) return 'Noch keine Schlüssel. Anlegen mit: amtsblatt apikey create NAME [--rate N]\n';
    return textTable(
      ['Nr.', 'Name', 'Beginnt mit', 'Pro Minute', 'Erzeugt', 'Zuletzt benutzt', 'Status'],
      rows.map((k) => [
        String(k.id),
        k.name,
        `${k.prefix}…`,
        String(k.requestsPerMinute),
        formatDateTime(k.createdAt),
        k.lastUsedAt ? formatDateTime(k.lastUsedAt) : 'noch nie',
        k.revokedAt ? `widerrufen ${formatDateTime(k.revokedAt)}` : 'aktiv',
      ]),
    );
  },
});

const idMessage = 'Bitte geben Sie die Nummer des Schlüssels an (siehe amtsblatt apikey list).';

export const apikeyRevoke = defineCommand({
  name: 'apikey revoke',
  options: z.object({ id: z.coerce.number({ error: idMessage }).int(idMessage).positive(idMessage) }),
  async run(ctx, o) {
    const row = await revokeApiKey(depsOf(ctx), null, o.id, ctx.infra.clock.now());
    return `Schlüssel Nr. ${row.id} „${row.name}“ ist widerrufen; Anfragen mit ihm werden abgelehnt.\n`;
  },
});

export const apikeyCommands = [apikeyCreate, apikeyList, apikeyRevoke];
