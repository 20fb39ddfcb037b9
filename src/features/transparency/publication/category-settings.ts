import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../infra/db.ts';
import { notFound } from '../../../infra/errors.ts';
import type { Logger } from '../../../infra/log.ts';
import { categories, publicationPolicies } from '../../../infra/schema/index.ts';
import { invalidateReferenceData } from '../../cases/reference-data.ts';

/** Later than this, nobody remembers whether it was fixed. */
export const FIX_CHECK_MAX_DAYS = 60;

/** A category's publication settings, as the admin form sends them. */
export const categorySettingsSchema = z.object({
  publication: z.enum(publicationPolicies, { message: 'Bitte wählen Sie aus, wann Anliegen öffentlich werden.' }),
  publishDelayMinutes: z.coerce
    .number({ message: 'Bitte geben Sie die Wartezeit in Minuten an.' })
    .int('Bitte geben Sie die Wartezeit in ganzen Minuten an.')
    .min(0, 'Die Wartezeit kann nicht negativ sein.')
    .max(60 * 24 * 14, 'Bitte wählen Sie höchstens 14 Tage (20.160 Minuten).'),
  maskHouseNumbers: z
    .literal('yes', { message: 'Unbekannte Auswahl.' })
    .optional()
    .transform((v) => v === 'yes'),
  /** "Ist es wirklich behoben?": days after "erledigt"; an empty field means never ask. */
  fixCheckDays: z
    .string({ message: 'Bitte geben Sie die Tage als Zahl an.' })
    .trim()
    .optional()
    .transform((v, ctx) => {
      // Absent (an older form): keep the setting; empty: never ask.
      if (v === undefined) return undefined;
      if (!v) return null;
      const n = /^\d{1,4}$/.test(v) ? Number(v) : Number.NaN;
      const problem = Number.isNaN(n)
        ? 'Bitte geben Sie die Tage als ganze Zahl an, oder lassen Sie das Feld leer.'
        : n < 1
          ? 'Bitte fragen Sie frühestens nach einem Tag nach – oder lassen Sie das Feld leer, dann fragen wir nie.'
          : n > FIX_CHECK_MAX_DAYS
            ? `Bitte wählen Sie höchstens ${FIX_CHECK_MAX_DAYS} Tage.`
            : null;
      if (problem) {
        ctx.addIssue({ code: 'custom', message: problem });
        return z.NEVER;
      }
      return n;
    }),
});
export type CategorySettings = z.infer<typeof categorySettingsSchema>;

export function categorySettingsList(db: Db) {
  return db
    .select({
      id: categories.id,
      name: categories.name,
      groupName: categories.groupName,
      active: categories.active,
      publication: categories.publication,
      publishDelayMinutes: categories.publishDelayMinutes,
      maskHouseNumbers: categories.maskHouseNumbers,
      fixCheckDays: categories.fixCheckDays,
    })
    .from(categories)
    .orderBy(asc(categories.groupName), asc(categories.name));
}
export type CategorySettingsRow = Awaited<ReturnType<typeof categorySettingsList>>[number];

/**
 * Changes how a category's reports become public. Cases already decided keep their decision; new
 * reports (and cases moved into the category) follow the new setting.
 */
export async function saveCategorySettings(
  deps: { db: Db; log: Logger },
  actorUserId: number,
  categoryId: number,
  input: CategorySettings,
): Promise<void> {
  const updated = await deps.db.update(categories).set(input).where(eq(categories.id, categoryId)).returning({ id: categories.id });
  if (updated.length === 0) throw notFound('Diese Kategorie gibt es nicht.');
  invalidateReferenceData(deps.db);
  deps.log.info({ categoryId, actorUserId, publication: input.publication }, 'category publication settings changed');
}
