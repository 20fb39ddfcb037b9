import type { DbOrTx } from '../../infra/db.ts';
import type { Viewer } from '../cases/access.ts';
import { resolutionDueAt } from './queries.ts';
import { renderTemplate, valuesForCase } from './render.ts';
import { templatesForCase } from './service.ts';

/** One Textbaustein as the case page offers it: already filled in for this case. */
export interface TemplateChoice {
  id: number;
  title: string;
  group: string;
  text: string;
}

export interface CaseForTemplates {
  id: number;
  number: string;
  teamId: number | null;
  teamName: string | null;
  categoryName: string | null;
  reporterName: string | null;
}

/** Every template the clerk may use on this case, rendered with the case's values. */
export async function templateChoices(
  db: DbOrTx,
  actor: Viewer & { displayName: string },
  kase: CaseForTemplates,
): Promise<TemplateChoice[]> {
  const templates = await templatesForCase(db, actor, kase.teamId);
  if (templates.length === 0) return [];
  const values = valuesForCase({ ...kase, dueAt: await resolutionDueAt(db, kase.id), staffName: actor.displayName });
  return templates.map((t) => ({ id: t.id, title: t.title, group: t.teamName ?? 'Für alle Teams', text: renderTemplate(t.body, values) }));
}

/**
 * The `vorlage` query parameter of the case page (the no-JavaScript way to insert a template):
 * absent → nothing; a template this clerk may use → its text; anything else → a German error.
 */
export function pickTemplate(choices: TemplateChoice[], raw: unknown): { text?: string; error?: string } {
  if (raw === undefined || raw === '') return {};
  const id = typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Number(raw) : null;
  const found = id === null ? undefined : choices.find((c) => c.id === id);
  return found ? { text: found.text } : { error: 'Diesen Textbaustein gibt es nicht (mehr). Bitte wählen Sie einen aus der Liste.' };
}
