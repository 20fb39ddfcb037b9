import { eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../infra/db.ts';
import { AppError } from '../../infra/errors.ts';
import { cases } from '../../infra/schema/index.ts';
import { singleLine } from '../../infra/text-input.ts';
import { canSeeTeam } from './access.ts';
import { TAG_MAX } from './inbox-filters.ts';
import { assignCase, type CasesDeps, editCase, type StaffActor, tagCase } from './service.ts';

export const BULK_MAX = 100;

/** A selected row: "id:version", so a case changed since the inbox was loaded is noticed (409 per case). */
const selection = z
  .union([z.string(), z.array(z.string())], { message: 'Bitte wählen Sie mindestens ein Anliegen aus.' })
  .transform((v) => (Array.isArray(v) ? v : [v]))
  .pipe(
    z
      .array(z.string().regex(/^\d{1,9}:\d{1,9}$/, 'Die Auswahl ist ungültig. Bitte laden Sie den Posteingang neu.'))
      .min(1, 'Bitte wählen Sie mindestens ein Anliegen aus.')
      .max(BULK_MAX, `Bitte wählen Sie höchstens ${BULK_MAX} Anliegen auf einmal.`),
  )
  .transform((items) => {
    const byId = new Map<number, number>();
    for (const item of items) {
      const [id, version] = item.split(':').map(Number) as [number, number];
      byId.set(id, version);
    }
    return [...byId].map(([id, version]) => ({ id, version }));
  });

export const bulkSchema = z.discriminatedUnion(
  'aktion',
  [
    z.object({
      aktion: z.literal('zuweisen'),
      faelle: selection,
      assignee: z
        .string({ message: 'Bitte wählen Sie eine Person aus der Liste.' })
        .regex(/^(ich|niemand|\d{1,9})$/, 'Bitte wählen Sie eine Person aus der Liste.')
        .transform((v) => (v === 'ich' || v === 'niemand' ? v : Number(v))),
    }),
    z.object({ aktion: z.literal('erledigen'), faelle: selection }),
    z.object({
      aktion: z.literal('markieren'),
      faelle: selection,
      tag: z
        .string({ message: 'Bitte geben Sie ein Schlagwort ein.' })
        .trim()
        .min(1, 'Bitte geben Sie ein Schlagwort ein.')
        .max(TAG_MAX, `Ein Schlagwort darf höchstens ${TAG_MAX} Zeichen lang sein.`)
        .superRefine(singleLine('Das Schlagwort')),
    }),
  ],
  { message: 'Bitte wählen Sie eine Aktion aus der Liste.' },
);
export type BulkInput = z.infer<typeof bulkSchema>;

export interface BulkOutcome {
  changed: string[];
  unchanged: string[];
  failed: { id: number; number: string | null; reason: string }[];
}

const reasons: Partial<Record<AppError['code'], string>> = {
  NotFound: 'gibt es nicht (mehr), oder Sie haben keinen Zugriff darauf',
  Conflict: 'wurde inzwischen von jemand anderem geändert – bitte neu laden und noch einmal versuchen',
};

/**
 * The bulk actions of the inbox. Each case goes through the same service function as on its own
 * page, in its own transaction, with its own permission and version check: one stale or foreign
 * case does not stop the others, and the outcome says which ones were not changed and why.
 */
export async function runBulk(deps: CasesDeps, actor: StaffActor, input: BulkInput): Promise<BulkOutcome> {
  const numbers = await numbersVisibleTo(
    deps.db,
    actor,
    input.faelle.map((f) => f.id),
  );
  const outcome: BulkOutcome = { changed: [], unchanged: [], failed: [] };
  for (const { id, version } of input.faelle) {
    const number = numbers.get(id) ?? null;
    try {
      const result = await applyOne(deps, actor, input, id, version);
      (result.changed ? outcome.changed : outcome.unchanged).push(number ?? String(id));
    } catch (err) {
      if (!(err instanceof AppError) || !['NotFound', 'Conflict', 'Invalid', 'Forbidden'].includes(err.code)) throw err;
      // A case the actor may not see is reported without its number: the number would reveal it exists.
      outcome.failed.push({ id, number, reason: reasons[err.code] ?? err.message });
    }
  }
  return outcome;
}

async function applyOne(deps: CasesDeps, actor: StaffActor, input: BulkInput, id: number, version: number) {
  switch (input.aktion) {
    case 'zuweisen':
      return assignCase(deps, actor, id, { version, assignee: input.assignee });
    case 'markieren':
      return tagCase(deps, actor, id, { version, tag: input.tag });
    case 'erledigen': {
      // Through editCase with the case's own values, so closing here is exactly closing on its page.
      const [row] = await deps.db.select().from(cases).where(eq(cases.id, id));
      if (!row || !canSeeTeam(actor, row.teamId)) throw new AppError('NotFound', 'nicht gefunden');
      if (row.status === 'resolved') return { changed: false };
      return editCase(deps, actor, id, {
        version,
        type: row.type,
        categoryId: row.categoryId,
        teamId: row.teamId,
        priority: row.priority,
        status: 'resolved',
      });
    }
  }
}

async function numbersVisibleTo(db: DbOrTx, actor: StaffActor, ids: number[]): Promise<Map<number, string>> {
  const rows = await db.select({ id: cases.id, number: cases.number, teamId: cases.teamId }).from(cases).where(inArray(cases.id, ids));
  return new Map(rows.filter((r) => canSeeTeam(actor, r.teamId)).map((r) => [r.id, r.number]));
}
