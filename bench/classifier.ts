/**
 * Classifier speed for docs/PERFORMANCE.md. Not a test: it prints numbers.
 *
 *   npx tsx bench/classifier.ts [--train FILE] [--test FILE] [--repeat N]
 *
 * Measures on the Konstanz Mängelmelder split (../shared/data): the full training the CLI and the
 * nightly job run (5-fold cross-validation for calibration and threshold, then the final models),
 * single-case prediction latency (p50/p99 over the test file, one case at a time, as intake calls
 * it), the stored model's size, and how long loading it from its stored form takes.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readLabelledCsv } from '../src/features/routing/classifier/csv.ts';
import { EVALUATION_COLUMNS } from '../src/features/routing/classifier/evaluate.ts';
import { trainClassifier } from '../src/features/routing/classifier/model.ts';
import { deserialiseModel, serialiseModel } from '../src/features/routing/classifier/serialise.ts';
import { percentile } from './stats.ts';

const dataDir = join(import.meta.dirname, '..', '..', 'shared', 'data', 'maengelmelder-konstanz');
const { values: args } = parseArgs({
  options: {
    train: { type: 'string', default: join(dataDir, 'train.csv') },
    test: { type: 'string', default: join(dataDir, 'test.csv') },
    repeat: { type: 'string', default: '3' },
  },
});
if (!existsSync(args.train) || !existsSync(args.test)) {
  process.stdout.write(`Skipped: ${args.train} or ${args.test} not found (the data lives in ../shared/data next to the repository).\n`);
  process.exit(0);
}

const train = await readLabelledCsv(args.train, EVALUATION_COLUMNS);
const test = await readLabelledCsv(args.test, EVALUATION_COLUMNS);
const options = { primary: 'category', targets: [...EVALUATION_COLUMNS] };

const trainMs: number[] = [];
// CPU time too: on a shared machine the wall time mostly measures the neighbours' load.
const cpuMs: number[] = [];
let model = trainClassifier(train.rows, options);
for (let i = 0; i < Number(args.repeat); i++) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  model = trainClassifier(train.rows, options);
  const used = process.cpuUsage(cpu);
  trainMs.push(performance.now() - started);
  cpuMs.push((used.user + used.system) / 1000);
}

// Warm up the stemmer cache and the JIT the way a running server is warm.
for (const row of test.rows.slice(0, 50)) model.predict(row);
const latencies = test.rows.map((row) => {
  const started = performance.now();
  model.predict(row);
  return performance.now() - started;
});
latencies.sort((a, b) => a - b);

const blob = serialiseModel(model);
const loadStarted = performance.now();
deserialiseModel(blob);
const loadMs = performance.now() - loadStarted;

const fmt = (ms: number) => `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
const { loadavg } = await import('node:os');
process.stdout.write(
  [
    `load average (1 min) at the end: ${loadavg()[0]?.toFixed(1)}`,
    `training on ${train.rows.length} cases (3 label columns, 5-fold CV + final): ${trainMs.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ')} (best ${(Math.min(...trainMs) / 1000).toFixed(1)} s; CPU time best ${(Math.min(...cpuMs) / 1000).toFixed(1)} s)`,
    `vocabulary: ${model.vocabulary.size} features`,
    `predict one case (${latencies.length} test cases, one at a time): p50 ${fmt(percentile(latencies, 50))}, p99 ${fmt(percentile(latencies, 99))}, max ${fmt(latencies[latencies.length - 1] ?? 0)}`,
    `stored model: ${(blob.byteLength / 1024 / 1024).toFixed(1)} MiB (gzip'd JSON, float32 weights); loading it: ${fmt(loadMs)}`,
    '',
  ].join('\n'),
);
