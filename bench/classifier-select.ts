/**
 * Chooses the classifier's training settings on the TRAINING file only, so that the figures on
 * test.csv stay an honest measurement (docs/PERFORMANCE.md). Not a test: it prints numbers.
 *
 *   npx tsx bench/classifier-select.ts [--train FILE] [--only a,b] [--show]
 *
 * Validation mimics the real situation (learn from the past, route the next months): the training
 * file is cut by `reported_at` into two time-ordered splits, each trained on everything before a
 * cut and validated on the six months after it:
 *   A: 2020 → 2021-01..06     B: 2020..2021-06 → 2021-07..12
 * A setting's score is the mean, over both splits, of the nine figures accuracy, top-3 accuracy and
 * coverage at 95 % precision (threshold from the model's own cross-validation, as in the product)
 * of group, category and category_parent. The search is greedy, one dimension at a time in the
 * order below, keeping a value only when it raises the score by more than MIN_GAIN (ties keep
 * the simpler, earlier value). test.csv is never read here.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readLabelledCsv } from '../src/features/routing/classifier/csv.ts';
import { EVALUATION_COLUMNS, type EvaluationResult, evaluateRows } from '../src/features/routing/classifier/evaluate.ts';
import type { TrainingRow, TrainOptions } from '../src/features/routing/classifier/model.ts';

const dataDir = join(import.meta.dirname, '..', '..', 'shared', 'data', 'maengelmelder-konstanz');
const { values: args } = parseArgs({
  options: {
    train: { type: 'string', default: join(dataDir, 'train.csv') },
    only: { type: 'string' },
    show: { type: 'boolean', default: false },
  },
});
if (!existsSync(args.train)) {
  process.stdout.write(`Skipped: ${args.train} not found (the data lives in ../shared/data next to the repository).\n`);
  process.exit(0);
}

type Settings = Partial<Omit<TrainOptions, 'primary' | 'targets' | 'onProgress'>>;
const MIN_GAIN = 0.002;

/** Each dimension: a name and the values tried; the first value is the starting point. */
const dimensions: { name: string; values: Settings[] }[] = [
  {
    name: 'recency half-life (days)',
    values: [{ recencyHalfLifeDays: null }, { recencyHalfLifeDays: 365 }, { recencyHalfLifeDays: 180 }, { recencyHalfLifeDays: 90 }],
  },
  { name: 'calibration', values: [{ perClassCalibration: false }, { perClassCalibration: true }] },
  { name: 'epochs', values: [{ softmax: { epochs: 8 } }, { softmax: { epochs: 4 } }, { softmax: { epochs: 12 } }] },
  { name: 'l2', values: [{ softmax: { l2: 1e-5 } }, { softmax: { l2: 1e-4 } }, { softmax: { l2: 1e-6 } }] },
  {
    name: 'character n-grams',
    values: [
      { features: { charMin: 3, charMax: 5 } },
      { features: { charMin: 4, charMax: 5 } },
      { features: { charMin: 3, charMax: 4 } },
      { features: { charMin: 2, charMax: 6 } },
    ],
  },
  { name: 'minDf', values: [{ minDf: 2 }, { minDf: 3 }, { minDf: 1 }] },
  { name: 'class balance', values: [{ classBalance: 0 }, { classBalance: 0.3 }, { classBalance: 0.6 }] },
  { name: 'street', values: [{ features: { street: false } }, { features: { street: true } }] },
  { name: 'district', values: [{ features: { district: false } }, { features: { district: true } }] },
  { name: 'month', values: [{ features: { month: false } }, { features: { month: true } }] },
  { name: 'stack weight', values: [{ stackWeight: 1 }, { stackWeight: 2 }, { stackWeight: 0.5 }] },
  { name: 'folds', values: [{ folds: 5 }, { folds: 3 }] },
];

function merge(a: Settings, b: Settings): Settings {
  return { ...a, ...b, softmax: { ...a.softmax, ...b.softmax }, features: { ...a.features, ...b.features } };
}

const train = await readLabelledCsv(args.train, EVALUATION_COLUMNS);
const dated = train.rows.filter((r) => typeof r.reportedAt === 'string');
const before = (cut: string) => dated.filter((r) => (r.reportedAt as string) < cut);
const between = (from: string, to: string) => dated.filter((r) => (r.reportedAt as string) >= from && (r.reportedAt as string) < to);
const splits: { name: string; fit: TrainingRow[]; validate: TrainingRow[] }[] = [
  { name: 'A', fit: before('2021-01-01'), validate: between('2021-01-01', '2021-07-01') },
  { name: 'B', fit: before('2021-07-01'), validate: between('2021-07-01', '2022-01-01') },
];

interface Scored {
  score: number;
  figures: Record<string, { accuracy: number; top3: number; coverage: number; precision: number | null }>;
  seconds: number;
}

const cache = new Map<string, Scored>();

function evaluate(settings: Settings): Scored {
  const key = JSON.stringify(settings);
  const hit = cache.get(key);
  if (hit) return hit;
  const figures: Scored['figures'] = {};
  let seconds = 0;
  const results: EvaluationResult[] = splits.map((s) => evaluateRows(s.fit, s.validate, train.labelColumns, undefined, settings));
  for (const column of EVALUATION_COLUMNS) {
    const per = results.map((r) => r.columns[column]).filter((c) => c !== undefined);
    const mean = (f: (c: (typeof per)[number]) => number) => per.reduce((s, c) => s + f(c), 0) / Math.max(1, per.length);
    // Precision of the routed validation cases: the check that a higher coverage is not bought
    // with a threshold that misses 95 % on the next months.
    const routed = per.filter((c) => c.precision_routed !== null);
    figures[column] = {
      accuracy: mean((c) => c.accuracy),
      top3: mean((c) => c.top3_accuracy),
      coverage: mean((c) => c.coverage_at_95_precision),
      precision: routed.length ? routed.reduce((s, c) => s + (c.precision_routed as number), 0) / routed.length : null,
    };
  }
  for (const r of results) seconds += r.trainMs / 1000;
  const all = Object.values(figures).flatMap((f) => [f.accuracy, f.top3, f.coverage]);
  const scored = { score: all.reduce((s, v) => s + v, 0) / all.length, figures, seconds };
  cache.set(key, scored);
  return scored;
}

const pct = (v: number) => (v * 100).toFixed(1).padStart(5);
function line(label: string, s: Scored): string {
  const cols = EVALUATION_COLUMNS.map((c) => {
    const f = s.figures[c];
    return f ? `${c} ${pct(f.accuracy)}/${pct(f.top3)}/${pct(f.coverage)}@${f.precision === null ? '  –  ' : pct(f.precision)}` : `${c} –`;
  });
  return `${label.padEnd(44)} score ${pct(s.score)}  ${cols.join('  ')}  (${s.seconds.toFixed(1)} s)\n`;
}

process.stdout.write(
  `splits: ${splits.map((s) => `${s.name} fit ${s.fit.length} → validate ${s.validate.length}`).join(', ')}\n` +
    'figures per column: accuracy / top-3 / coverage at 95 % precision @ precision of the routed cases, mean of both splits\n\n',
);

const only = args.only?.split(',');
// The start is the first value of every dimension (the settings before this search), written out
// so that the search does not depend on whatever model.ts uses as defaults today.
let best: Settings = dimensions.reduce((s, d) => merge(s, d.values[0] ?? {}), {} as Settings);
let bestScore = evaluate(best);
process.stdout.write(line('start', bestScore));
for (const dim of dimensions) {
  if (only && !only.includes(dim.name)) continue;
  let chosen: Settings | null = null;
  for (const value of dim.values) {
    const candidate = merge(best, value);
    const scored = evaluate(candidate);
    process.stdout.write(line(`  ${dim.name}: ${JSON.stringify(value)}`, scored));
    if (scored.score > bestScore.score + MIN_GAIN) {
      bestScore = scored;
      chosen = candidate;
    }
  }
  if (chosen) best = chosen;
  process.stdout.write(`→ after ${dim.name}: ${JSON.stringify(best)}\n`);
}
process.stdout.write(`\nchosen: ${JSON.stringify(best)}\n${line('chosen', bestScore)}`);
if (args.show) process.stdout.write(`${JSON.stringify(bestScore, null, 2)}\n`);
