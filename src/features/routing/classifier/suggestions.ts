import type { Db } from '../../../infra/db.ts';
import type { Logger } from '../../../infra/log.ts';
import { type CaseType, caseTypes } from '../../../infra/schema/index.ts';
import { referenceData } from '../../cases/reference-data.ts';
import type { Classifier } from './classifier.ts';

export interface SuggestedValue<V> {
  value: V;
  name: string;
  confidence: number;
}

/** The classifier's top-3 per field, as values of the case page's edit form. */
export interface CaseSuggestions {
  categories: SuggestedValue<number>[];
  teams: SuggestedValue<number>[];
  types: SuggestedValue<CaseType>[];
}

/**
 * Suggestions for the "Vorschläge" box of a case. Slugs the town no longer has (a category
 * deactivated since training) are left out. A broken model must never take the case page down:
 * then the box is simply missing and the error is logged.
 */
export async function caseSuggestions(
  deps: { db: Db; classifier: Classifier; log: Logger },
  kase: { description: string; lat: number | null; lon: number | null },
): Promise<CaseSuggestions | null> {
  try {
    const prediction = await deps.classifier.predict({ text: kase.description, lat: kase.lat, lon: kase.lon });
    if (!prediction) return null;
    const ref = await referenceData(deps.db);
    const categories = prediction.category.flatMap((s) => {
      const c = ref.categoriesBySlug.get(s.label);
      return c?.active ? [{ value: c.id, name: c.name, confidence: s.confidence }] : [];
    });
    const teams = prediction.team.flatMap((s) => {
      const t = ref.teamsBySlug.get(s.label);
      return t ? [{ value: t.id, name: t.name, confidence: s.confidence }] : [];
    });
    const types = prediction.type.flatMap((s) =>
      (caseTypes as readonly string[]).includes(s.label) ? [{ value: s.label as CaseType, name: s.label, confidence: s.confidence }] : [],
    );
    return { categories, teams, types };
  } catch (err) {
    deps.log.error({ err }, 'classifier suggestions failed');
    return null;
  }
}
