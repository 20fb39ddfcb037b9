import type { Command } from 'commander';
import type { ExecuteCommand } from '../../infra/commands.ts';
import { open311Import } from './commands.ts';

/** `amtsblatt open311 import URL [--service-code …] [--since …]`. */
export function registerOpen311ImportCommands(program: Command, execute: ExecuteCommand): void {
  const open311 = program.command('open311').description('Meldungen einer anderen Open311-Schnittstelle (GeoReport v2) übernehmen');
  open311
    .command('import')
    .description('Meldungen übernehmen; ein zweiter Lauf übernimmt nur Neues und vermerkt Statusänderungen')
    .argument('<url>', 'Adresse der Schnittstelle, z. B. https://example.org/georeport/v2')
    .option('--name <name>', 'Name der Quelle, wie er an den Anliegen steht (Standard: der Servername)')
    .option('--service-code <code>', 'nur diese Kategorie (service_code) der Quelle')
    .option('--jurisdiction <id>', 'jurisdiction_id, wenn die Quelle mehrere Städte bedient')
    .option('--since <datum>', 'gemeldet ab (Standard: wo der letzte Lauf aufhörte, sonst 90 Tage)')
    .option('--max-per-response <n>', 'wenn die Quelle weniger als 1.000 Meldungen je Antwort liefert: ihre Höchstzahl')
    .action((url: string, opts: { name?: string; serviceCode?: string; jurisdiction?: string; since?: string; maxPerResponse?: string }) =>
      execute(open311Import, { url, ...opts }),
    );
}
