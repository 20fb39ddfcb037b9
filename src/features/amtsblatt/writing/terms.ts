import { asc, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../../infra/db.ts';
import { fieldErrors, invalid } from '../../../infra/errors.ts';
import { plainLanguageTerms } from '../../../infra/schema/index.ts';
import { type PlainLanguageHit, plainLanguageDetector } from './plain-language.ts';
import { SHIPPED_TERMS } from './plain-language-list.ts';

export const termSchema = z.object({
  term: z.string().trim().min(2, 'Bitte geben Sie den Begriff an.').max(100, 'Höchstens 100 Zeichen.'),
  suggestion: z.string().trim().min(1, 'Bitte geben Sie einen einfacheren Vorschlag an.').max(200, 'Höchstens 200 Zeichen.'),
});

export const townTerms = (db: Db) =>
  db
    .select()
    .from(plainLanguageTerms)
    .orderBy(asc(sql`lower(${plainLanguageTerms.term})`));

/** The detector of the shipped list and the town's own terms (read per call: the list is short). */
export async function detectPlainLanguage(db: Db, text: string): Promise<PlainLanguageHit[]> {
  return plainLanguageDetector(SHIPPED_TERMS, await townTerms(db))(text);
}

export async function addTerm(db: Db, userId: number, input: unknown): Promise<void> {
  const parsed = termSchema.safeParse(input);
  if (!parsed.success) throw invalid('Bitte prüfen Sie die Eingaben.', fieldErrors(parsed.error));
  // The same term in other capitals is the same term: its suggestion is replaced.
  const same = sql`lower(${plainLanguageTerms.term}) = lower(${parsed.data.term})`;
  const updated = await db
    .update(plainLanguageTerms)
    .set({ suggestion: parsed.data.suggestion })
    .where(same)
    .returning({ id: plainLanguageTerms.id });
  if (updated.length === 0) await db.insert(plainLanguageTerms).values({ ...parsed.data, createdById: userId });
}

export async function deleteTerm(db: Db, id: number): Promise<void> {
  await db.delete(plainLanguageTerms).where(sql`${plainLanguageTerms.id} = ${id}`);
}
