import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { unavailable } from '../../../infra/errors.ts';
import { Vocabulary } from './features.ts';
import { ClassifierModel, type TargetModel } from './model.ts';

/**
 * Bump when the feature extraction changes: an older stored model would then mis-read new features.
 * 2: the feature settings (n-gram range, street, month), the stack weight and the
 * per-label calibration are stored.
 */
export const MODEL_FORMAT = 2;

const targetJson = z.object({
  name: z.string(),
  labels: z.array(z.string()),
  weights: z.object({ classes: z.number().int(), dim: z.number().int(), weights: z.string(), bias: z.string() }).nullable(),
  parentOf: z.record(z.string(), z.string()).nullable(),
  temperature: z.number(),
  calibration: z.object({ a: z.array(z.number()), b: z.array(z.number()) }).nullable(),
  // JSON has no Infinity: "never route automatically" is stored as null.
  autoThreshold: z.number().nullable(),
  cvCoverage: z.number(),
  cvAccuracy: z.number(),
});

const modelJson = z.object({
  format: z.literal(MODEL_FORMAT),
  primary: z.string(),
  settings: z.object({
    features: z.object({
      charMin: z.number().int(),
      charMax: z.number().int(),
      street: z.boolean(),
      month: z.boolean(),
    }),
    stackWeight: z.number(),
  }),
  vocabulary: z.object({ keys: z.array(z.string()), idf: z.string() }),
  targets: z.array(targetJson),
});

const floatsToBase64 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

function base64ToFloats(s: string): Float32Array {
  const bytes = Buffer.from(s, 'base64');
  // Copy into a fresh, aligned buffer: a Buffer slice may start at an odd offset.
  const out = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** A gzip'd JSON document with the weight matrices as base64 float32: compact and self-describing. */
export function serialiseModel(model: ClassifierModel): Buffer {
  const json = {
    format: MODEL_FORMAT,
    primary: model.primary,
    settings: model.settings,
    vocabulary: { keys: model.vocabulary.keys, idf: floatsToBase64(model.vocabulary.idf) },
    targets: model.targets.map((t) => ({
      ...t,
      autoThreshold: Number.isFinite(t.autoThreshold) ? t.autoThreshold : null,
      weights: t.weights
        ? {
            classes: t.weights.classes,
            dim: t.weights.dim,
            weights: floatsToBase64(t.weights.weights),
            bias: floatsToBase64(t.weights.bias),
          }
        : null,
    })),
  };
  return gzipSync(JSON.stringify(json));
}

/** Reads a stored model; one of another format is refused with a message that says what to do. */
export function deserialiseModel(blob: Uint8Array): ClassifierModel {
  const parsed: unknown = JSON.parse(gunzipSync(blob).toString('utf8'));
  const format = (parsed as { format?: unknown } | null)?.format;
  if (format !== MODEL_FORMAT)
    throw unavailable(
      `Das gespeicherte Klassifikator-Modell hat das Format ${String(format)}, gebraucht wird ${MODEL_FORMAT}. Bitte neu lernen: amtsblatt classifier retrain (oder train --from DATEI.csv).`,
    );
  const json = modelJson.parse(parsed);
  const targets: TargetModel[] = json.targets.map((t) => ({
    ...t,
    autoThreshold: t.autoThreshold ?? Number.POSITIVE_INFINITY,
    weights: t.weights
      ? { classes: t.weights.classes, dim: t.weights.dim, weights: base64ToFloats(t.weights.weights), bias: base64ToFloats(t.weights.bias) }
      : null,
  }));
  return new ClassifierModel(
    Vocabulary.fromJson({ keys: json.vocabulary.keys, idf: base64ToFloats(json.vocabulary.idf) }),
    json.primary,
    targets,
    json.settings,
  );
}
