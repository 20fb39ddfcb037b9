/**
 * Per-class calibration of the top prediction's confidence: "how often is the model right when it
 * says this label with probability p?". Temperature scaling makes probabilities right on average,
 * but the data's classes differ a lot: a street lamp at 0.8 is nearly always a street lamp, the
 * catch-all "Hinweise" at 0.8 often is not. One logistic curve per predicted label,
 * P(right | label c, p) = σ(a_c + b_c · logit p), fitted on the held-out folds and pulled towards
 * the curve of all labels (a Gaussian prior of strength `strength`), so rare labels borrow from the
 * common curve instead of over-fitting a handful of cases.
 */
export interface Calibration {
  /** Per label index; a label never predicted on the held-out folds has the common curve. */
  a: number[];
  b: number[];
}

const EPS = 1e-6;
const MIN_SLOPE = 0.05;
const logit = (p: number) => {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return Math.log(q / (1 - q));
};
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * Newton's method for a two-parameter logistic regression of `right` on `x`, with a Gaussian prior
 * (a0, b0, strength). Two parameters: the 2×2 system is solved by hand.
 */
function fitCurve(x: number[], right: boolean[], prior: { a: number; b: number; strength: number }): { a: number; b: number } {
  let a = prior.a;
  let b = prior.b;
  for (let iter = 0; iter < 25; iter++) {
    let ga = prior.strength * (a - prior.a);
    let gb = prior.strength * (b - prior.b);
    let haa = prior.strength;
    let hab = 0;
    let hbb = prior.strength;
    for (let i = 0; i < x.length; i++) {
      const xi = x[i] as number;
      const p = sigmoid(a + b * xi);
      const r = p - (right[i] ? 1 : 0);
      const w = Math.max(p * (1 - p), 1e-9);
      ga += r;
      gb += r * xi;
      haa += w;
      hab += w * xi;
      hbb += w * xi * xi;
    }
    const det = haa * hbb - hab * hab;
    if (!(det > 1e-12)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-7) break;
  }
  if (b >= MIN_SLOPE) return { a, b };
  // A curve must rise with p (a higher probability may never mean a lower confidence): with the
  // slope held at its floor, the offset alone is fitted again.
  b = MIN_SLOPE;
  a = prior.a;
  for (let iter = 0; iter < 25; iter++) {
    let g = prior.strength * (a - prior.a);
    let h = prior.strength;
    for (let i = 0; i < x.length; i++) {
      const p = sigmoid(a + b * (x[i] as number));
      g += p - (right[i] ? 1 : 0);
      h += Math.max(p * (1 - p), 1e-9);
    }
    a -= g / h;
    if (Math.abs(g / h) < 1e-7) break;
  }
  return { a, b };
}

/** Fits the curves on held-out probabilities; `y` is the gold label index (−1 = unlabelled, skipped). */
export function fitCalibration(heldOut: Float64Array[], y: number[], classes: number, strength = 10): Calibration {
  const byClass: { x: number[]; right: boolean[] }[] = Array.from({ length: classes }, () => ({ x: [], right: [] }));
  const all: { x: number[]; right: boolean[] } = { x: [], right: [] };
  y.forEach((gold, i) => {
    if (gold < 0) return;
    const p = heldOut[i] as Float64Array;
    let best = 0;
    for (let c = 1; c < p.length; c++) if ((p[c] as number) > (p[best] as number)) best = c;
    const x = logit(p[best] as number);
    const bucket = byClass[best] as { x: number[]; right: boolean[] };
    bucket.x.push(x);
    bucket.right.push(best === gold);
    all.x.push(x);
    all.right.push(best === gold);
  });
  // The common curve starts at the identity (a = 0, b = 1) with a weak prior.
  const common = fitCurve(all.x, all.right, { a: 0, b: 1, strength: 1 });
  const curves = byClass.map((bucket) => (bucket.x.length ? fitCurve(bucket.x, bucket.right, { ...common, strength }) : common));
  return { a: curves.map((c) => c.a), b: curves.map((c) => c.b) };
}

/** The calibrated confidence that label `index`, predicted with probability p, is right. */
export function calibrate(calibration: Calibration, index: number, p: number): number {
  return sigmoid((calibration.a[index] as number) + (calibration.b[index] as number) * logit(p));
}
