import type { SoftmaxOptions } from './softmax.ts';

/** Inverse-frequency class weights to the power `balance` (0 = none), normalised to mean 1 over the rows. */
export function classWeightsFor(y: number[], classes: number, balance: number): Partial<SoftmaxOptions> {
  if (!balance) return {};
  const counts = new Float64Array(classes);
  for (const v of y) if (v >= 0) counts[v] = (counts[v] as number) + 1;
  const n = y.filter((v) => v >= 0).length;
  const w = Float32Array.from(counts, (c) => (c > 0 ? (c / (n / classes)) ** -balance : 0));
  let mean = 0;
  for (const v of y) if (v >= 0) mean += (w[v] as number) / n;
  return { classWeights: w.map((v) => v / mean) };
}

/**
 * Row weights halving every `halfLifeDays` of age before the newest dated row, normalised to mean 1
 * so that the learning rate keeps its meaning. Rows without a (valid) date count as the newest.
 */
export function recencyWeights(dates: (Date | string | null | undefined)[], halfLifeDays: number | null | undefined): Float32Array {
  const out = new Float32Array(dates.length).fill(1);
  if (!halfLifeDays) return out;
  const times = dates.map((d) => (d instanceof Date ? d.getTime() : d ? Date.parse(d.replace(' ', 'T')) : Number.NaN));
  const newest = Math.max(...times.filter((t) => Number.isFinite(t)));
  if (!Number.isFinite(newest)) return out;
  const dayMs = 86_400_000;
  let sum = 0;
  times.forEach((t, i) => {
    const w = Number.isFinite(t) ? 0.5 ** ((newest - t) / dayMs / halfLifeDays) : 1;
    out[i] = w;
    sum += w;
  });
  const scale = dates.length / sum;
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) * scale;
  return out;
}
