/** Label columns derived from the primary one instead of learnt (category → its parent). */
import type { TargetModel } from './model.ts';

/** A parent's probability is the sum of its children's: consistent with the leaf prediction by construction. */
export function parentProbabilities(
  t: Pick<TargetModel, 'labels' | 'parentOf'>,
  primaryLabels: string[],
  primaryProbs: Float64Array,
): Float64Array {
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
export function functionalParent(rows: { primary: string | null; other: string | null }[]): Record<string, string> | null {
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
