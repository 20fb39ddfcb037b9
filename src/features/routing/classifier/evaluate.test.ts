import { describe, expect, it } from 'vitest';
import { textReport } from './evaluate.ts';

describe('the human-readable evaluation', () => {
  it('prints German figures per label with the routing threshold and the most frequent confusions', () => {
    const text = textReport({
      trainRows: 2770,
      trainMs: 6400,
      predictMsPerCase: 0.12,
      columns: {
        category: {
          accuracy: 0.6915,
          macro_f1: 0.5159,
          top3_accuracy: 0.8942,
          coverage_at_95_precision: 0.4104,
          n: 1021,
          threshold: 0.798,
          precision_routed: 0.936,
          oracle_coverage: 0.372,
          confusions: [{ gold: 'Hinweise', predicted: 'Illegaler Müll', count: 19 }],
        },
      },
    });
    expect(text).toContain('Trainiert auf 2.770 Fällen in 6,4 s; Vorhersage 0,12 ms je Fall.');
    expect(text).toContain('category (n = 1021)');
    expect(text).toContain('Genauigkeit 69,2 % · Makro-F1 51,6 % · Top-3 89,4 %');
    expect(text).toContain('41,0 % der Fälle (Schwelle 0,798 aus Kreuzvalidierung, erreichte Präzision 93,6 %');
    expect(text).toContain('19× Hinweise → Illegaler Müll');
    expect(text).not.toContain('group');
  });
});
