import { describe, expect, it } from 'vitest';
import { calibrate, fitCalibration } from './calibration.ts';

/** Two labels predicted with the same probabilities; label 0 is nearly always right, label 1 half the time. */
function heldOut(): { probs: Float64Array[]; y: number[] } {
  const probs: Float64Array[] = [];
  const y: number[] = [];
  for (let i = 0; i < 400; i++) {
    const p = 0.6 + ((i >> 1) % 4) * 0.1;
    const predicted = i % 2;
    probs.push(predicted === 0 ? Float64Array.from([p, 1 - p]) : Float64Array.from([1 - p, p]));
    const right = predicted === 0 ? i % 40 !== 0 : (i >> 3) % 2 === 0;
    y.push(right ? predicted : 1 - predicted);
  }
  return { probs, y };
}

describe('per-label calibration', () => {
  it('gives a reliable label a higher confidence than an unreliable one at the same probability', () => {
    const { probs, y } = heldOut();
    const c = fitCalibration(probs, y, 2);
    expect(calibrate(c, 0, 0.8)).toBeGreaterThan(0.85);
    expect(calibrate(c, 1, 0.8)).toBeLessThan(0.65);
  });

  it('never lets a higher probability mean a lower confidence', () => {
    const { probs, y } = heldOut();
    const c = fitCalibration(probs, y, 2);
    for (const label of [0, 1]) expect(calibrate(c, label, 0.9)).toBeGreaterThanOrEqual(calibrate(c, label, 0.6));
    // Even where the held-out cases say the opposite (right at 0.6, wrong at 0.9), the curve stays flat or rising.
    const upsideDown = fitCalibration(
      [Float64Array.from([0.6, 0.4]), Float64Array.from([0.9, 0.1]), Float64Array.from([0.6, 0.4]), Float64Array.from([0.9, 0.1])],
      [0, 1, 0, 1],
      2,
    );
    expect(calibrate(upsideDown, 0, 0.9)).toBeGreaterThanOrEqual(calibrate(upsideDown, 0, 0.6));
  });

  it('gives a label never predicted on the held-out folds the common curve, and skips unlabelled rows', () => {
    const { probs, y } = heldOut();
    const three = probs.map((p) => Float64Array.from([...p, 0]));
    const c = fitCalibration(three, y, 3);
    // The common curve lies between the reliable and the unreliable label.
    expect(calibrate(c, 2, 0.8)).toBeLessThan(calibrate(c, 0, 0.8));
    expect(calibrate(c, 2, 0.8)).toBeGreaterThan(calibrate(c, 1, 0.8));
    const keep = y.map((_, i) => i % 10 !== 0);
    const masked = fitCalibration(
      three,
      y.map((v, i) => (keep[i] ? v : -1)),
      3,
    );
    const filtered = fitCalibration(
      three.filter((_, i) => keep[i]),
      y.filter((_, i) => keep[i]),
      3,
    );
    expect(masked).toEqual(filtered);
  });
});
