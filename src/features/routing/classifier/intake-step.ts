import type { Db, DbOrTx } from '../../../infra/db.ts';
import type { Logger } from '../../../infra/log.ts';
import { type CaseType, caseTypes } from '../../../infra/schema/index.ts';
import type { Actor } from '../../cases/audit.ts';
import { caseTypeLabels } from '../../cases/labels.ts';
import { referenceData } from '../../cases/reference-data.ts';
import type { AuditDraft } from '../rules/apply.ts';
import { type Classifier, createClassifier, type Prediction, type Suggestion } from './classifier.ts';

// The model is megabytes: one classifier per database handle, loaded once per process and shared
// by intake and the case page's suggestions.
const instances = new WeakMap<Db, Classifier>();

export function townClassifier(db: Db, minConfidence: number | undefined, log: Logger): Classifier {
  let classifier = instances.get(db);
  if (!classifier) {
    classifier = createClassifier(db, { ...(minConfidence === undefined ? {} : { minConfidence }), log });
    instances.set(db, classifier);
  }
  return classifier;
}

/**
 * The classifier's guess for a new report, or null (no model yet, or it failed). Runs before any
 * transaction, on the pool, so it never waits behind the intake's own writes. A broken model must
 * never stop a report from being taken in: failures are logged and the report goes on without.
 */
export async function predictForIntake(
  deps: { db: Db; log: Logger; minConfidence?: number | undefined },
  input: { text: string; lat: number | null; lon: number | null },
): Promise<Prediction | null> {
  try {
    return await townClassifier(deps.db, deps.minConfidence, deps.log).predict(input);
  } catch (err) {
    deps.log.error({ err }, 'classifier failed; report taken in without prediction');
    return null;
  }
}

export interface ClassifiedFields {
  type: CaseType | null;
  categoryId: number | null;
  /** The team the classifier is confident about; used only when no rule chose a team. */
  team: { id: number; actor: Actor; confidence: number } | null;
  audit: AuditDraft[];
}

const percent = (confidence: number) => confidence.toFixed(2).replace('.', ',');
const classifierActor = (s: Suggestion): Actor => ({ userId: null, label: `Klassifikator, Sicherheit ${percent(s.confidence)}` });
const confident = (list: Suggestion[]) => (list[0]?.automatic ? list[0] : null);

/**
 * Fills what the citizen left open (type, category) where the model is confident enough to route
 * without a person looking (its cross-validated 95 %-precision threshold, or the configured minimum).
 * The citizen's own choice always wins. Below the threshold nothing is set: the case goes the default
 * way (Leitstelle triage) and staff see the top-3 suggestions on the case page.
 */
export async function applyPrediction(
  db: DbOrTx,
  prediction: Prediction | null,
  given: { type: CaseType | null; categoryId: number | null },
): Promise<ClassifiedFields> {
  const out: ClassifiedFields = { type: given.type, categoryId: given.categoryId, team: null, audit: [] };
  if (!prediction) return out;
  const ref = await referenceData(db);
  const type = confident(prediction.type);
  if (given.type === null && type && (caseTypes as readonly string[]).includes(type.label)) {
    out.type = type.label as CaseType;
    out.audit.push({
      actor: classifierActor(type),
      action: 'type_changed',
      details: { from: null, to: out.type, toLabel: caseTypeLabels[out.type] },
    });
  }
  const category = confident(prediction.category);
  const categoryRef = category ? ref.categoriesBySlug.get(category.label) : undefined;
  if (given.categoryId === null && category && categoryRef?.active) {
    out.categoryId = categoryRef.id;
    out.audit.push({ actor: classifierActor(category), action: 'category_changed', details: { from: null, to: categoryRef.name } });
  }
  const team = confident(prediction.team);
  const teamRef = team ? ref.teamsBySlug.get(team.label) : undefined;
  if (team && teamRef) out.team = { id: teamRef.id, actor: classifierActor(team), confidence: team.confidence };
  return out;
}
