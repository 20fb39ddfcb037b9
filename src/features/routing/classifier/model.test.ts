import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../infra/errors.ts';
import { evaluateRows, jsonReport } from './evaluate.ts';
import { type TrainingRow, trainClassifier } from './model.ts';
import { deserialiseModel, MODEL_FORMAT, serialiseModel } from './serialise.ts';
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

  it('keeps its feature settings through storage (n-grams, street, month, calibration)', () => {
    const rows = train.map((r, i) => ({ ...r, address: `Seestraße ${i % 7}`, reportedAt: `2021-0${1 + (i % 9)}-15 10:00:00` }));
    const custom = trainClassifier(rows, {
      primary: 'category',
      targets: ['group', 'category'],
      folds: 3,
      features: { charMin: 4, charMax: 4, street: true, month: true },
      perClassCalibration: true,
    });
    const again = deserialiseModel(serialiseModel(custom));
    expect(again.settings).toEqual(custom.settings);
    expect(again.target('category')?.calibration).toEqual(custom.target('category')?.calibration);
    for (const row of rows.slice(0, 10)) {
      const p = custom.predict(row);
      expect(again.predict(row)).toEqual(p);
      // Calibrated confidences still read as a ranking and a share of certainty.
      const conf = (p.category ?? []).map((r) => r.confidence);
      expect(conf).toEqual([...conf].sort((a, b) => b - a));
      expect(conf.reduce((s, c) => s + c, 0)).toBeLessThanOrEqual(1 + 1e-9);
    }
  });

  it('refuses a stored model of another format with a message that says to retrain', () => {
    const old = gzipSync(JSON.stringify({ format: MODEL_FORMAT - 1, primary: 'category', vocabulary: { keys: [], idf: '' }, targets: [] }));
    expect(() => deserialiseModel(old)).toThrow(AppError);
    expect(() => deserialiseModel(old)).toThrow(/neu lernen/);
  });

  it('lets newer rows outweigh older ones when routing changed (recency weights)', () => {
    // Hedges went from one unit to another: 60 old cases say "Betriebshof", 30 new ones "Bürgeramt".
    const rows: TrainingRow[] = Array.from({ length: 90 }, (_, i) => ({
      text: i % 2 ? 'Hecke wuchert auf den Gehweg' : 'Laterne dunkel',
      reportedAt: i < 60 ? `2020-0${1 + (i % 9)}-10 09:00:00` : `2021-1${i % 3}-10 09:00:00`,
      labels: { category: i % 2 ? 'Hecke' : 'Laterne', group: i % 2 ? (i < 60 ? 'Betriebshof' : 'Bürgeramt') : 'Stadtwerke' },
    }));
    const options = { primary: 'category', targets: ['group'], folds: 3 };
    const hedge = { text: 'Die Hecke wuchert' };
    expect(trainClassifier(rows, { ...options, recencyHalfLifeDays: null }).predict(hedge).group?.[0]?.label).toBe('Betriebshof');
    expect(trainClassifier(rows, { ...options, recencyHalfLifeDays: 60 }).predict(hedge).group?.[0]?.label).toBe('Bürgeramt');
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
