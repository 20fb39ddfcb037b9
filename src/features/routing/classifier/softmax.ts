import type { SparseVector } from './features.ts';

/**
 * Multinomial logistic regression (softmax) on sparse features, trained with AdaGrad.
 *
 * Written here rather than taken from a package: the JavaScript ML libraries on npm are either
 * unmaintained (e.g. ml-logistic-regression: one-vs-rest, dense matrices, no regularisation
 * control, no release in years) or bring TensorFlow.js with native or WASM binaries that are far
 * too heavy for a few thousand short texts. Sparse softmax with AdaGrad is ~80 lines, trains
 * 3,000 cases in about a second and is fully deterministic (seeded shuffling), which the tests need.
 */
export interface SoftmaxOptions {
  epochs: number;
  learningRate: number;
  /** L2 penalty per example step, applied to the weights an example touches (lazy regularisation). */
  l2: number;
  seed: number;
  /** Per-class weights of the loss (1 = plain likelihood). */
  classWeights?: Float32Array;
}

/**
 * An error below this moves a weight by less than ~1e-5 in a step: such classes are skipped (their
 * lazy L2 decay too, which at l2 = 1e-5 is of the same negligible size).
 */
const SKIP_ERROR = 1e-4;

export const defaultSoftmaxOptions: SoftmaxOptions = { epochs: 8, learningRate: 0.5, l2: 1e-5, seed: 7 };

export interface SoftmaxWeights {
  classes: number;
  dim: number;
  /** Row-major by feature: weights[feature * classes + class]. */
  weights: Float32Array;
  bias: Float32Array;
}

/** Small seeded PRNG (mulberry32) so that a training run is reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function logits(model: SoftmaxWeights, x: SparseVector, out = new Float64Array(model.classes)): Float64Array {
  const k = model.classes;
  for (let c = 0; c < k; c++) out[c] = model.bias[c] as number;
  for (let j = 0; j < x.idx.length; j++) {
    const base = (x.idx[j] as number) * k;
    const v = x.val[j] as number;
    for (let c = 0; c < k; c++) out[c] = (out[c] as number) + v * (model.weights[base + c] as number);
  }
  return out;
}

/** Softmax of logits / temperature, in place; a temperature above 1 softens over-confident scores. */
export function softmaxInPlace(z: Float64Array, temperature = 1): Float64Array {
  let max = -Infinity;
  for (const v of z) if (v / temperature > max) max = v / temperature;
  let sum = 0;
  for (let c = 0; c < z.length; c++) {
    const e = Math.exp((z[c] as number) / temperature - max);
    z[c] = e;
    sum += e;
  }
  for (let c = 0; c < z.length; c++) z[c] = (z[c] as number) / sum;
  return z;
}

/**
 * `sampleWeights` (one per example, e.g. rising with the report date) scale each example's loss;
 * without them every example counts once.
 */
export function trainSoftmax(
  xs: SparseVector[],
  ys: number[],
  classes: number,
  dim: number,
  opts: SoftmaxOptions,
  sampleWeights?: ArrayLike<number>,
): SoftmaxWeights {
  const model: SoftmaxWeights = { classes, dim, weights: new Float32Array(dim * classes), bias: new Float32Array(classes) };
  // One AdaGrad accumulator per feature (shared by its class weights): a single square root per
  // feature and step instead of one per weight, which makes training several times faster.
  const g2 = new Float32Array(dim).fill(1e-6);
  const g2Bias = new Float32Array(classes).fill(1e-6);
  const order = xs.map((_, i) => i);
  const random = seededRandom(opts.seed);
  const p = new Float64Array(classes);
  const err = new Float64Array(classes);
  // Classes whose error is not negligible for this example; after the first epochs most classes
  // have p ≈ 0 for most examples, and skipping their weights halves the training time.
  const active = new Int32Array(classes);
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (const n of order) {
      const x = xs[n] as SparseVector;
      const y = ys[n] as number;
      const weight = (opts.classWeights ? (opts.classWeights[y] as number) : 1) * (sampleWeights ? (sampleWeights[n] as number) : 1);
      softmaxInPlace(logits(model, x, p));
      let errSq = 0;
      let nActive = 0;
      for (let c = 0; c < classes; c++) {
        const e = weight * ((p[c] as number) - (c === y ? 1 : 0));
        err[c] = e;
        errSq += e * e;
        if (e > SKIP_ERROR || e < -SKIP_ERROR) active[nActive++] = c;
        g2Bias[c] = (g2Bias[c] as number) + e * e;
        model.bias[c] = (model.bias[c] as number) - (opts.learningRate * e) / Math.sqrt(g2Bias[c] as number);
      }
      for (let j = 0; j < x.idx.length; j++) {
        const feature = x.idx[j] as number;
        const v = x.val[j] as number;
        const base = feature * classes;
        g2[feature] = (g2[feature] as number) + errSq * v * v;
        const step = opts.learningRate / Math.sqrt(g2[feature] as number);
        const decay = 1 - step * opts.l2;
        for (let a = 0; a < nActive; a++) {
          const c = active[a] as number;
          model.weights[base + c] = (model.weights[base + c] as number) * decay - step * (err[c] as number) * v;
        }
      }
    }
  }
  return model;
}

/**
 * Temperature scaling (Guo et al. 2017): the one scalar T that minimises the log-loss of held-out
 * logits. It keeps the ranking of classes and makes "confidence 0.95" mean roughly "right 95 % of
 * the time", which the routing threshold relies on. A golden-section search over log T suffices.
 */
export function fitTemperature(heldOutLogits: Float64Array[], ys: number[]): number {
  const nll = (t: number) => {
    let sum = 0;
    for (let n = 0; n < heldOutLogits.length; n++) {
      const p = softmaxInPlace(Float64Array.from(heldOutLogits[n] as Float64Array), t);
      sum -= Math.log(Math.max(p[ys[n] as number] as number, 1e-12));
    }
    return sum;
  };
  let lo = Math.log(0.05);
  let hi = Math.log(20);
  const ratio = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 40; i++) {
    const a = hi - ratio * (hi - lo);
    const b = lo + ratio * (hi - lo);
    if (nll(Math.exp(a)) < nll(Math.exp(b))) hi = b;
    else lo = a;
  }
  return Math.exp((lo + hi) / 2);
}
