import { describe, expect, it } from 'vitest';
import type { SparseVector } from './features.ts';
import { defaultSoftmaxOptions, fitTemperature, logits, seededRandom, softmaxInPlace, trainSoftmax } from './softmax.ts';

/** Three classes, each with its own 5 of 30 features, plus 2 random noise features per example. */
function tinySet(n: number, seed: number): { xs: SparseVector[]; ys: number[] } {
  const random = seededRandom(seed);
  const xs: SparseVector[] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = i % 3;
    const own = [y * 5 + Math.floor(random() * 5), y * 5 + Math.floor(random() * 5)];
    const noise = [15 + Math.floor(random() * 15), 15 + Math.floor(random() * 15)];
    const idx = [...new Set([...own, ...noise])];
    xs.push({ idx: Int32Array.from(idx), val: Float32Array.from(idx.map(() => 1 / Math.sqrt(idx.length))) });
    ys.push(y);
  }
  return { xs, ys };
}

const argmax = (z: Float64Array) => z.indexOf(Math.max(...z));

describe('softmax regression', () => {
  it('reaches high accuracy on a small separable set, also on unseen examples', () => {
    const train = tinySet(90, 1);
    const test = tinySet(60, 2);
    const model = trainSoftmax(train.xs, train.ys, 3, 30, defaultSoftmaxOptions);
    const hits = test.xs.filter((x, i) => argmax(logits(model, x)) === test.ys[i]).length;
    expect(hits / test.xs.length).toBeGreaterThan(0.95);
  });

  it('is deterministic for a seed', () => {
    const { xs, ys } = tinySet(30, 3);
    const a = trainSoftmax(xs, ys, 3, 30, defaultSoftmaxOptions);
    const b = trainSoftmax(xs, ys, 3, 30, defaultSoftmaxOptions);
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
  });

  it('softmax gives probabilities; a higher temperature flattens them', () => {
    const sharp = softmaxInPlace(Float64Array.from([2, 0, -1]));
    const soft = softmaxInPlace(Float64Array.from([2, 0, -1]), 3);
    expect(sharp.reduce((s, v) => s + v, 0)).toBeCloseTo(1);
    expect(soft[0]).toBeLessThan(sharp[0] as number);
  });

  it('temperature scaling softens over-confident scores and sharpens timid ones', () => {
    // Right only 60 % of the time, but with huge margins: T must come out well above 1.
    const over = Array.from({ length: 100 }, () => Float64Array.from([10, 0]));
    const overY = Array.from({ length: 100 }, (_, i) => (i < 60 ? 0 : 1));
    expect(fitTemperature(over, overY)).toBeGreaterThan(3);
    // Always right with tiny margins: T must come out below 1.
    const timid = Array.from({ length: 100 }, () => Float64Array.from([0.2, 0]));
    expect(fitTemperature(timid, new Array(100).fill(0))).toBeLessThan(0.5);
  });
});
