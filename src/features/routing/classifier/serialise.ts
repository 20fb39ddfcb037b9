import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { Vocabulary } from './features.ts';
import { ClassifierModel, type TargetModel } from './model.ts';

/** Bump when the feature extraction changes: an older stored model would then mis-read new features. */
export const MODEL_FORMAT = 1;

const targetJson = z.object({
  name: z.string(),
  labels: z.array(z.string()),
  weights: z.object({ classes: z.number().int(), dim: z.number().int(), weights: z.string(), bias: z.string() }).nullable(),
  parentOf: z.record(z.string(), z.string()).nullable(),
  temperature: z.number(),
  // JSON has no Infinity: "never route automatically" is stored as null.
  autoThreshold: z.number().nullable(),
  cvCoverage: z.number(),
  cvAccuracy: z.number(),
});

const modelJson = z.object({
  format: z.literal(MODEL_FORMAT),
  primary: z.string(),
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

export function deserialiseModel(blob: Uint8Array): ClassifierModel {
  const json = modelJson.parse(JSON.parse(gunzipSync(blob).toString('utf8')));
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
  );
}
