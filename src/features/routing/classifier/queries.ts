import { and, count, countDistinct, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../../infra/db.ts';
import { type ClassifierSource, cases, categories, classifierModels, teams } from '../../../infra/schema/index.ts';
import { closedStatuses } from '../../cases/labels.ts';

export const ROUTING_KIND = 'routing';

export async function activeModelId(db: DbOrTx, kind = ROUTING_KIND): Promise<number | null> {
  const [row] = await db
    .select({ id: classifierModels.id })
    .from(classifierModels)
    .where(and(eq(classifierModels.kind, kind), eq(classifierModels.active, true)));
  return row?.id ?? null;
}

export async function modelPayload(db: DbOrTx, id: number): Promise<Uint8Array | null> {
  const [row] = await db.select({ payload: classifierModels.payload }).from(classifierModels).where(eq(classifierModels.id, id));
  return row?.payload ?? null;
}

/**
 * Bumped whenever this process activates a model, so classifiers in this process look again at once;
 * other processes notice within ACTIVE_MODEL_TTL_MS.
 */
export let activeModelGeneration = 0;

/** Stores a model and makes it the active one in one transaction (the partial unique index allows one active per kind). */
export async function storeActiveModel(
  db: Db,
  model: { source: ClassifierSource; trainedOn: number; metrics: unknown; payload: Uint8Array },
  kind = ROUTING_KIND,
): Promise<number> {
  const id = await db.transaction(async (tx) => {
    await tx
      .update(classifierModels)
      .set({ active: false })
      .where(and(eq(classifierModels.kind, kind), eq(classifierModels.active, true)));
    const [row] = await tx
      .insert(classifierModels)
      .values({ kind, source: model.source, trainedOn: model.trainedOn, metrics: model.metrics, payload: model.payload, active: true })
      .returning({ id: classifierModels.id });
    if (!row) throw new Error('insert returned no row');
    return row.id;
  });
  activeModelGeneration++;
  return id;
}

export async function listModels(db: DbOrTx, kind = ROUTING_KIND, limit = 20) {
  return db
    .select({
      id: classifierModels.id,
      source: classifierModels.source,
      trainedOn: classifierModels.trainedOn,
      metrics: classifierModels.metrics,
      active: classifierModels.active,
      createdAt: classifierModels.createdAt,
    })
    .from(classifierModels)
    .where(eq(classifierModels.kind, kind))
    .orderBy(desc(classifierModels.createdAt), desc(classifierModels.id))
    .limit(limit);
}

export interface ClosedCaseRow {
  text: string;
  lat: number | null;
  lon: number | null;
  type: string | null;
  category: string | null;
  team: string | null;
  /** When the case came in: newer cases weigh more in training (recency weights in model.ts). */
  reportedAt: Date;
}

/**
 * The town's closed cases with their *final* type, category and team: whatever staff corrected
 * before closing is what the next model learns, so corrections feed training without extra work.
 * Newest first, capped, so the nightly job stays quick in a town with decades of history.
 */
/** The cases training learns from: closed ones, with the team and category they ended with. */
const trainable = () => and(isNotNull(cases.closedAt), inArray(cases.status, [...closedStatuses]));

/** How many cases (and in how many categories) the next training would learn from. */
export async function trainingSupply(db: DbOrTx): Promise<{ cases: number; categories: number }> {
  const [row] = await db
    .select({ cases: count(), categories: countDistinct(cases.categoryId) })
    .from(cases)
    .where(trainable());
  return { cases: row?.cases ?? 0, categories: row?.categories ?? 0 };
}

export async function closedCasesForTraining(db: DbOrTx, limit: number): Promise<ClosedCaseRow[]> {
  return db
    .select({
      text: cases.description,
      lat: cases.lat,
      lon: cases.lon,
      type: cases.type,
      category: categories.slug,
      team: teams.slug,
      reportedAt: cases.createdAt,
    })
    .from(cases)
    .leftJoin(categories, eq(categories.id, cases.categoryId))
    .leftJoin(teams, eq(teams.id, cases.teamId))
    .where(trainable())
    .orderBy(desc(cases.closedAt), desc(cases.id))
    .limit(limit);
}
