import type { Db } from '../../../infra/db.ts';
import { invalid } from '../../../infra/errors.ts';
import type { Logger } from '../../../infra/log.ts';
import type { ClassifierSource } from '../../../infra/schema/index.ts';
import { parseLabelledCsv } from './csv.ts';
import { type ClassifierModel, type TrainingRow, trainClassifier } from './model.ts';
import { closedCasesForTraining, storeActiveModel } from './queries.ts';
import { serialiseModel } from './serialise.ts';

/** The town's labels: the category slug is predicted first and informs type and team. */
export const TOWN_LABELS = ['category', 'type', 'team'] as const;
export type TownLabel = (typeof TOWN_LABELS)[number];

/** Fewer closed cases than this teach nothing reliable; the job then keeps the current model. */
export const MIN_TRAINING_CASES = 30;
/** The newest closed cases the nightly job learns from; older routing may no longer hold. */
export const MAX_TRAINING_CASES = 20_000;

export interface ClassifierDeps {
  db: Db;
  log: Logger;
}

export type Progress = (done: number, total: number, step: string) => void;

export interface TargetMetrics {
  labels: number;
  cvAccuracy: number;
  cvCoverage: number;
  autoThreshold: number | null;
  temperature: number;
}

export function metricsOf(model: ClassifierModel): Record<string, TargetMetrics> {
  return Object.fromEntries(
    model.targets.map((t) => [
      t.name,
      {
        labels: t.labels.length,
        cvAccuracy: round(t.cvAccuracy),
        cvCoverage: round(t.cvCoverage),
        autoThreshold: Number.isFinite(t.autoThreshold) ? round(t.autoThreshold) : null,
        temperature: round(t.temperature),
      },
    ]),
  );
}

const round = (v: number) => Math.round(v * 10_000) / 10_000;

/** Why these many examples teach nothing reliable, or null when they are enough (the one rule: job, CSV and admin page). */
export function whyNotTrainable(examples: number, categories: number): string | null {
  if (examples >= MIN_TRAINING_CASES && categories >= 2) return null;
  return `${examples} Beispiele in ${categories} Kategorien – zu wenig zum Lernen (mindestens ${MIN_TRAINING_CASES} in zwei Kategorien).`;
}

const categoriesIn = (rows: TrainingRow[]) => new Set(rows.map((r) => r.labels.category).filter(Boolean)).size;

function checkTrainable(rows: TrainingRow[]): void {
  const problem = whyNotTrainable(rows.length, categoriesIn(rows));
  if (problem) throw invalid(problem, {});
}

/** Trains on the rows, stores the model and makes it the active one. */
export async function trainAndActivate(
  deps: ClassifierDeps,
  rows: TrainingRow[],
  source: ClassifierSource,
  onProgress?: Progress,
): Promise<{ id: number; metrics: Record<string, TargetMetrics> }> {
  checkTrainable(rows);
  const started = performance.now();
  const model = trainClassifier(rows, { primary: 'category', targets: [...TOWN_LABELS], ...(onProgress ? { onProgress } : {}) });
  const metrics = metricsOf(model);
  const id = await storeActiveModel(deps.db, { source, trainedOn: rows.length, metrics, payload: serialiseModel(model) });
  deps.log.info({ id, source, rows: rows.length, ms: Math.round(performance.now() - started), metrics }, 'classifier trained');
  return { id, metrics };
}

export interface CsvColumns {
  category: string;
  type: string;
  team: string;
}

/**
 * Training from a CSV file's content (e.g. an export of the old system): the columns named in
 * `columns` become the town's labels, so a Mängelmelder export with `group` can say team=group.
 * The content, not a path: the command line reads the file where it runs, also for the server.
 */
export async function trainFromCsv(deps: ClassifierDeps, content: string, columns: CsvColumns, onProgress?: Progress) {
  const csv = parseLabelledCsv(content, [columns.category, columns.type, columns.team]);
  if (!csv.labelColumns.includes(columns.category))
    throw invalid(`Die CSV-Datei hat keine Spalte "${columns.category}" für die Kategorie.`, {});
  const rows: TrainingRow[] = csv.rows.map((r) => ({
    text: r.text,
    lat: r.lat ?? null,
    lon: r.lon ?? null,
    reportedAt: r.reportedAt ?? null,
    labels: { category: r.labels[columns.category], type: r.labels[columns.type], team: r.labels[columns.team] },
  }));
  return trainAndActivate(deps, rows, 'csv', onProgress);
}

/** The retrain job's work: learn from the town's closed cases, or say why not. */
export async function retrainFromCases(
  deps: ClassifierDeps,
  onProgress?: Progress,
): Promise<{ id: number; metrics: Record<string, TargetMetrics> } | { skipped: string }> {
  const closed = await closedCasesForTraining(deps.db, MAX_TRAINING_CASES);
  const rows: TrainingRow[] = closed.map((c) => ({
    text: c.text,
    lat: c.lat,
    lon: c.lon,
    // Newer routing counts more: responsibilities move between teams over the years.
    reportedAt: c.reportedAt,
    labels: { category: c.category, type: c.type, team: c.team },
  }));
  const skipped = whyNotTrainable(rows.length, categoriesIn(rows));
  if (skipped) {
    deps.log.info({ rows: rows.length, skipped }, 'classifier retrain skipped');
    return { skipped };
  }
  return trainAndActivate(deps, rows, 'cases', onProgress);
}
