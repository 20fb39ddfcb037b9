import type { Command, CommanderError } from 'commander';
import { EXIT_BAD_INPUT, type ExecuteCommand } from '../../infra/commands.ts';
import { contactLink, contactList, contactShow, contactUnlink } from './contact-commands.ts';

/** `amtsblatt contact …`: commander's side of contact-commands.ts. */
export function registerContactCommands(program: Command, execute: ExecuteCommand): void {
  const contact = program.command('contact').description('Kontakte der Bürgerinnen und Bürger ansehen und als dieselbe Person verknüpfen');
  // Wrong usage (unknown option, missing argument) is bad input: exit code 2, like the commands' own checks.
  contact.exitOverride((err: CommanderError) => {
    const usage =
      err.code.startsWith('commander.') &&
      !['commander.helpDisplayed', 'commander.help', 'commander.version', 'commander.error'].includes(err.code);
    process.exit(usage ? EXIT_BAD_INPUT : err.exitCode);
  });

  contact
    .command('list')
    .description('Listet die neuesten Kontakte; mit --search: genaue Adresse oder Anfang des Namens')
    .option('--search <text>', 'Adresse (E-Mail, Telefon …) oder Anfang des Namens')
    .action((o: { search?: string }) => execute(contactList, { search: o.search }));
  contact
    .command('show')
    .description('Zeigt einen Kontakt, die anderen Kontakte derselben Person und ihre Anliegen')
    .argument('<nr>', 'Nummer des Kontakts')
    .action((id: string) => execute(contactShow, { id }));
  contact
    .command('link')
    .description('Verknüpft zwei Kontakte als dieselbe Person (gehören sie schon zu Personen, werden beide zusammengelegt)')
    .argument('<nr>', 'Nummer des Kontakts')
    .argument('<andere-nr>', 'Nummer des anderen Kontakts')
    .action((id: string, other: string) => execute(contactLink, { id, other }));
  contact
    .command('unlink')
    .description('Löst einen Kontakt aus seiner Person: er steht wieder für sich')
    .argument('<nr>', 'Nummer des Kontakts')
    .action((id: string) => execute(contactUnlink, { id }));
}
