import { type Calibration, calibrate, fitCalibration } from './calibration.ts';
import { functionalParent, parentProbabilities } from './derived.ts';
import {
  type CaseInput,
  defaultFeatureOptions,
  type FeatureOptions,
  type RawFeatures,
  rawFeatures,
  type SparseVector,
  Vocabulary,
} from './features.ts';
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
import { classWeightsFor, recencyWeights } from './weights.ts';

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
  /** Per-label calibration of the top confidence (null: the temperature-scaled probability is the confidence). */
  calibration: Calibration | null;
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
  features?: Partial<FeatureOptions>;
  /**
   * Rows lose half their weight per this many days of age (relative to the newest dated row):
   * routing changes over time and the newest closed cases show today's responsibilities.
   * Null or 0 = every row counts the same. Rows without a date count as new.
   */
  recencyHalfLifeDays?: number | null;
  /** Weight of the primary column's probabilities as features of the other columns. */
  stackWeight?: number;
  /** Class weights (count / mean count)^-classBalance: 0 = none, 1 = fully balanced. */
  classBalance?: number;
  /** Calibrate the confidence per predicted label (see calibration.ts) instead of one temperature only. */
  perClassCalibration?: boolean;
  softmax?: Partial<SoftmaxOptions>;
  onProgress?: (done: number, total: number, step: string) => void;
}

/** What prediction must repeat exactly as in training; stored with the model. */
export interface ModelSettings {
  features: FeatureOptions;
  stackWeight: number;
}

/**
 * Chosen by `bench/classifier-select.ts` on time-ordered splits of the Konstanz training file (see
 * docs/PERFORMANCE.md); the settings before that search were: no recency weights, no class
 * balance, one temperature only, minDf 2, character 3–5-grams.
 */
export const defaultTrainSettings = {
  folds: 5,
  recencyHalfLifeDays: 180 as number | null,
  stackWeight: 1,
  classBalance: 0.3,
  perClassCalibration: true,
  minDf: 1,
};

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
    readonly settings: ModelSettings = { features: defaultFeatureOptions, stackWeight: defaultTrainSettings.stackWeight },
  ) {}

  target(name: string): TargetModel | undefined {
    return this.targets.find((t) => t.name === name);
  }

  predict(input: CaseInput, top = 3): Record<string, Ranked[]> {
    const raw = rawFeatures(input, this.settings.features);
    const base = this.vocabulary.vectorise(raw);
    const out: Record<string, Ranked[]> = {};
    const primary = this.target(this.primary);
    let primaryProbs: Float64Array | null = null;
    if (primary) {
      primaryProbs = probabilities(primary, base);
      out[primary.name] = rank(primary, primaryProbs, top);
    }
    const stacked =
      primary && primaryProbs ? this.vocabulary.vectorise(withStack(raw, primary.labels, primaryProbs, this.settings.stackWeight)) : base;
    for (const t of this.targets) {
      if (t === primary) continue;
      const probs =
        t.parentOf && primary && primaryProbs ? parentProbabilities(t, primary.labels, primaryProbs) : probabilities(t, stacked);
      out[t.name] = rank(t, probs, top);
    }
    return out;
  }
}

function probabilities(t: TargetModel, x: SparseVector): Float64Array {
  if (!t.weights) throw new Error(`Spalte "${t.name}" hat kein eigenes Modell.`);
  return softmaxInPlace(logits(t.weights, x), t.temperature);
}

/**
 * Labels by probability, best first. With a per-label calibration the top label's confidence is
 * its calibrated one, and the rest of the probability is shared by the others in the model's
 * proportions, each capped at the one above it: the order stays the model's, the confidences sum
 * to at most 1, and no suggestion further down is shown as surer than the one above it.
 */
function rank(t: Pick<TargetModel, 'labels' | 'calibration'>, probs: Float64Array, top: number): Ranked[] {
  const order = t.labels.map((_, i) => i).sort((a, b) => (probs[b] as number) - (probs[a] as number) || a - b);
  const first = order[0] as number;
  const p1 = probs[first] as number;
  const c1 = t.calibration ? calibrate(t.calibration, first, p1) : p1;
  const rest = p1 < 1 ? (1 - c1) / (1 - p1) : 0;
  const out: Ranked[] = [];
  let cap = c1;
  for (const i of order.slice(0, top)) {
    const confidence = i === first ? c1 : Math.min(cap, (probs[i] as number) * rest);
    out.push({ label: t.labels[i] as string, confidence });
    cap = confidence;
  }
  return out;
}

function stackKeys(label: string, raw: RawFeatures): string[] {
  const coarse = [...raw.fixed.keys()].find((k) => k.startsWith('g1:') || k === 'g:none') ?? 'g:none';
  return [`p:${label}`, `pg:${label}|${coarse}`];
}

/** Adds the primary column's probabilities (and their crossing with the coarse cell) as features. */
function withStack(raw: RawFeatures, labels: string[], probs: Float64Array, weight: number): RawFeatures {
  const fixed = new Map(raw.fixed);
  labels.forEach((label, i) => {
    const p = probs[i] as number;
    if (p < 0.01) return;
    for (const key of stackKeys(label, raw)) fixed.set(key, p * weight);
  });
  return { ...raw, fixed };
}

function foldOf(i: number, folds: number): number {
  // Interleaved folds keep each fold spread over the whole period of the training file.
  return i % folds;
}

interface FitOptions {
  folds: number;
  precisionTarget: number;
  softmax: SoftmaxOptions;
  classBalance: number;
  perClassCalibration: boolean;
  sampleWeights: Float32Array;
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
  opts: FitOptions,
  tick: (step: string) => void,
): Fitted {
  const labels = [...new Set(labelsOf.filter((l): l is string => !!l))].sort();
  if (labels.length < 2) throw new Error(`Spalte "${name}": mindestens zwei verschiedene Werte nötig, gefunden ${labels.length}.`);
  const y = labelsOf.map((l) => (l ? labels.indexOf(l) : -1));
  const labelled = y.map((v, i) => (v >= 0 ? i : -1)).filter((i) => i >= 0);
  const softmax = { ...opts.softmax, ...classWeightsFor(y, labels.length, opts.classBalance) };
  const trainOn = (rowsOf: number[]) =>
    trainSoftmax(
      rowsOf.map((i) => xs[i] as SparseVector),
      rowsOf.map((i) => y[i] as number),
      labels.length,
      dim,
      softmax,
      rowsOf.map((i) => opts.sampleWeights[i] as number),
    );
  const rawHeldOut: Float64Array[] = new Array(xs.length);
  for (let f = 0; f < opts.folds; f++) {
    const w = trainOn(labelled.filter((i) => foldOf(i, opts.folds) !== f));
    for (let i = 0; i < xs.length; i++) if (foldOf(i, opts.folds) === f) rawHeldOut[i] = logits(w, xs[i] as SparseVector);
    tick(`${name}: Kreuzvalidierung ${f + 1}/${opts.folds}`);
  }
  const temperature = fitTemperature(
    labelled.map((i) => rawHeldOut[i] as Float64Array),
    labelled.map((i) => y[i] as number),
  );
  const heldOut = rawHeldOut.map((z) => softmaxInPlace(Float64Array.from(z), temperature));
  const stats = heldOutStats(heldOut, y, opts);
  const weights = trainOn(labelled);
  tick(`${name}: Endmodell`);
  return {
    heldOut,
    model: { name, labels, weights, parentOf: null, temperature, ...stats },
  };
}

/**
 * Accuracy, calibration, routing threshold and coverage on held-out folds. The threshold is picked
 * on held-out folds of the *training* data, never on the data a figure is reported on: a threshold
 * tuned on the test set would overstate the share of cases that can be routed safely. A per-label
 * calibration is cross-fitted for this (each fold's confidences come from curves fitted on the
 * other folds), so the threshold does not rest on curves that have seen the same cases.
 */
function heldOutStats(
  heldOut: Float64Array[],
  y: number[],
  opts: Pick<FitOptions, 'precisionTarget' | 'perClassCalibration' | 'folds'>,
): Pick<TargetModel, 'autoThreshold' | 'cvCoverage' | 'cvAccuracy' | 'calibration'> {
  const classes = heldOut.find((p) => p)?.length ?? 0;
  const calibration = opts.perClassCalibration ? fitCalibration(heldOut, y, classes) : null;
  const foldCurves = opts.perClassCalibration
    ? Array.from({ length: opts.folds }, (_, f) =>
        fitCalibration(
          heldOut,
          y.map((v, i) => (foldOf(i, opts.folds) === f ? -1 : v)),
          classes,
        ),
      )
    : null;
  const conf: number[] = [];
  const correct: boolean[] = [];
  y.forEach((gold, i) => {
    if (gold < 0) return;
    const p = heldOut[i] as Float64Array;
    let best = 0;
    for (let c = 1; c < p.length; c++) if ((p[c] as number) > (p[best] as number)) best = c;
    const curve = foldCurves?.[foldOf(i, opts.folds)];
    conf.push(curve ? calibrate(curve, best, p[best] as number) : (p[best] as number));
    correct.push(best === gold);
  });
  const autoThreshold = thresholdForPrecision(conf, correct, opts.precisionTarget);
  return {
    calibration,
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
  opts: FitOptions,
): TargetModel {
  const labels = [...new Set(Object.values(parentOf))].sort();
  const heldOut = primary.heldOut.map((p) => parentProbabilities({ ...primary.model, labels, parentOf }, primary.model.labels, p));
  const y = labelsOf.map((l) => (l ? labels.indexOf(l) : -1));
  return { name, labels, weights: null, parentOf, temperature: 1, ...heldOutStats(heldOut, y, opts) };
}

export function trainClassifier(rows: TrainingRow[], options: TrainOptions): ClassifierModel {
  const folds = options.folds ?? defaultTrainSettings.folds;
  const settings: ModelSettings = {
    features: { ...defaultFeatureOptions, ...options.features },
    stackWeight: options.stackWeight ?? defaultTrainSettings.stackWeight,
  };
  const opts: FitOptions = {
    folds,
    precisionTarget: options.precisionTarget ?? 0.95,
    softmax: { ...defaultSoftmaxOptions, ...options.softmax },
    classBalance: options.classBalance ?? defaultTrainSettings.classBalance,
    perClassCalibration: options.perClassCalibration ?? defaultTrainSettings.perClassCalibration,
    sampleWeights: recencyWeights(
      rows.map((r) => r.reportedAt),
      options.recencyHalfLifeDays === undefined ? defaultTrainSettings.recencyHalfLifeDays : options.recencyHalfLifeDays,
    ),
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

  const raws = rows.map((r) => rawFeatures(r, settings.features));
  // A column with fewer than two values has nothing to decide (and softmax nothing to learn).
  const present = targets.filter((t) => new Set(rows.map((r) => label(r, t)).filter(Boolean)).size >= 2);
  const primaryName = present.includes(options.primary) ? options.primary : present[0];
  if (!primaryName) throw new Error('Keine der Spalten hat mindestens zwei verschiedene Werte.');
  // The stacked feature names are known before training (p:<label>, crossed with the cells seen),
  // so they enter the vocabulary up front; like all fixed features they are used without idf.
  const primaryLabels = [...new Set(rows.map((r) => label(r, primaryName)).filter((l): l is string => !!l))];
  const stackKeySet = new Set(raws.flatMap((raw) => primaryLabels.flatMap((l) => stackKeys(l, raw))));
  const vocabulary = Vocabulary.build(raws, options.minDf ?? defaultTrainSettings.minDf, stackKeySet);

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
  const stackedXs = raws.map((raw, i) =>
    vocabulary.vectorise(withStack(raw, primary.model.labels, primary.heldOut[i] as Float64Array, settings.stackWeight)),
  );
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
          opts,
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
  return new ClassifierModel(vocabulary, primaryName, models, settings);
}
