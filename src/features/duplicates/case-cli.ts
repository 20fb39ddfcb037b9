import type { Command, CommanderError } from 'commander';
import { EXIT_BAD_INPUT, type ExecuteCommand } from '../../infra/commands.ts';
import { caseLink, caseMerge, caseUnlink } from './case-commands.ts';

/** `amtsblatt case …`: commander's side of case-commands.ts. */
export function registerCaseCommands(program: Command, execute: ExecuteCommand): void {
  const kase = program.command('case').description('Anliegen zusammenführen und verknüpfen');
  // Wrong usage (unknown option, missing argument) is bad input: exit code 2, like the commands' own checks.
  kase.exitOverride((err: CommanderError) => {
    const usage =
      err.code.startsWith('commander.') &&
      !['commander.helpDisplayed', 'commander.help', 'commander.version', 'commander.error'].includes(err.code);
    process.exit(usage ? EXIT_BAD_INPUT : err.exitCode);
  });

  kase
    .command('merge')
    .description('Führt ein Anliegen als Duplikat in ein anderes zusammen; das andere läuft weiter')
    .argument('<nummer>', 'Nummer des Duplikats, z. B. 2026-00042')
    .argument('<in-nummer>', 'Nummer des Anliegens, das weiterläuft')
    .action((number: string, into: string) => execute(caseMerge, { number, into }));
  kase
    .command('link')
    .description('Verknüpft zwei Anliegen, die zusammengehören, ohne sie zusammenzuführen')
    .argument('<nummer>', 'Nummer des Anliegens')
    .argument('<andere-nummer>', 'Nummer des anderen Anliegens')
    .action((number: string, other: string) => execute(caseLink, { number, other }));
  kase
    .command('unlink')
    .description('Löst eine von Hand gesetzte Verknüpfung zweier Anliegen')
    .argument('<nummer>', 'Nummer des Anliegens')
    .argument('<andere-nummer>', 'Nummer des anderen Anliegens')
    .action((number: string, other: string) => execute(caseUnlink, { number, other }));
}
