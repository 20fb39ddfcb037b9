import type { Db } from '../../../infra/db.ts';
import type { Logger } from '../../../infra/log.ts';
import type { CaseInput } from './features.ts';
import type { ClassifierModel, Ranked } from './model.ts';
import { activeModelGeneration, activeModelId, modelPayload } from './queries.ts';
import { deserialiseModel } from './serialise.ts';
import type { TownLabel } from './service.ts';

export interface Suggestion extends Ranked {
  /** Confident enough to route without a person looking (≥ the model's cross-validated threshold). */
  automatic: boolean;
}

export interface Prediction {
  modelId: number;
  /** Top-3 per label, best first; an empty list when the model has not learnt that label. */
  type: Suggestion[];
  category: Suggestion[];
  team: Suggestion[];
}

export interface Classifier {
  /** Null while no model has been trained for this town. */
  predict(input: CaseInput): Promise<Prediction | null>;
}

export interface ClassifierOptions {
  /**
   * Overrides the model's own routing threshold (chosen for 95 % precision on held-out training
   * folds) with a fixed confidence, e.g. 0.9 for a town that accepts more automatic routing.
   */
  minConfidence?: number;
  log?: Logger;
}

/**
 * How long the answer to "which model is active?" is reused. Intake asks on every report, so the
 * lookup is not repeated per call; a model trained by the nightly job in a worker process reaches
 * the web processes within this time, one activated in this process at once (generation counter).
 */
export const ACTIVE_MODEL_TTL_MS = 30_000;

/** The classifier as the rest of the app sees it. The active model is loaded once and kept. */
export function createClassifier(db: Db, options: ClassifierOptions = {}): Classifier {
  let loaded: { id: number; model: ClassifierModel } | null = null;
  let loading: Promise<{ id: number; model: ClassifierModel } | null> | null = null;
  let checked: { id: number | null; at: number; generation: number } | null = null;
  /** A stored model this version cannot read (an older format): not fetched again until another is active. */
  let unreadable: number | null = null;

  async function activeId(): Promise<number | null> {
    const now = performance.now();
    if (checked && checked.generation === activeModelGeneration && now - checked.at < ACTIVE_MODEL_TTL_MS) return checked.id;
    const generation = activeModelGeneration;
    const id = await activeModelId(db);
    checked = { id, at: now, generation };
    return id;
  }

  async function current(): Promise<{ id: number; model: ClassifierModel } | null> {
    const id = await activeId();
    if (id === null || id === unreadable) return null;
    if (loaded?.id === id) return loaded;
    // Concurrent first requests share one load instead of each unpacking megabytes of weights.
    loading ??= (async () => {
      const payload = await modelPayload(db, id);
      if (!payload) return null;
      const started = performance.now();
      let model: ClassifierModel;
      try {
        model = deserialiseModel(payload);
      } catch (err) {
        unreadable = id;
        options.log?.warn({ err, id }, 'classifier model unreadable; routing without it until the next training');
        return null;
      }
      const next = { id, model };
      options.log?.info({ id, ms: Math.round(performance.now() - started) }, 'classifier model loaded');
      return next;
    })().finally(() => {
      loading = null;
    });
    const next = await loading;
    if (next) loaded = next;
    return next;
  }

  return {
    async predict(input) {
      const active = await current();
      if (!active) return null;
      const ranked = active.model.predict(input, 3);
      const suggestions = (label: TownLabel): Suggestion[] => {
        const target = active.model.target(label);
        const threshold = options.minConfidence ?? target?.autoThreshold ?? Number.POSITIVE_INFINITY;
        return (ranked[label] ?? []).map((r, i) => ({ ...r, automatic: i === 0 && r.confidence >= threshold }));
      };
      return { modelId: active.id, type: suggestions('type'), category: suggestions('category'), team: suggestions('team') };
    },
  };
}
