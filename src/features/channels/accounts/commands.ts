import { join, resolve } from 'node:path';
import { z } from 'zod';
import { type CommandContext, defineCommand } from '../../../infra/commands.ts';
import { AppError } from '../../../infra/errors.ts';
import { caseTypes } from '../../../infra/schema/index.ts';
import { generateSecretKey, parseSecretKey, replaceLocalSecretKey, SECRET_KEY_FILE } from '../../../infra/secrets.ts';
import { telegramAccountIdByName, telegramCommands, telegramTestReport } from '../telegram/commands.ts';
import { imapFieldsFromUrl, smtpFieldsFromUrl } from './email-urls.ts';
import { accountDetails, accountTable, testReport } from './format.ts';
import { findAccount, listAccounts } from './queries.ts';
import { rotateSecretKey } from './rotation.ts';
import { type AccountDeps, accountIdByName, createEmailAccount, removeAccount, setAccountEnabled, testAccount } from './service.ts';

/** `amtsblatt channel …` and `amtsblatt secrets rotate`: the same service as /admin/kanaele. */

const depsOf = (ctx: CommandContext): AccountDeps => ({
  db: ctx.infra.database.db,
  log: ctx.log,
  secrets: ctx.infra.secrets,
  clock: ctx.infra.clock,
});

const askName = 'Bitte geben Sie den Namen des Postfachs an, z. B. amtsblatt channel show Bürgerservice';
const name = z.string({ error: askName }).trim().min(1, askName);
const askImap = 'Bitte geben Sie das Postfach mit --imap an, z. B. --imap imaps://benutzer:passwort@mail.example.org/INBOX';
const askSmtp = 'Bitte geben Sie den Versand mit --smtp an, z. B. --smtp smtps://benutzer:passwort@mail.example.org';
const optional = z
  .string()
  .optional()
  .transform((v) => v || undefined);

export const channelAdd = defineCommand({
  name: 'channel add',
  options: z.object({
    kind: z.literal('email', { error: 'Bisher lassen sich nur E-Mail-Postfächer anlegen: amtsblatt channel add email …' }),
    name,
    imap: z.string({ error: askImap }).min(1, askImap),
    smtp: z.string({ error: askSmtp }).min(1, askSmtp),
    from: z.string({ error: 'Bitte geben Sie die Absenderadresse mit --from an.' }),
    team: optional,
    type: z.enum(caseTypes, { error: `Die Art muss eine von diesen sein: ${caseTypes.join(', ')}.` }).optional(),
    signature: optional,
    moveTo: optional,
    /** The PEM text of the town's own certificate authority (the command line reads it from --ca <file>). */
    ca: optional,
    /** Every mail of this box comes from a fax gateway; --fax-sender/--fax-subject pick them by pattern instead. */
    fax: z.boolean().optional(),
    faxSender: optional,
    faxSubject: optional,
  }),
  async run(ctx, o) {
    const account = await createEmailAccount(depsOf(ctx), null, {
      ...imapFieldsFromUrl(o.imap),
      ...smtpFieldsFromUrl(o.smtp),
      name: o.name,
      from: o.from,
      team: o.team,
      type: o.type,
      signature: o.signature,
      moveTo: o.moveTo,
      caCertificate: o.ca,
      faxAll: o.fax,
      faxSender: o.faxSender,
      faxSubject: o.faxSubject,
    }).catch(namingFaxOptions);
    return `Postfach angelegt: ${account.name}. Verbindung prüfen mit: amtsblatt channel test ${quoted(account.name)}\n`;
  },
});

/** A bad pattern is reported beside its form field; on the command line it names the option it came from. */
function namingFaxOptions(err: unknown): never {
  if (!(err instanceof AppError && err.code === 'Invalid')) throw err;
  const options: Record<string, string> = { faxSender: '--fax-sender', faxSubject: '--fax-subject', caCertificate: '--ca' };
  const fields = Object.fromEntries(Object.entries(err.fields).map(([f, m]) => [f, options[f] ? `${options[f]}: ${m}` : m]));
  throw new AppError('Invalid', err.message, fields);
}

const quoted = (value: string) => (/^[\w.-]+$/.test(value) ? value : `"${value}"`);

export const channelList = defineCommand({
  name: 'channel list',
  options: z.object({}),
  run: async (ctx) => accountTable(await listAccounts(ctx.infra.database.db)),
});

export const channelShow = defineCommand({
  name: 'channel show',
  options: z.object({ name }),
  async run(ctx, o) {
    const deps = depsOf(ctx);
    const account = await findAccount(deps.db, await accountIdByName(deps, o.name));
    if (!account) throw new AppError('NotFound', 'Dieses Postfach gibt es nicht (mehr).');
    return accountDetails(account);
  },
});

export const channelTest = defineCommand({
  name: 'channel test',
  options: z.object({ name }),
  async run(ctx, o) {
    const deps = depsOf(ctx);
    const bot = await telegramAccountIdByName(deps.db, o.name);
    if (bot) return telegramTestReport(ctx, bot);
    const result = await testAccount(deps, await accountIdByName(deps, o.name));
    const report = testReport(result);
    // A failed test is a refusal (exit code 2), so scripts and monitoring can tell.
    if (!result.imap.ok || !result.smtp.ok) throw new AppError('Unavailable', report.trimEnd());
    return report;
  },
});

const channelSwitch = (commandName: 'channel enable' | 'channel disable', enabled: boolean) =>
  defineCommand({
    name: commandName,
    options: z.object({ name }),
    async run(ctx, o) {
      const deps = depsOf(ctx);
      const account = await setAccountEnabled(deps, null, await accountIdByName(deps, o.name), enabled);
      return `${account.name} ist ${enabled ? 'wieder aktiv' : 'deaktiviert; es wird nichts mehr abgerufen oder gesendet'}.\n`;
    },
  });
export const channelEnable = channelSwitch('channel enable', true);
export const channelDisable = channelSwitch('channel disable', false);

export const channelRemove = defineCommand({
  name: 'channel remove',
  options: z.object({ name }),
  async run(ctx, o) {
    const deps = depsOf(ctx);
    await removeAccount(deps, null, await accountIdByName(deps, o.name));
    return `Postfach ${o.name} entfernt; seine Zugangsdaten sind gelöscht.\n`;
  },
});

export const secretsRotate = defineCommand({
  name: 'secrets rotate',
  options: z.object({ newKey: optional }),
  async run(ctx, o) {
    let key: Buffer;
    try {
      key = parseSecretKey(o.newKey ?? generateSecretKey());
    } catch (err) {
      throw new AppError('Invalid', `--new-key ${(err as Error).message}`);
    }
    const count = await rotateSecretKey({ db: ctx.infra.database.db, secrets: ctx.infra.secrets, log: ctx.log }, key);
    const head = `${count} ${count === 1 ? 'Postfach' : 'Postfächer'} mit dem neuen Schlüssel verschlüsselt.\n`;
    if (!ctx.infra.config.secretKey) {
      const dataDir = resolve(ctx.infra.config.dataDir);
      replaceLocalSecretKey(dataDir, key);
      return `${head}Der neue Schlüssel steht in ${join(dataDir, SECRET_KEY_FILE)}.\n`;
    }
    return `${head}Setzen Sie jetzt SECRET_KEY auf den neuen Schlüssel, bevor der Server das nächste Mal startet:\n  SECRET_KEY=${key.toString('base64')}\n`;
  },
});

export const channelCommands = [
  channelAdd,
  channelList,
  channelShow,
  channelTest,
  channelEnable,
  channelDisable,
  channelRemove,
  secretsRotate,
  ...telegramCommands,
];
