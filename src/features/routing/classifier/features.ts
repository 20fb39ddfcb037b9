import { foldGerman, textFeatures } from './text.ts';

/** A sparse feature vector: sorted-free parallel arrays of column indices and values. */
export interface SparseVector {
  idx: Int32Array;
  val: Float32Array;
}

export interface CaseInput {
  text: string;
  lat?: number | null;
  lon?: number | null;
  /** Where the citizen said it is ("Seestraße 3, 78464 Konstanz"): its street is a location feature. */
  address?: string | null;
  /** When it was reported (for the season feature); a live case is reported now. */
  reportedAt?: Date | string | null;
}

/**
 * Which features a model uses. Stored with the model, so prediction builds exactly the features
 * the model was trained on. The defaults are the ones chosen by `bench/classifier-select.ts`.
 */
export interface FeatureOptions {
  /** Shortest and longest character n-gram inside words. */
  charMin: number;
  charMax: number;
  /** The street from `address` (`s:seestrasse`). */
  street: boolean;
  /** The month of the report (`m:7`): leaves, hedges and bicycles come with the seasons. */
  month: boolean;
}

export const defaultFeatureOptions: FeatureOptions = { charMin: 3, charMax: 4, street: false, month: false };

/** Features before they are mapped to columns: named counts per block. */
export interface RawFeatures {
  words: Map<string, number>;
  chars: Map<string, number>;
  /** Location cells and stacked predictions: used as they are, without idf. */
  fixed: Map<string, number>;
}

/**
 * Grid cells of three sizes (about 0.4, 1.5 and 6 km). The responsible unit depends on where a
 * report is (the Ortsverwaltungen own their villages, utilities own their network), and nested
 * cells let the model use a fine cell where it has seen enough reports and a coarse one elsewhere.
 */
const GRID_STEPS = [0.005, 0.02, 0.08] as const;

export function locationCells(lat: number | null | undefined, lon: number | null | undefined): string[] {
  if (lat == null || lon == null || !Number.isFinite(lat) || !Number.isFinite(lon)) return ['g:none'];
  return GRID_STEPS.map((step, level) => `g${level}:${Math.floor(lat / step)}_${Math.floor(lon / step)}`);
}

/** The street of an address: the part before the first comma, without house number, folded. */
export function streetOf(address: string | null | undefined): string | null {
  const first = address?.split(',')[0] ?? '';
  const street = foldGerman(first)
    .replace(/\b\d+\s*[a-z]?\b.*$/, '')
    .replace(/[^a-z]+/g, ' ')
    .trim();
  return street.length >= 3 ? street.replace(/ /g, '-') : null;
}

function monthOf(reportedAt: Date | string | null | undefined): number | null {
  const date = reportedAt instanceof Date ? reportedAt : reportedAt ? new Date(reportedAt.replace(' ', 'T')) : new Date();
  return Number.isNaN(date.getTime()) ? null : date.getMonth() + 1;
}

export function rawFeatures(input: CaseInput, options: FeatureOptions = defaultFeatureOptions): RawFeatures {
  const { words, chars } = textFeatures(input.text, options.charMin, options.charMax);
  const fixed = new Map<string, number>();
  for (const cell of locationCells(input.lat, input.lon)) fixed.set(cell, 1);
  const street = options.street ? streetOf(input.address) : null;
  if (street) fixed.set(`s:${street}`, 1);
  const month = options.month ? monthOf(input.reportedAt) : null;
  if (month) fixed.set(`m:${month}`, 1);
  return { words, chars, fixed };
}

export interface VocabularyJson {
  keys: string[];
  idf: Float32Array;
}

/**
 * Maps feature names to columns with their inverse document frequency. Features seen in fewer
 * than `minDf` training documents are dropped: they cannot generalise and would bloat the model.
 */
export class Vocabulary {
  private readonly index = new Map<string, number>();

  constructor(
    readonly keys: string[],
    readonly idf: Float32Array,
  ) {
    for (let i = 0; i < keys.length; i++) this.index.set(keys[i] as string, i);
  }

  /** `extraKeys` are always kept (features derived later, e.g. stacked predictions). */
  static build(docs: RawFeatures[], minDf = 2, extraKeys: Iterable<string> = []): Vocabulary {
    const df = new Map<string, number>();
    for (const doc of docs)
      for (const block of [doc.words, doc.chars, doc.fixed]) for (const key of block.keys()) df.set(key, (df.get(key) ?? 0) + 1);
    const keys = [...df.entries()].filter(([, n]) => n >= minDf).map(([k]) => k);
    for (const key of extraKeys) if (!df.has(key)) keys.push(key);
    keys.sort();
    const idf = new Float32Array(keys.length);
    keys.forEach((k, i) => {
      idf[i] = Math.log((1 + docs.length) / (1 + (df.get(k) ?? 0))) + 1;
    });
    return new Vocabulary(keys, idf);
  }

  static fromJson(json: VocabularyJson): Vocabulary {
    return new Vocabulary(json.keys, json.idf);
  }

  toJson(): VocabularyJson {
    return { keys: this.keys, idf: this.idf };
  }

  get size(): number {
    return this.keys.length;
  }

  /**
   * Sublinear tf·idf per text block, each block scaled to unit length so a long text does not
   * outweigh the location; fixed features keep their value.
   */
  vectorise(doc: RawFeatures, fixedWeight = 1): SparseVector {
    const idx: number[] = [];
    const val: number[] = [];
    for (const block of [doc.words, doc.chars]) {
      const start = idx.length;
      let norm = 0;
      for (const [key, count] of block) {
        const i = this.index.get(key);
        if (i === undefined) continue;
        const v = (1 + Math.log(count)) * (this.idf[i] as number);
        idx.push(i);
        val.push(v);
        norm += v * v;
      }
      const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      for (let j = start; j < val.length; j++) val[j] = (val[j] as number) * scale;
    }
    for (const [key, value] of doc.fixed) {
      const i = this.index.get(key);
      if (i === undefined) continue;
      idx.push(i);
      val.push(value * fixedWeight);
    }
    return { idx: Int32Array.from(idx), val: Float32Array.from(val) };
  }
}
