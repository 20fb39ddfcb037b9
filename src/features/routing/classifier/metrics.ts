/** Evaluation measures for one label column. Pure functions, so they are tested by hand-made examples. */

export function accuracy(gold: string[], predicted: string[]): number {
  if (gold.length === 0) return 0;
  let hits = 0;
  for (let i = 0; i < gold.length; i++) if (gold[i] === predicted[i]) hits++;
  return hits / gold.length;
}

export function topKAccuracy(gold: string[], ranked: string[][], k: number): number {
  if (gold.length === 0) return 0;
  let hits = 0;
  for (let i = 0; i < gold.length; i++) if ((ranked[i] ?? []).slice(0, k).includes(gold[i] as string)) hits++;
  return hits / gold.length;
}

/** Unweighted mean of per-class F1 over every class that occurs in the gold or the predicted labels. */
export function macroF1(gold: string[], predicted: string[]): number {
  const classes = new Set([...gold, ...predicted]);
  if (classes.size === 0) return 0;
  let sum = 0;
  for (const c of classes) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < gold.length; i++) {
      const g = gold[i] === c;
      const p = predicted[i] === c;
      if (g && p) tp++;
      else if (p) fp++;
      else if (g) fn++;
    }
    sum += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  return sum / classes.size;
}

/**
 * The lowest confidence threshold t such that the predictions with confidence ≥ t are right in at
 * least `target` of the cases. Returns Infinity when even the most confident group misses the
 * target (then nothing is routed automatically). Ties are kept together: a threshold cannot split
 * cases of equal confidence.
 */
export function thresholdForPrecision(confidences: number[], correct: boolean[], target: number): number {
  const order = confidences.map((_, i) => i).sort((a, b) => (confidences[b] as number) - (confidences[a] as number));
  let threshold = Number.POSITIVE_INFINITY;
  let hits = 0;
  let seen = 0;
  for (let n = 0; n < order.length; n++) {
    const i = order[n] as number;
    seen++;
    if (correct[i]) hits++;
    const next = order[n + 1];
    if (next !== undefined && confidences[next] === confidences[i]) continue;
    if (hits / seen >= target) threshold = confidences[i] as number;
  }
  return threshold;
}

export function coverageAt(confidences: number[], threshold: number): number {
  if (confidences.length === 0) return 0;
  return confidences.filter((c) => c >= threshold).length / confidences.length;
}

/** Precision of the cases at or above the threshold (NaN when none is). */
export function precisionAt(confidences: number[], correct: boolean[], threshold: number): number {
  let hits = 0;
  let seen = 0;
  for (let i = 0; i < confidences.length; i++)
    if ((confidences[i] as number) >= threshold) {
      seen++;
      if (correct[i]) hits++;
    }
  return seen === 0 ? Number.NaN : hits / seen;
}

export interface Confusion {
  gold: string;
  predicted: string;
  count: number;
}

/** The most frequent (gold → predicted) mistakes, most frequent first. */
export function topConfusions(gold: string[], predicted: string[], limit: number): Confusion[] {
  const counts = new Map<string, Confusion>();
  for (let i = 0; i < gold.length; i++) {
    if (gold[i] === predicted[i]) continue;
    const key = `${gold[i]}\u0000${predicted[i]}`;
    const entry = counts.get(key) ?? { gold: gold[i] as string, predicted: predicted[i] as string, count: 0 };
    entry.count++;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || a.gold.localeCompare(b.gold)).slice(0, limit);
}
