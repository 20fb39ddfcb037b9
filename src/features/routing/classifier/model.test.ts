import { describe, expect, it } from 'vitest';
import { evaluateRows, jsonReport } from './evaluate.ts';
import { type TrainingRow, trainClassifier } from './model.ts';
import { deserialiseModel, serialiseModel } from './serialise.ts';
import { seededRandom } from './softmax.ts';

const vocab: Record<string, { words: string[]; parent: string }> = {
  'Beleuchtung > Laterne': { words: ['Laterne', 'Straßenlampe', 'dunkel', 'Leuchte', 'brennt', 'Lampe'], parent: 'Beleuchtung' },
  'Müll > Illegaler Müll': { words: ['Müll', 'Sperrmüll', 'Abfall', 'Säcke', 'entsorgt', 'Matratze'], parent: 'Müll' },
  'Müll > Mülleimer': { words: ['Mülleimer', 'überfüllt', 'Papierkorb', 'voll', 'quillt', 'Eimer'], parent: 'Müll' },
  'Hinweise > Idee': { words: ['Vorschlag', 'Idee', 'schön', 'Bank', 'Anregung', 'könnte'], parent: 'Hinweise' },
};
const filler = ['heute', 'Straße', 'bitte', 'seit', 'Woche', 'Ecke', 'Haus', 'gegenüber', 'Schule', 'Weg'];

/**
 * A synthetic town: the category shows in the words; the unit follows the category, except that
 * illegal waste north of 47.7 belongs to a village office: text alone cannot learn that.
 */
function syntheticRows(n: number, seed: number): TrainingRow[] {
  const random = seededRandom(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)] as T;
  const categories = Object.keys(vocab);
  return Array.from({ length: n }, () => {
    const category = pick(categories);
    const spec = vocab[category] as { words: string[]; parent: string };
    const words = [pick(spec.words), pick(spec.words), pick(filler), pick(filler), pick(spec.words)];
    const lat = 47.65 + random() * 0.1;
    const lon = 9.15 + random() * 0.05;
    const group =
      category === 'Müll > Illegaler Müll'
        ? lat > 47.7
          ? 'Ortsverwaltung'
          : 'Entsorgung'
        : category.startsWith('Beleuchtung')
          ? 'Stadtwerke'
          : category.startsWith('Hinweise')
            ? 'Innovation'
            : 'Betriebshof';
    return { text: words.join(' '), lat, lon, labels: { category, category_parent: spec.parent, group } };
  });
}

describe('classifier model', () => {
  const train = syntheticRows(400, 1);
  const test = syntheticRows(150, 2);
  const model = trainClassifier(train, { primary: 'category', targets: ['group', 'category', 'category_parent'], folds: 3 });

  it('learns the category from words and the unit from category plus location', () => {
    const result = evaluateRows(train, test, ['group', 'category', 'category_parent']);
    expect(result.columns.category?.accuracy).toBeGreaterThan(0.95);
    expect(result.columns.group?.accuracy).toBeGreaterThan(0.9);
    expect(result.columns.category_parent?.top3_accuracy).toBe(1);
    // On separable data nearly everything is confident enough to route.
    expect(result.columns.category?.coverage_at_95_precision).toBeGreaterThan(0.8);
  });

  it('derives a column that the primary one determines instead of learning it', () => {
    const parent = model.target('category_parent');
    expect(parent?.weights).toBeNull();
    expect(parent?.parentOf?.['Müll > Mülleimer']).toBe('Müll');
    const p = model.predict({ text: 'Der Mülleimer ist voll und quillt über', lat: 47.66, lon: 9.16 });
    expect(p.category?.[0]?.label).toBe('Müll > Mülleimer');
    expect(p.category_parent?.[0]?.label).toBe('Müll');
    // The parent's confidence is the sum of its leaves', so never below the best leaf's.
    expect(p.category_parent?.[0]?.confidence).toBeGreaterThanOrEqual(p.category?.[0]?.confidence ?? 1);
  });

  it('predicts the same for umlaut and ae/oe/ue spellings', () => {
    const a = model.predict({ text: 'Sperrmüll und Säcke entsorgt', lat: 47.72, lon: 9.17 });
    const b = model.predict({ text: 'Sperrmuell und Saecke entsorgt', lat: 47.72, lon: 9.17 });
    expect(b).toEqual(a);
    expect(a.group?.[0]?.label).toBe('Ortsverwaltung');
  });

  it('survives storage: a deserialised model predicts exactly the same', () => {
    const again = deserialiseModel(serialiseModel(model));
    for (const row of test.slice(0, 20)) expect(again.predict(row)).toEqual(model.predict(row));
  });

  it('calibrates: held-out confidences are probabilities, not raw scores', () => {
    for (const t of model.targets) {
      expect(t.temperature).toBeGreaterThan(0);
      expect(t.cvAccuracy).toBeGreaterThan(0.85);
    }
    const p = model.predict({ text: 'Laterne dunkel', lat: null, lon: null });
    const sum = (p.category ?? []).reduce((s, r) => s + r.confidence, 0);
    expect(sum).toBeLessThanOrEqual(1 + 1e-9);
  });

  it('reports exactly the agreed JSON keys, and leaves out a column the test file lacks', () => {
    const withoutGroup = test.map((r) => ({ ...r, labels: { category: r.labels.category, category_parent: r.labels.category_parent } }));
    const json = jsonReport(evaluateRows(train, withoutGroup, ['category', 'category_parent']));
    expect(Object.keys(json).sort()).toEqual(['category', 'category_parent']);
    expect(Object.keys(json.category ?? {}).sort()).toEqual(['accuracy', 'coverage_at_95_precision', 'macro_f1', 'n', 'top3_accuracy']);
    expect(json.category?.n).toBe(150);
  });

  it('skips rows with an empty label for that label only', () => {
    const partly = test.map((r, i) => (i % 3 === 0 ? { ...r, labels: { ...r.labels, group: '' } } : r));
    const json = jsonReport(evaluateRows(train, partly, ['group', 'category', 'category_parent']));
    expect(json.group?.n).toBe(100);
    expect(json.category?.n).toBe(150);
  });
});
