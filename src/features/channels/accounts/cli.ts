import { readFileSync } from 'node:fs';
import type { Command, CommanderError } from 'commander';
import { EXIT_BAD_INPUT, type ExecuteCommand } from '../../../infra/commands.ts';
import { blueskyAdd } from '../bluesky/commands.ts';
import { fediverseChannelAdd } from '../fediverse/commands.ts';
import { channelAddMastodon } from '../mastodon/commands.ts';
import { telegramAdd } from '../telegram/commands.ts';
import {
  channelAdd,
  channelDisable,
  channelEnable,
  channelList,
  channelRemove,
  channelShow,
  channelTest,
  secretsRotate,
} from './commands.ts';

/** Wrong usage (unknown option, missing value) is bad input: exit code 2, like the commands' own checks. */
function usageIsBadInput(cmd: Command): void {
  cmd.exitOverride((err: CommanderError) => {
    const usage =
      err.code.startsWith('commander.') &&
      !['commander.helpDisplayed', 'commander.help', 'commander.version', 'commander.error'].includes(err.code);
    process.exit(usage ? EXIT_BAD_INPUT : err.exitCode);
  });
}

/** --ca names a file; the command takes its text, so the server's admin socket needs no access to it. */
function readCaFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    process.stderr.write(`--ca: Die Datei „${path}“ lässt sich nicht lesen.\n`);
    process.exit(EXIT_BAD_INPUT);
  }
}

interface AddOptions {
  name?: string;
  imap?: string;
  smtp?: string;
  from?: string;
  team?: string;
  type?: string;
  signature?: string;
  moveTo?: string;
  ca?: string;
  fax?: boolean;
  faxSender?: string;
  faxSubject?: string;
  instance?: string;
  handle?: string;
  token?: string;
  service?: string;
  appPassword?: string;
  channel?: string;
  apiRoot?: string;
}

/** `amtsblatt channel …` and `amtsblatt secrets rotate`: commander's side of commands.ts. */
export function registerChannelCommands(program: Command, execute: ExecuteCommand): void {
  const channel = program.command('channel').description('Postfächer und andere Eingangskanäle verwalten');
  usageIsBadInput(channel);

  channel
    .command('add')
    .description(
      'Legt ein Postfach (email), ein Mastodon-Konto (mastodon), ein Bluesky-Konto (bluesky), einen Telegram-Bot (telegram) oder das eigene Fediverse-Konto der Stadt (fediverse, nur --name) an; Passwörter und Schlüssel werden verschlüsselt gespeichert',
    )
    .argument('<art>', 'email | mastodon | bluesky | telegram | fediverse')
    .option('--service <url>', 'bluesky: Server (Standard: https://bsky.social)')
    .option('--app-password <passwort>', 'bluesky: App-Passwort (xxxx-xxxx-xxxx-xxxx; oder BLUESKY_APP_PASSWORD)')
    .option('--channel <@name>', 'telegram: öffentlicher Kanal, in den die Stadt veröffentlicht')
    .option('--api-root <url>', 'telegram: eigener Bot-API-Server (sonst https://api.telegram.org)')
    .option('--name <name>', 'Name des Postfachs, z. B. Bürgerservice')
    .option(
      '--imap <url>',
      'Abruf: imaps://benutzer:passwort@server[:993]/INBOX, imap://…[:143] (STARTTLS, Pflicht) oder imap://…?tls=none (unverschlüsselt)',
    )
    .option('--smtp <url>', 'Versand: smtps://benutzer:passwort@server[:465], smtp://…[:587] (STARTTLS, Pflicht) oder smtp://…:25?tls=none')
    .option('--from <adresse>', 'Absenderadresse der Antworten')
    .option('--team <kurzname>', 'Team, an das neue Anliegen gehen, wenn keine Regel greift')
    .option('--type <art>', 'Art neuer Anliegen: defect, idea, complaint, question, praise')
    .option('--signature <text>', 'Signatur unter den Antworten')
    .option('--move-to <ordner>', 'abgerufene Mails in diesen Ordner verschieben (sonst: als gelesen markieren)')
    .option('--ca <datei>', 'Zertifikat der eigenen Zertifizierungsstelle der Stadt (PEM), zusätzlich zu den üblichen')
    .option('--fax', 'jede Mail dieses Postfachs ist ein Fax (von der Telefonanlage, mit PDF)')
    .option('--fax-sender <regex>', 'Mails, deren Absenderadresse hierauf passt, sind Faxe (RE2, z. B. ^fax@telefon\\.musterstadt\\.de$)')
    .option(
      '--fax-subject <regex>',
      'Mails, deren Betreff hierauf passt, sind Faxe (RE2, z. B. "^Fax (von|from)"); mit --fax-sender: beide müssen passen',
    )
    .option('--instance <url>', 'mastodon: Adresse des Mastodon-Servers, z. B. https://musterstadt.social')
    .option('--handle <konto>', 'mastodon/bluesky: das Konto der Stadt, z. B. @stadt@musterstadt.social oder musterstadt.bsky.social')
    .option(
      '--token <schlüssel>',
      'mastodon: Zugangsschlüssel (Einstellungen → Entwicklung → Neue Anwendung; Rechte read, write); telegram: Token des Bots von @BotFather',
    )
    .action((kind: string, o: AddOptions) =>
      kind === 'fediverse'
        ? execute(fediverseChannelAdd, { name: o.name })
        : kind === 'telegram'
          ? execute(telegramAdd, {
              name: o.name,
              token: o.token,
              channel: o.channel,
              apiRoot: o.apiRoot,
              team: o.team,
              type: o.type as 'defect' | undefined,
            })
          : kind === 'mastodon'
            ? execute(channelAddMastodon, {
                name: o.name,
                instance: o.instance,
                handle: o.handle,
                token: o.token,
                team: o.team,
                type: o.type as 'defect' | undefined,
                signature: o.signature,
              })
            : kind === 'bluesky'
              ? execute(blueskyAdd, {
                  name: o.name,
                  handle: o.handle,
                  service: o.service,
                  appPassword: o.appPassword ?? process.env.BLUESKY_APP_PASSWORD,
                  team: o.team,
                  type: o.type,
                })
              : execute(channelAdd, {
                  kind: kind as 'email',
                  name: o.name,
                  imap: o.imap,
                  smtp: o.smtp,
                  from: o.from,
                  team: o.team,
                  type: o.type as 'defect' | undefined,
                  signature: o.signature,
                  moveTo: o.moveTo,
                  ca: o.ca === undefined ? undefined : readCaFile(o.ca),
                  fax: o.fax,
                  faxSender: o.faxSender,
                  faxSubject: o.faxSubject,
                }),
    );

  channel
    .command('list')
    .description('Listet alle Postfächer mit ihrem Zustand (ohne Passwörter)')
    .action(() => execute(channelList, {}));

  for (const [verb, command, description] of [
    ['show', channelShow, 'Zeigt die Einstellungen eines Postfachs (ohne Passwörter)'],
    ['test', channelTest, 'Meldet sich bei IMAP und SMTP an und sagt, was geht und was nicht'],
    ['enable', channelEnable, 'Aktiviert ein Postfach wieder'],
    ['disable', channelDisable, 'Deaktiviert ein Postfach: nichts wird mehr abgerufen oder gesendet'],
    ['remove', channelRemove, 'Entfernt ein Postfach und seine Zugangsdaten'],
  ] as const) {
    channel
      .command(verb)
      .description(description)
      .argument('<name>', 'Name des Postfachs')
      .action((name: string) => execute(command, { name }));
  }

  const secrets = program.command('secrets').description('Verschlüsselte Zugangsdaten');
  usageIsBadInput(secrets);
  secrets
    .command('rotate')
    .description('Verschlüsselt alle gespeicherten Zugangsdaten mit einem neuen Schlüssel (in einer Transaktion)')
    .option('--new-key <schlüssel>', '32 Byte als Base64 oder 64 Hexadezimalzeichen; ohne: wird erzeugt und angezeigt')
    .action((o: { newKey?: string }) => execute(secretsRotate, { newKey: o.newKey }));
}
