import type { Command } from 'commander';
import type { Infrastructure } from '../../../infra/bootstrap.ts';
import { AppError } from '../../../infra/errors.ts';
import { evaluateFiles, jsonReport, textReport } from './evaluate.ts';
import { stderrProgress } from './progress.ts';
import { listModels } from './queries.ts';
import { type ClassifierDeps, retrainFromCases, type TargetMetrics, trainFromCsv } from './service.ts';

type WithInfrastructure = (fn: (infra: Infrastructure) => Promise<void>) => Promise<void>;

const EXIT_BAD_INPUT = 2;

function depsOf(infra: Infrastructure): ClassifierDeps {
  // Info lines would mix log JSON into the command's own output; warnings and errors still show.
  return { db: infra.database.db, log: infra.log.child({ module: 'classifier-cli' }, { level: 'warn' }) };
}

function metricsLines(metrics: Record<string, TargetMetrics>): string {
  return Object.entries(metrics)
    .map(
      ([name, m]) =>
        `  ${name.padEnd(9)} ${m.labels} Werte · Genauigkeit (Kreuzvalidierung) ${(m.cvAccuracy * 100).toLocaleString('de-DE', { maximumFractionDigits: 1 })} % · automatisch ab Sicherheit ${m.autoThreshold === null ? '– (nie)' : m.autoThreshold.toLocaleString('de-DE', { maximumFractionDigits: 2 })} → ${(m.cvCoverage * 100).toLocaleString('de-DE', { maximumFractionDigits: 1 })} % der Fälle`,
    )
    .join('\n');
}

async function refusalToExit(cmd: Command, work: () => Promise<void>): Promise<void> {
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
export function registerClassifierCommands(program: Command, withInfrastructure: WithInfrastructure): void {
  const classifier = program.command('classifier').description('Klassifikator für Art, Kategorie und Team: lernen, prüfen, anzeigen');

  classifier
    .command('evaluate')
    .description('Lernt aus einer CSV-Datei und misst auf einer zweiten (Genauigkeit, Makro-F1, Top-3, Abdeckung bei 95 % Präzision)')
    .requiredOption('--train <datei>', 'CSV zum Lernen (Spalten text, category, category_parent, group, lat, lon)')
    .requiredOption('--test <datei>', 'CSV zum Messen (gleiche Spalten; fehlende Label-Spalten werden ausgelassen)')
    .option('--json', 'ein JSON-Objekt statt Text ausgeben')
    .action(async function (this: Command, opts: { train: string; test: string; json?: boolean }) {
      await refusalToExit(this, async () => {
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
      let output = '';
      await refusalToExit(this, () =>
        withInfrastructure(async (infra) => {
          const bar = stderrProgress('Lernen');
          const columns = { category: opts.categoryColumn, type: opts.typeColumn, team: opts.teamColumn };
          const { id, metrics } = await trainFromCsv(depsOf(infra), opts.from, columns, bar.update);
          bar.done();
          output = `Modell ${id} gespeichert und aktiv.\n${metricsLines(metrics)}\n`;
        }),
      );
      process.stdout.write(output);
    });

  classifier
    .command('retrain')
    .description('Lernt jetzt aus den abgeschlossenen Anliegen der Stadt (wie der nächtliche Job)')
    .action(async function (this: Command) {
      let output = '';
      await refusalToExit(this, () =>
        withInfrastructure(async (infra) => {
          const bar = stderrProgress('Lernen');
          const result = await retrainFromCases(depsOf(infra), bar.update);
          bar.done();
          output =
            'skipped' in result
              ? `Nicht gelernt: ${result.skipped}\n`
              : `Modell ${result.id} gespeichert und aktiv.\n${metricsLines(result.metrics)}\n`;
        }),
      );
      process.stdout.write(output);
    });

  classifier
    .command('list')
    .description('Zeigt die gespeicherten Modelle')
    .action(() =>
      withInfrastructure(async (infra) => {
        const rows = await listModels(infra.database.db);
        if (rows.length === 0) {
          process.stdout.write(
            'Noch kein Modell. Lernen mit: amtsblatt classifier train --from DATEI.csv oder amtsblatt classifier retrain\n',
          );
          return;
        }
        for (const r of rows)
          process.stdout.write(
            `${r.active ? '*' : ' '} ${String(r.id).padStart(4)}  ${r.createdAt.toISOString()}  ${r.source.padEnd(5)}  ${r.trainedOn} Fälle\n${metricsLines(r.metrics as Record<string, TargetMetrics>)}\n`,
          );
      }),
    );
}
