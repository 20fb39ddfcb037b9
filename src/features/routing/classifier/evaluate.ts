import { readLabelledCsv } from './csv.ts';
import {
  accuracy,
  type Confusion,
  coverageAt,
  macroF1,
  precisionAt,
  thresholdForPrecision,
  topConfusions,
  topKAccuracy,
} from './metrics.ts';
import { type TrainingRow, type TrainOptions, trainClassifier } from './model.ts';

/** The label columns of the Mängelmelder format, in the order they are reported. */
export const EVALUATION_COLUMNS = ['group', 'category', 'category_parent'] as const;
const PRIMARY = 'category';
const PRECISION_TARGET = 0.95;

export interface ColumnReport {
  accuracy: number;
  macro_f1: number;
  top3_accuracy: number;
  coverage_at_95_precision: number;
  n: number;
}

export interface ColumnDetails extends ColumnReport {
  /** Chosen on held-out folds of the training file. */
  threshold: number | null;
  /** Precision the routed test cases actually reached at that threshold (null when none was routed). */
  precision_routed: number | null;
  /** For comparison only: the coverage an oracle threshold picked on the test set itself would give. */
  oracle_coverage: number;
  confusions: Confusion[];
}

export interface EvaluationResult {
  columns: Partial<Record<(typeof EVALUATION_COLUMNS)[number], ColumnDetails>>;
  trainRows: number;
  trainMs: number;
  predictMsPerCase: number;
}

const round = (v: number) => Math.round(v * 10_000) / 10_000;

/** Evaluates the classifier: trains on `trainRows`, reports per label column on `testRows`. */
export function evaluateRows(
  trainRows: TrainingRow[],
  testRows: TrainingRow[],
  testColumns: readonly string[],
  onProgress?: (done: number, total: number, step: string) => void,
  /** Overrides of the default training settings (used by bench/classifier-select.ts). */
  trainOptions: Partial<TrainOptions> = {},
): EvaluationResult {
  const started = performance.now();
  const model = trainClassifier(trainRows, {
    ...trainOptions,
    primary: PRIMARY,
    targets: [...EVALUATION_COLUMNS],
    ...(onProgress ? { onProgress } : {}),
  });
  const trainMs = performance.now() - started;
  const predictStarted = performance.now();
  const predictions = testRows.map((r) => model.predict(r, 3));
  const predictMsPerCase = testRows.length ? (performance.now() - predictStarted) / testRows.length : 0;
  const columns: EvaluationResult['columns'] = {};
  for (const column of EVALUATION_COLUMNS) {
    const target = model.target(column);
    if (!target || !testColumns.includes(column)) continue;
    // Rows with an empty label say nothing about this column and are left out of its figures.
    const idx = testRows.map((r, i) => (r.labels[column]?.trim() ? i : -1)).filter((i) => i >= 0);
    const gold = idx.map((i) => (testRows[i]?.labels[column] ?? '').trim());
    const ranked = idx.map((i) => (predictions[i]?.[column] ?? []).map((p) => p.label));
    const top1 = ranked.map((r) => r[0] ?? '');
    const conf = idx.map((i) => predictions[i]?.[column]?.[0]?.confidence ?? 0);
    const correct = top1.map((p, k) => p === gold[k]);
    const routed = precisionAt(conf, correct, target.autoThreshold);
    columns[column] = {
      accuracy: round(accuracy(gold, top1)),
      macro_f1: round(macroF1(gold, top1)),
      top3_accuracy: round(topKAccuracy(gold, ranked, 3)),
      coverage_at_95_precision: round(coverageAt(conf, target.autoThreshold)),
      n: gold.length,
      threshold: Number.isFinite(target.autoThreshold) ? round(target.autoThreshold) : null,
      precision_routed: Number.isNaN(routed) ? null : round(routed),
      oracle_coverage: round(coverageAt(conf, thresholdForPrecision(conf, correct, PRECISION_TARGET))),
      confusions: topConfusions(gold, top1, 5),
    };
  }
  return { columns, trainRows: trainRows.length, trainMs, predictMsPerCase };
}

export async function evaluateFiles(
  trainFile: string,
  testFile: string,
  onProgress?: (done: number, total: number, step: string) => void,
): Promise<EvaluationResult> {
  const [train, test] = await Promise.all([readLabelledCsv(trainFile, EVALUATION_COLUMNS), readLabelledCsv(testFile, EVALUATION_COLUMNS)]);
  if (!train.labelColumns.includes(PRIMARY)) throw new Error(`Die Trainingsdatei braucht die Spalte "${PRIMARY}".`);
  return evaluateRows(train.rows, test.rows, test.labelColumns, onProgress);
}

/** The `--json` shape: exactly the five agreed keys per column present in the test file. */
export function jsonReport(result: EvaluationResult): Record<string, ColumnReport> {
  const out: Record<string, ColumnReport> = {};
  for (const [column, d] of Object.entries(result.columns)) {
    if (!d) continue;
    out[column] = {
      accuracy: d.accuracy,
      macro_f1: d.macro_f1,
      top3_accuracy: d.top3_accuracy,
      coverage_at_95_precision: d.coverage_at_95_precision,
      n: d.n,
    };
  }
  return out;
}

/** German figures for people: decimal comma, thousands dot. */
const de = (v: number, digits: number) => v.toLocaleString('de-DE', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const pct = (v: number | null) => (v === null ? '–' : `${de(v * 100, 1)} %`);

export function textReport(result: EvaluationResult): string {
  const lines: string[] = [
    `Trainiert auf ${de(result.trainRows, 0)} Fällen in ${de(result.trainMs / 1000, 1)} s; Vorhersage ${de(result.predictMsPerCase, 2)} ms je Fall.`,
    '',
  ];
  for (const [column, d] of Object.entries(result.columns)) {
    if (!d) continue;
    lines.push(
      `${column} (n = ${d.n})`,
      `  Genauigkeit ${pct(d.accuracy)} · Makro-F1 ${pct(d.macro_f1)} · Top-3 ${pct(d.top3_accuracy)}`,
      `  automatisch weitergeleitet bei ≥ 95 % Präzision: ${pct(d.coverage_at_95_precision)} der Fälle` +
        ` (Schwelle ${d.threshold === null ? 'keine' : de(d.threshold, 3)} aus Kreuzvalidierung, erreichte Präzision ${pct(d.precision_routed)};` +
        ` zum Vergleich mit auf dem Test gewählter Schwelle: ${pct(d.oracle_coverage)})`,
      '  häufigste Verwechslungen (richtig → vorhergesagt):',
      ...(d.confusions.length ? d.confusions.map((c) => `    ${c.count}× ${c.gold} → ${c.predicted}`) : ['    keine']),
      '',
    );
  }
  return `${lines.join('\n')}\n`;
}
