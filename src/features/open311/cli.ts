import { type Command, type CommanderError, InvalidArgumentError } from 'commander';
import { EXIT_BAD_INPUT, type ExecuteCommand } from '../../infra/commands.ts';
import { apikeyCreate, apikeyList, apikeyRevoke } from './commands.ts';

function parseRate(value: string): number {
  if (!/^\d{1,6}$/.test(value)) throw new InvalidArgumentError('--rate braucht eine ganze Zahl (Anfragen pro Minute).');
  return Number(value);
}

/** `amtsblatt apikey …`: commander's side of commands.ts. */
export function registerApiKeyCommands(program: Command, execute: ExecuteCommand): void {
  const apikey = program.command('apikey').description('Schlüssel für die Open311-Schnittstelle verwalten');
  // Wrong usage (unknown option, missing value) is bad input: exit code 2, like the commands' own checks.
  apikey.exitOverride((err: CommanderError) => {
    const usage =
      err.code.startsWith('commander.') &&
      !['commander.helpDisplayed', 'commander.help', 'commander.version', 'commander.error'].includes(err.code);
    process.exit(usage ? EXIT_BAD_INPUT : err.exitCode);
  });

  apikey
    .command('create')
    .description('Erzeugt einen Schlüssel und zeigt ihn einmal an (gespeichert wird nur sein SHA-256-Prüfwert)')
    .argument('<name>', 'wer ihn bekommt, z. B. "FixMyStreet Musterstadt"')
    .option('--rate <n>', 'Anfragen pro Minute (Standard 60)', parseRate)
    .action((name: string, opts: { rate?: number }) => execute(apikeyCreate, { name, rate: opts.rate }));

  apikey
    .command('list')
    .description('Listet alle Schlüssel (ohne die Schlüssel selbst)')
    .action(() => execute(apikeyList, {}));

  apikey
    .command('revoke')
    .description('Widerruft einen Schlüssel; Anfragen mit ihm werden ab sofort abgelehnt')
    .argument('<id>', 'Nummer aus amtsblatt apikey list')
    .action((id: string) => execute(apikeyRevoke, { id }));
}
