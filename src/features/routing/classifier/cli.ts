import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { EXIT_BAD_INPUT, type ExecuteCommand } from '../../../infra/commands.ts';
import { AppError } from '../../../infra/errors.ts';
import { classifierList, classifierRetrain, classifierTrain } from './commands.ts';
import { evaluateFiles, jsonReport, textReport } from './evaluate.ts';
import { stderrProgress } from './progress.ts';

/** Files are read here, relative to where the command is typed, also when the running server does the work. */
async function fileOrExit(cmd: Command, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    if (err instanceof AppError) cmd.error(err.message, { exitCode: EXIT_BAD_INPUT, code: `amtsblatt.${err.code}` });
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      cmd.error(`Datei nicht gefunden: ${(err as NodeJS.ErrnoException).path}`, { exitCode: EXIT_BAD_INPUT });
    throw err;
  }
}

/** `amtsblatt classifier evaluate|train|retrain|list`. */
export function registerClassifierCommands(program: Command, execute: ExecuteCommand): void {
  const classifier = program.command('classifier').description('Klassifikator für Art, Kategorie und Team: lernen, prüfen, anzeigen');

  // Learns and measures on two files without the database: runs here, never in the server.
  classifier
    .command('evaluate')
    .description('Lernt aus einer CSV-Datei und misst auf einer zweiten (Genauigkeit, Makro-F1, Top-3, Abdeckung bei 95 % Präzision)')
    .requiredOption('--train <datei>', 'CSV zum Lernen (Spalten text, category, category_parent, group, lat, lon)')
    .requiredOption('--test <datei>', 'CSV zum Messen (gleiche Spalten; fehlende Label-Spalten werden ausgelassen)')
    .option('--json', 'ein JSON-Objekt statt Text ausgeben')
    .action(async function (this: Command, opts: { train: string; test: string; json?: boolean }) {
      await fileOrExit(this, async () => {
        const bar = stderrProgress('Lernen');
        const result = await evaluateFiles(opts.train, opts.test, bar.update);
        bar.done();
        process.stdout.write(opts.json ? `${JSON.stringify(jsonReport(result))}\n` : textReport(result));
      });
    });

  classifier
    .command('train')
    .description('Lernt aus einer CSV-Datei und macht das Modell zum aktiven Modell der Stadt')
    .requiredOption('--from <datei>', 'CSV mit den Spalten text, lat, lon und den Label-Spalten')
    .option('--category-column <name>', 'Spalte mit dem Kategorie-Kürzel', 'category')
    .option('--type-column <name>', 'Spalte mit der Art (defect, idea, …)', 'type')
    .option('--team-column <name>', 'Spalte mit dem Team-Kürzel', 'team')
    .action(async function (this: Command, opts: { from: string; categoryColumn: string; typeColumn: string; teamColumn: string }) {
      let csv = '';
      await fileOrExit(this, async () => {
        csv = await readFile(opts.from, 'utf8');
      });
      await execute(classifierTrain, { csv, columns: { category: opts.categoryColumn, type: opts.typeColumn, team: opts.teamColumn } });
    });

  classifier
    .command('retrain')
    .description('Lernt jetzt aus den abgeschlossenen Anliegen der Stadt (wie der nächtliche Job)')
    .action(() => execute(classifierRetrain, {}));

  classifier
    .command('list')
    .description('Zeigt die gespeicherten Modelle')
    .action(() => execute(classifierList, {}));
}
