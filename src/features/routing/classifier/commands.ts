import { z } from 'zod';
import { type CommandContext, defineCommand } from '../../../infra/commands.ts';
import { listModels } from './queries.ts';
import { type ClassifierDeps, retrainFromCases, type TargetMetrics, trainFromCsv } from './service.ts';

/** `amtsblatt classifier train|retrain|list`; `evaluate` touches no database and stays in cli.ts. */

const depsOf = (ctx: CommandContext): ClassifierDeps => ({ db: ctx.infra.database.db, log: ctx.log });

function metricsLines(metrics: Record<string, TargetMetrics>): string {
  return Object.entries(metrics)
    .map(
      ([name, m]) =>
        `  ${name.padEnd(9)} ${m.labels} Werte · Genauigkeit (Kreuzvalidierung) ${(m.cvAccuracy * 100).toLocaleString('de-DE', { maximumFractionDigits: 1 })} % · automatisch ab Sicherheit ${m.autoThreshold === null ? '– (nie)' : m.autoThreshold.toLocaleString('de-DE', { maximumFractionDigits: 2 })} → ${(m.cvCoverage * 100).toLocaleString('de-DE', { maximumFractionDigits: 1 })} % der Fälle`,
    )
    .join('\n');
}

const trained = (r: { id: number; metrics: Record<string, TargetMetrics> }) =>
  `Modell ${r.id} gespeichert und aktiv.\n${metricsLines(r.metrics)}\n`;

export const classifierTrain = defineCommand({
  name: 'classifier train',
  options: z.object({
    /** The file's content, read by the command line from its own working directory. */
    csv: z.string(),
    columns: z.object({ category: z.string().min(1), type: z.string().min(1), team: z.string().min(1) }),
  }),
  async run(ctx, o) {
    const bar = ctx.progress('Lernen');
    const result = await trainFromCsv(depsOf(ctx), o.csv, o.columns, bar.update);
    bar.done();
    return trained(result);
  },
});

export const classifierRetrain = defineCommand({
  name: 'classifier retrain',
  options: z.object({}),
  async run(ctx) {
    const bar = ctx.progress('Lernen');
    const result = await retrainFromCases(depsOf(ctx), bar.update);
    bar.done();
    return 'skipped' in result ? `Nicht gelernt: ${result.skipped}\n` : trained(result);
  },
});

export const classifierList = defineCommand({
  name: 'classifier list',
  options: z.object({}),
  async run(ctx) {
    const rows = await listModels(ctx.infra.database.db);
    if (rows.length === 0)
      return 'Noch kein Modell. Lernen mit: amtsblatt classifier train --from DATEI.csv oder amtsblatt classifier retrain\n';
    return rows
      .map(
        (r) =>
          `${r.active ? '*' : ' '} ${String(r.id).padStart(4)}  ${r.createdAt.toISOString()}  ${r.source.padEnd(5)}  ${r.trainedOn} Fälle\n${metricsLines(r.metrics as Record<string, TargetMetrics>)}\n`,
      )
      .join('');
  },
});

export const classifierCommands = [classifierTrain, classifierRetrain, classifierList];
