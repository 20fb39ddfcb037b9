import { type CaseInput, type RawFeatures, rawFeatures, type SparseVector, Vocabulary, type VocabularyJson } from './features.ts';
import { thresholdForPrecision } from './metrics.ts';
import {
  defaultSoftmaxOptions,
  fitTemperature,
  logits,
  type SoftmaxOptions,
  type SoftmaxWeights,
  softmaxInPlace,
  trainSoftmax,
} from './softmax.ts';

/** One labelled example; a missing or empty label means "unknown" for that column only. */
export interface TrainingRow extends CaseInput {
  labels: Record<string, string | null | undefined>;
}

export interface Ranked {
  label: string;
  confidence: number;
}

export interface TargetModel {
  name: string;
  labels: string[];
  /** Own softmax weights, or null for a coarser column derived from the primary one (see `parentOf`). */
  weights: SoftmaxWeights | null;
  /** For a derived column: primary label → this column's label (e.g. leaf category → its parent). */
  parentOf: Record<string, string> | null;
  temperature: number;
  /** Confidence from which a prediction is routed automatically (chosen by cross-validation). */
  autoThreshold: number;
  /** Share of held-out training cases at or above autoThreshold (the cross-validated coverage). */
  cvCoverage: number;
  cvAccuracy: number;
}

export interface TrainOptions {
  /** The column predicted first; its probabilities are features of every other column. */
  primary: string;
  targets: string[];
  folds?: number;
  precisionTarget?: number;
  minDf?: number;
  softmax?: Partial<SoftmaxOptions>;
  onProgress?: (done: number, total: number, step: string) => void;
}

const STACK_WEIGHT = 1;

/**
 * The classifier: one softmax model per label column on shared text + location features. The
 * primary column (the category) is predicted first and its calibrated probabilities, also crossed
 * with the coarse location cell, are features of the other columns. This is the data's own
 * structure: the responsible unit is mostly the category's usual unit, except in the places
 * (villages, utility networks) where another unit takes that category over.
 */
export class ClassifierModel {
  constructor(
    readonly vocabulary: Vocabulary,
    readonly primary: string,
    readonly targets: TargetModel[],
  ) {}

  target(name: string): TargetModel | undefined {
    return this.targets.find((t) => t.name === name);
  }

  predict(input: CaseInput, top = 3): Record<string, Ranked[]> {
    const raw = rawFeatures(input);
    const base = this.vocabulary.vectorise(raw);
    const out: Record<string, Ranked[]> = {};
    const primary = this.target(this.primary);
    let primaryProbs: Float64Array | null = null;
    if (primary) {
      primaryProbs = probabilities(primary, base);
      out[primary.name] = rank(primary.labels, primaryProbs, top);
    }
    const stacked = primary && primaryProbs ? this.vocabulary.vectorise(withStack(raw, primary.labels, primaryProbs)) : base;
    for (const t of this.targets) {
      if (t === primary) continue;
      const probs =
        t.parentOf && primary && primaryProbs ? parentProbabilities(t, primary.labels, primaryProbs) : probabilities(t, stacked);
      out[t.name] = rank(t.labels, probs, top);
    }
    return out;
  }
}

function probabilities(t: TargetModel, x: SparseVector): Float64Array {
  if (!t.weights) throw new Error(`Spalte "${t.name}" hat kein eigenes Modell.`);
  return softmaxInPlace(logits(t.weights, x), t.temperature);
}

/** A parent's probability is the sum of its children's: consistent with the leaf prediction by construction. */
function parentProbabilities(t: TargetModel, primaryLabels: string[], primaryProbs: Float64Array): Float64Array {
  const out = new Float64Array(t.labels.length);
  primaryLabels.forEach((leaf, i) => {
    const at = t.labels.indexOf(t.parentOf?.[leaf] ?? '');
    if (at >= 0) out[at] = (out[at] as number) + (primaryProbs[i] as number);
  });
  return out;
}

/**
 * When every primary label in the training data goes with exactly one value of another column
 * (category "Müll/Sauberkeit > Illegaler Müll" always has parent "Müll/Sauberkeit"), that column
 * is derived instead of learnt: cheaper, and the two predictions can never contradict each other.
 */
function functionalParent(rows: { primary: string | null; other: string | null }[]): Record<string, string> | null {
  const map: Record<string, string> = {};
  let pairs = 0;
  for (const { primary, other } of rows) {
    if (!primary || !other) continue;
    pairs++;
    if (map[primary] !== undefined && map[primary] !== other) return null;
    map[primary] = other;
  }
  return pairs > 0 ? map : null;
}

function rank(labels: string[], probs: Float64Array, top: number): Ranked[] {
  return labels
    .map((label, i) => ({ label, confidence: probs[i] as number }))
    .sort((a, b) => b.confidence - a.confidence)
    .slice(0, top);
}

function stackKeys(label: string, raw: RawFeatures): string[] {
  const coarse = [...raw.fixed.keys()].find((k) => k.startsWith('g1:') || k === 'g:none') ?? 'g:none';
  return [`p:${label}`, `pg:${label}|${coarse}`];
}

/** Adds the primary column's probabilities (and their crossing with the coarse cell) as features. */
function withStack(raw: RawFeatures, labels: string[], probs: Float64Array): RawFeatures {
  const fixed = new Map(raw.fixed);
  labels.forEach((label, i) => {
    const p = probs[i] as number;
    if (p < 0.01) return;
    for (const key of stackKeys(label, raw)) fixed.set(key, p * STACK_WEIGHT);
  });
  return { ...raw, fixed };
}

function foldOf(i: number, folds: number): number {
  // Interleaved folds keep each fold spread over the whole period of the training file.
  return i % folds;
}

interface Fitted {
  model: TargetModel;
  /** Calibrated held-out probabilities for every row (rows without this label too). */
  heldOut: Float64Array[];
}

function fitTarget(
  name: string,
  xs: SparseVector[],
  labelsOf: (string | null)[],
  dim: number,
  opts: Required<Pick<TrainOptions, 'folds' | 'precisionTarget'>> & { softmax: SoftmaxOptions },
  tick: (step: string) => void,
): Fitted {
  const labels = [...new Set(labelsOf.filter((l): l is string => !!l))].sort();
  if (labels.length < 2) throw new Error(`Spalte "${name}": mindestens zwei verschiedene Werte nötig, gefunden ${labels.length}.`);
  const y = labelsOf.map((l) => (l ? labels.indexOf(l) : -1));
  const labelled = y.map((v, i) => (v >= 0 ? i : -1)).filter((i) => i >= 0);
  const rawHeldOut: Float64Array[] = new Array(xs.length);
  for (let f = 0; f < opts.folds; f++) {
    const train = labelled.filter((i) => foldOf(i, opts.folds) !== f);
    const w = trainSoftmax(
      train.map((i) => xs[i] as SparseVector),
      train.map((i) => y[i] as number),
      labels.length,
      dim,
      opts.softmax,
    );
    for (let i = 0; i < xs.length; i++) if (foldOf(i, opts.folds) === f) rawHeldOut[i] = logits(w, xs[i] as SparseVector);
    tick(`${name}: Kreuzvalidierung ${f + 1}/${opts.folds}`);
  }
  const temperature = fitTemperature(
    labelled.map((i) => rawHeldOut[i] as Float64Array),
    labelled.map((i) => y[i] as number),
  );
  const heldOut = rawHeldOut.map((z) => softmaxInPlace(Float64Array.from(z), temperature));
  const stats = heldOutStats(heldOut, y, opts.precisionTarget);
  const weights = trainSoftmax(
    labelled.map((i) => xs[i] as SparseVector),
    labelled.map((i) => y[i] as number),
    labels.length,
    dim,
    opts.softmax,
  );
  tick(`${name}: Endmodell`);
  return {
    heldOut,
    model: { name, labels, weights, parentOf: null, temperature, ...stats },
  };
}

/**
 * Accuracy, routing threshold and coverage on held-out folds. The threshold is picked on held-out
 * folds of the *training* data, never on the data a figure is reported on: a threshold tuned on the
 * test set would overstate the share of cases that can be routed safely.
 */
function heldOutStats(
  heldOut: Float64Array[],
  y: number[],
  precisionTarget: number,
): Pick<TargetModel, 'autoThreshold' | 'cvCoverage' | 'cvAccuracy'> {
  const conf: number[] = [];
  const correct: boolean[] = [];
  y.forEach((gold, i) => {
    if (gold < 0) return;
    const p = heldOut[i] as Float64Array;
    let best = 0;
    for (let c = 1; c < p.length; c++) if ((p[c] as number) > (p[best] as number)) best = c;
    conf.push(p[best] as number);
    correct.push(best === gold);
  });
  const autoThreshold = thresholdForPrecision(conf, correct, precisionTarget);
  return {
    autoThreshold,
    cvCoverage: conf.filter((c) => c >= autoThreshold).length / Math.max(1, conf.length),
    cvAccuracy: correct.filter(Boolean).length / Math.max(1, correct.length),
  };
}

function deriveTarget(
  name: string,
  parentOf: Record<string, string>,
  primary: Fitted,
  labelsOf: (string | null)[],
  precisionTarget: number,
): TargetModel {
  const labels = [...new Set(Object.values(parentOf))].sort();
  const heldOut = primary.heldOut.map((p) => parentProbabilities({ ...primary.model, labels, parentOf }, primary.model.labels, p));
  const y = labelsOf.map((l) => (l ? labels.indexOf(l) : -1));
  return { name, labels, weights: null, parentOf, temperature: 1, ...heldOutStats(heldOut, y, precisionTarget) };
}

export function trainClassifier(rows: TrainingRow[], options: TrainOptions): ClassifierModel {
  const folds = options.folds ?? 5;
  const opts = {
    folds,
    precisionTarget: options.precisionTarget ?? 0.95,
    softmax: { ...defaultSoftmaxOptions, ...options.softmax },
  };
  const targets = [options.primary, ...options.targets.filter((t) => t !== options.primary)];
  // A derived column takes one step instead of folds + 1, so the total shrinks when one is met.
  let total = targets.length * (folds + 1);
  let done = 0;
  const tick = (step: string, skipped = 0) => {
    total -= skipped;
    options.onProgress?.(++done, total, step);
  };
  const label = (row: TrainingRow, name: string) => row.labels[name]?.trim() || null;

  const raws = rows.map(rawFeatures);
  // A column with fewer than two values has nothing to decide (and softmax nothing to learn).
  const present = targets.filter((t) => new Set(rows.map((r) => label(r, t)).filter(Boolean)).size >= 2);
  const primaryName = present.includes(options.primary) ? options.primary : present[0];
  if (!primaryName) throw new Error('Keine der Spalten hat mindestens zwei verschiedene Werte.');
  // The stacked feature names are known before training (p:<label>, crossed with the cells seen),
  // so they enter the vocabulary up front; like all fixed features they are used without idf.
  const primaryLabels = [...new Set(rows.map((r) => label(r, primaryName)).filter((l): l is string => !!l))];
  const stackKeySet = new Set(raws.flatMap((raw) => primaryLabels.flatMap((l) => stackKeys(l, raw))));
  const vocabulary = Vocabulary.build(raws, options.minDf ?? 2, stackKeySet);

  const baseXs = raws.map((raw) => vocabulary.vectorise(raw));
  const primary = fitTarget(
    primaryName,
    baseXs,
    rows.map((r) => label(r, primaryName)),
    vocabulary.size,
    opts,
    tick,
  );
  const models = [primary.model];
  const stackedXs = raws.map((raw, i) => vocabulary.vectorise(withStack(raw, primary.model.labels, primary.heldOut[i] as Float64Array)));
  for (const name of present) {
    if (name === primaryName) continue;
    const parentOf = functionalParent(rows.map((r) => ({ primary: label(r, primaryName), other: label(r, name) })));
    if (parentOf) {
      models.push(
        deriveTarget(
          name,
          parentOf,
          primary,
          rows.map((r) => label(r, name)),
          opts.precisionTarget,
        ),
      );
      tick(`${name}: abgeleitet aus ${primaryName}`, folds);
      continue;
    }
    models.push(
      fitTarget(
        name,
        stackedXs,
        rows.map((r) => label(r, name)),
        vocabulary.size,
        opts,
        tick,
      ).model,
    );
  }
  return new ClassifierModel(vocabulary, primaryName, models);
}

export type { VocabularyJson };
