import { describe, expect, it } from 'vitest';
import { accuracy, coverageAt, macroF1, precisionAt, thresholdForPrecision, topConfusions, topKAccuracy } from './metrics.ts';

describe('metrics', () => {
  it('accuracy and top-k accuracy', () => {
    expect(accuracy(['a', 'b', 'c', 'a'], ['a', 'b', 'a', 'b'])).toBe(0.5);
    expect(
      topKAccuracy(
        ['a', 'b', 'c'],
        [
          ['b', 'a'],
          ['c', 'x', 'b'],
          ['a', 'b', 'x', 'c'],
        ],
        3,
      ),
    ).toBeCloseTo(2 / 3);
    expect(topKAccuracy(['a'], [['b', 'a']], 1)).toBe(0);
  });

  it('macro-F1 averages the per-class F1 over gold and predicted classes', () => {
    // a: tp 1, fp 1, fn 1 → 0.5; b: tp 1, fp 0, fn 1 → 2/3; c: tp 0 (only predicted) → 0.
    const gold = ['a', 'a', 'b', 'b'];
    const predicted = ['a', 'b', 'b', 'c'];
    expect(macroF1(gold, predicted)).toBeCloseTo((0.5 + 2 / 3 + 0) / 3);
    expect(macroF1(['x', 'y'], ['x', 'y'])).toBe(1);
  });

  it('picks the lowest threshold whose routed cases reach the precision, on a hand-made example', () => {
    const conf = [0.99, 0.97, 0.95, 0.9, 0.85, 0.8, 0.7, 0.6];
    const correct = [true, true, true, true, false, true, false, false];
    // ≥0.9: 4/4; ≥0.85: 4/5 = 0.8; ≥0.8: 5/6 ≈ 0.83; lower only worse.
    expect(thresholdForPrecision(conf, correct, 0.95)).toBe(0.9);
    expect(coverageAt(conf, 0.9)).toBe(0.5);
    expect(thresholdForPrecision(conf, correct, 0.8)).toBe(0.8);
    expect(precisionAt(conf, correct, 0.8)).toBeCloseTo(5 / 6);
  });

  it('routes nothing when even the most confident case is wrong, and keeps ties together', () => {
    expect(thresholdForPrecision([0.9, 0.5], [false, true], 0.95)).toBe(Number.POSITIVE_INFINITY);
    expect(coverageAt([0.9, 0.5], Number.POSITIVE_INFINITY)).toBe(0);
    expect(Number.isNaN(precisionAt([0.5], [true], 0.9))).toBe(true);
    // Two cases at 0.9, one wrong: the tie cannot be split to reach 100 %.
    expect(thresholdForPrecision([0.95, 0.9, 0.9], [true, true, false], 1)).toBe(0.95);
  });

  it('lists the most frequent confusions first', () => {
    const gold = ['a', 'a', 'a', 'b', 'b', 'c'];
    const predicted = ['b', 'b', 'a', 'a', 'b', 'a'];
    expect(topConfusions(gold, predicted, 2)).toEqual([
      { gold: 'a', predicted: 'b', count: 2 },
      { gold: 'b', predicted: 'a', count: 1 },
    ]);
  });
});
