import { describe, expect, it } from 'vitest';
import { classWeightsFor, recencyWeights } from './weights.ts';

describe('recency weights', () => {
  it('halve per half-life of age before the newest row and keep a mean of 1', () => {
    const w = recencyWeights(['2021-12-31 10:00:00', '2021-06-30 10:00:00', new Date('2020-12-31T10:00:00')], 183);
    expect((w[0] as number) / (w[1] as number)).toBeCloseTo(2, 1);
    expect((w[1] as number) / (w[2] as number)).toBeCloseTo(2, 1);
    expect(Array.from(w).reduce((s, v) => s + v, 0) / w.length).toBeCloseTo(1, 5);
  });

  it('count rows without a date as new, and everything the same without a half-life', () => {
    const w = recencyWeights(['2021-01-01', null, '2020-01-01'], 365);
    expect(w[1]).toBeCloseTo(w[0] as number, 5);
    expect(w[2] as number).toBeLessThan(w[0] as number);
    expect(Array.from(recencyWeights(['2021-01-01', '2020-01-01'], null))).toEqual([1, 1]);
    expect(Array.from(recencyWeights([null, 'kein Datum'], 90))).toEqual([1, 1]);
  });
});

describe('class weights', () => {
  it('raise rare classes and are absent without balancing', () => {
    expect(classWeightsFor([0, 0, 0, 1], 2, 0)).toEqual({});
    const { classWeights } = classWeightsFor([0, 0, 0, 1, -1], 2, 1);
    expect(classWeights?.[1] as number).toBeCloseTo(3 * (classWeights?.[0] as number), 5);
    // Mean over the labelled rows is 1, so the learning rate keeps its meaning.
    expect(((classWeights?.[0] as number) * 3 + (classWeights?.[1] as number)) / 4).toBeCloseTo(1, 5);
  });
});
